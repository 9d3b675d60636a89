package dev.orderpipeline.emulator.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

class SqsTargetSenderTest {
    private static final ObjectNode EVENT = (ObjectNode) LocalEventBridge.parse(
            "{\"version\":\"0\",\"id\":\"e-1\",\"source\":\"shop\",\"detail-type\":\"OrderConfirmed\",\"detail\":{}}");

    @Test
    void route_whenTheQueueFailsTransiently_thenTheEventIsStillDeliveredOnce() {
        FlakySqs sqs = new FlakySqs(SqsTargetSender.ATTEMPTS - 1);
        SqsTargetSender sender = new SqsTargetSender(sqs);

        sender.route(busWithQueueTarget(), EVENT, rule -> true);

        assertThat(sqs.delivered).containsExactly(EVENT.toString());
        assertThat(sqs.attempts.get()).isEqualTo(SqsTargetSender.ATTEMPTS);
        assertThat(sender.failures()).isZero();
    }

    @Test
    void route_whenTheQueueKeepsFailing_thenOneFailureIsCountedAfterTheLastAttempt() {
        FlakySqs sqs = new FlakySqs(Integer.MAX_VALUE);
        SqsTargetSender sender = new SqsTargetSender(sqs);

        sender.route(busWithQueueTarget(), EVENT, rule -> true);

        assertThat(sqs.delivered).isEmpty();
        assertThat(sqs.attempts.get()).isEqualTo(SqsTargetSender.ATTEMPTS);
        assertThat(sender.failures()).isEqualTo(1);
    }

    private static EventBus busWithQueueTarget() {
        EventBus bus = new EventBus("orders", "arn:aws:events:us-east-1:000000000000:event-bus/orders", Optional.empty(),
                Instant.now());
        RuleTarget target = RuleTarget.parse((ObjectNode) LocalEventBridge.parse(
                "{\"Id\":\"q\",\"Arn\":\"arn:aws:sqs:us-east-1:000000000000:confirmed\"}"));
        bus.rules().put("all", new Rule("orders", "all", "arn:aws:events:us-east-1:000000000000:rule/orders/all",
                EventPattern.compile("{\"source\":[\"shop\"]}"), RuleState.ENABLED, Optional.empty(),
                Map.of("q", target)));
        return bus;
    }

    /** Fails the first {@code failures} sends as a lost response would, then delivers. */
    private static final class FlakySqs implements SqsClient {
        private final int failures;
        private final AtomicInteger attempts = new AtomicInteger();
        private final List<String> delivered = new ArrayList<>();

        FlakySqs(int failures) {
            this.failures = failures;
        }

        @Override
        public GetQueueUrlResponse getQueueUrl(GetQueueUrlRequest request) {
            return GetQueueUrlResponse.builder().queueUrl("http://localhost/000000000000/" + request.queueName()).build();
        }

        @Override
        public SendMessageResponse sendMessage(SendMessageRequest request) {
            if (attempts.incrementAndGet() <= failures) {
                throw SdkClientException.create("Read timed out");
            }
            delivered.add(request.messageBody());
            return SendMessageResponse.builder().messageId("m-" + attempts.get()).build();
        }

        @Override
        public String serviceName() {
            return "sqs";
        }

        @Override
        public void close() {
        }
    }
}
