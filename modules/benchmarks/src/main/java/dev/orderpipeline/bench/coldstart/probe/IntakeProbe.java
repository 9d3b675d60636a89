package dev.orderpipeline.bench.coldstart.probe;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.orderpipeline.intake.IntakeHandler;
import dev.orderpipeline.intake.IntakePrimingAccess;
import java.util.Map;
import java.util.UUID;

/**
 * In a fresh JVM on the intake zip's classpath: the Lambda path ({@code new IntakeHandler()} reads its environment
 * and builds its clients as on Lambda), with {@code prime=true} the SnapStart hook Lambda runs before a snapshot, then
 * two {@code POST /orders} invocations and {@code warm=N} more, whose median is the warm call. The parent sets the
 * environment.
 */
public final class IntakeProbe {
    private IntakeProbe() {
    }

    public static void main(String[] args) {
        long main = System.nanoTime();
        long spawn = Long.parseLong(args[0]);
        Map<String, String> a = ProbeSupport.args(args);
        IntakeHandler handler = new IntakeHandler();
        long constructed = System.nanoTime();
        if (ProbeSupport.prime(a)) {
            IntakePrimingAccess.beforeCheckpoint(handler);
        }
        long primed = System.nanoTime();
        APIGatewayV2HTTPResponse first = handler.handleRequest(event(ProbeSupport.read(a.get("body1"))),
                ProbeSupport.context("IntakeFunction", 1024));
        long firstDone = System.nanoTime();
        APIGatewayV2HTTPResponse second = handler.handleRequest(event(ProbeSupport.read(a.get("body2"))),
                ProbeSupport.context("IntakeFunction", 1024));
        long secondDone = System.nanoTime();
        long[] warm = new long[ProbeSupport.warmCalls(a)];
        boolean warmOk = true;
        for (int i = 0; i < warm.length; i++) {
            long start = System.nanoTime();
            warmOk &= handler.handleRequest(event(ProbeSupport.read(a.get("body2"))),
                    ProbeSupport.context("IntakeFunction", 1024)).getStatusCode() == 202;
            warm[i] = System.nanoTime() - start;
        }
        String outcome = first.getStatusCode() == 202 && second.getStatusCode() == 202 && warmOk ? "ok"
                : "unexpected status " + first.getStatusCode() + "/" + second.getStatusCode() + ": " + first.getBody();
        ProbeSupport.report("intake", spawn, main, constructed, primed, firstDone, secondDone, ProbeSupport.medianMs(warm), outcome);
        System.exit(0);
    }

    /** What API Gateway (HTTP API, payload 2.0) hands the function for {@code POST /orders}. */
    static APIGatewayV2HTTPEvent event(String body) {
        long now = System.currentTimeMillis();
        APIGatewayV2HTTPEvent.RequestContext.Http http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod("POST").withPath("/orders").withProtocol("HTTP/1.1").withSourceIp("127.0.0.1")
                .withUserAgent("bench").build();
        APIGatewayV2HTTPEvent.RequestContext context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withAccountId("000000000000").withApiId("bench").withDomainName("bench.local").withDomainPrefix("bench")
                .withHttp(http).withRequestId(UUID.randomUUID().toString()).withRouteKey("POST /orders")
                .withStage("$default").withTimeEpoch(now).build();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0").withRouteKey("POST /orders").withRawPath("/orders").withRawQueryString("")
                .withHeaders(Map.of("content-type", "application/json", "host", "bench.local"))
                .withRequestContext(context).withBody(body).withIsBase64Encoded(false).build();
    }
}
