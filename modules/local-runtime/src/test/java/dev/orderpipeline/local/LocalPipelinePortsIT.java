package dev.orderpipeline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a user sees when a port is taken, and that a failed start leaves nothing behind. */
class LocalPipelinePortsIT {

    @Test
    void start_whenHttpPortServesAnotherPipeline_thenPortInUseNamingThePortAndOtherPortsReleased() {
        try (LocalPipeline first = LocalPipeline.start(LocalSettings.forTests());
             PipelineClient firstClient = new PipelineClient(first)) {
            int taken = first.httpApiUrl().getPort();
            int[] others = freePorts(4);

            assertThatThrownBy(() -> LocalPipeline.start(LocalSettings.forTests()
                    .withPorts(taken, others[0], others[1], others[2], others[3])))
                    .isInstanceOf(Ports.PortInUseException.class)
                    .satisfies(e -> assertThat(e.getMessage()).as("message").contains("port " + taken).doesNotContain("\n"));

            // the failed start closed what it had started: a third pipeline binds exactly those ports
            try (LocalPipeline third = LocalPipeline.start(LocalSettings.forTests()
                    .withPorts(0, others[0], others[1], others[2], others[3]))) {
                assertThat(third.awsEndpoint().getPort()).isEqualTo(others[0]);
            }
            // and the first pipeline never noticed
            String id = firstClient.submitAllAccepted(List.of(TestOrders.varied(1).json())).get(0);
            firstClient.awaitConfirmed(List.of(id), Duration.ofSeconds(20));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http", "aws", "sqs", "dynamodb", "eventbridge"})
    void start_whenOnePortIsTaken_thenPortInUseNamingThatPortAndNothingLeftBound(String which) throws IOException {
        int[] ports = freePorts(5);
        int index = List.of("http", "aws", "sqs", "dynamodb", "eventbridge").indexOf(which);
        try (ServerSocket occupant = new ServerSocket()) {
            occupant.bind(new InetSocketAddress("127.0.0.1", ports[index]));

            assertThatThrownBy(() -> LocalPipeline.start(LocalSettings.forTests()
                    .withPorts(ports[0], ports[1], ports[2], ports[3], ports[4])))
                    .as("start with the %s port taken", which)
                    .isInstanceOf(Ports.PortInUseException.class)
                    .satisfies(e -> assertThat(e.getMessage()).as("message")
                            .contains("port " + ports[index]).contains("--" + which + "-port").doesNotContain("\n"));
        }
        for (int i = 0; i < ports.length; i++) {
            if (i != index) {
                assertThat(canBind(ports[i])).as("port %d released after the failed start", ports[i]).isTrue();
            }
        }
    }

    /** Distinct free ports on 127.0.0.1, all held until every one is chosen. */
    private static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket();
                sockets.add(s);
                s.bind(new InetSocketAddress("127.0.0.1", 0));
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            sockets.forEach(s -> {
                try {
                    s.close();
                } catch (IOException e) {
                    // already closed
                }
            });
        }
    }

    private static boolean canBind(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
