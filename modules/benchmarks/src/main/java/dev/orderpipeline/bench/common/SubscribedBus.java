package dev.orderpipeline.bench.common;

import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A bus of one benchmark run whose single rule sends every {@code OrderConfirmed} from {@code source} to a queue of its
 * own: the bus's delivery work as the pipeline's bus does it, without the example subscriber the pipeline's bus also
 * feeds, and with a queue nothing else reads.
 */
public record SubscribedBus(String name, String queueUrl) {
    public static SubscribedBus create(SqsClient sqs, EventBridgeClient eventBridge, String name, String source) {
        String queueUrl = sqs.createQueue(b -> b.queueName(name + "-subscriber")).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        eventBridge.createEventBus(b -> b.name(name));
        eventBridge.putRule(b -> b.name(name).eventBusName(name)
                .eventPattern("{\"source\":[\"" + source + "\"],\"detail-type\":[\"OrderConfirmed\"]}"));
        eventBridge.putTargets(b -> b.rule(name).eventBusName(name)
                .targets(Target.builder().id("subscriber").arn(queueArn).build()));
        return new SubscribedBus(name, queueUrl);
    }
}
