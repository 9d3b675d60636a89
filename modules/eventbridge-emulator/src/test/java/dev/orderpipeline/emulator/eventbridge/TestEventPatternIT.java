package dev.orderpipeline.emulator.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.InvalidEventPatternException;

/**
 * TestEventPattern (what {@code aws events test-event-pattern} calls). The cases and the expected answers are AWS's
 * own, from its documentation and from errors AWS returned in public bug reports, not from this endpoint's output.
 */
class TestEventPatternIT extends EventBridgeFixture {
    /** The EC2 event of the EventBridge User Guide, "Amazon EventBridge event patterns". */
    private static final String EC2_TERMINATED = "{\"version\":\"0\",\"id\":\"6a7e8feb-b491-4cf7-a9f1-bf3703467718\","
            + "\"detail-type\":\"EC2 Instance State-change Notification\",\"source\":\"aws.ec2\",\"account\":\"111122223333\","
            + "\"time\":\"2017-12-22T18:43:48Z\",\"region\":\"us-west-1\","
            + "\"resources\":[\"arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0\"],"
            + "\"detail\":{\"instance-id\":\"i-1234567890abcdef0\",\"state\":\"terminated\"}}";
    /** The pattern the guide gives for "all Amazon EC2 instance-termination events". */
    private static final String EC2_TERMINATION_PATTERN = "{\"source\":[\"aws.ec2\"],"
            + "\"detail-type\":[\"EC2 Instance State-change Notification\"],\"detail\":{\"state\":[\"terminated\"]}}";
    /** The example event of the EC2 User Guide, "State change events for Amazon EC2 instances" (state pending). */
    private static final String EC2_PENDING = "{\"id\":\"7bf73129-1428-4cd3-a780-95db273d1602\","
            + "\"detail-type\":\"EC2 Instance State-change Notification\",\"source\":\"aws.ec2\",\"account\":\"123456789012\","
            + "\"time\":\"2021-11-11T21:29:54Z\",\"region\":\"us-east-1\","
            + "\"resources\":[\"arn:aws:ec2:us-east-1:123456789012:instance/i-1234567890abcdef0\"],"
            + "\"detail\":{\"instance-id\":\"i-1234567890abcdef0\",\"state\":\"pending\"}}";

    @Test
    void testEventPattern_whenAwsCliExample_thenTrue() {
        // aws-cli's examples/events/test-event-pattern.rst: "In this example, the output would be true" (no resources)
        boolean result = events.testEventPattern(b -> b.eventPattern("{\"source\":[\"com.mycompany.myapp\"]}")
                .event("{\"id\":\"1\",\"source\":\"com.mycompany.myapp\",\"detail-type\":\"myDetailType\","
                        + "\"account\":\"123456789012\",\"region\":\"us-east-1\",\"time\":\"2017-04-11T20:11:04Z\"}")).result();

        assertThat(result).isTrue();
    }

    @Test
    void testEventPattern_whenUserGuideTerminationPattern_thenMatchesTheTerminatedEventOnly() {
        assertThat(events.testEventPattern(b -> b.eventPattern(EC2_TERMINATION_PATTERN).event(EC2_TERMINATED)).result())
                .as("the guide's example event is what its pattern selects").isTrue();
        assertThat(events.testEventPattern(b -> b.eventPattern(EC2_TERMINATION_PATTERN).event(EC2_PENDING)).result())
                .as("an instance entering pending is not a termination").isFalse();
        assertThat(events.testEventPattern(b -> b.eventPattern(
                "{\"detail\":{\"state\":[\"terminated\",\"stopping\",\"stopped\",\"shutting-down\"]}}").event(EC2_PENDING)).result())
                .as("AWS User Notifications guide: terminated, stopping, stopped or shutting-down").isFalse();
    }

    @Test
    void testEventPattern_whenTheOrderConfirmedRuleOfTheSubscriberGuide_thenMatchesOnlyOrderConfirmed() {
        String pattern = "{\"source\":[\"order-pipeline\"],\"detail-type\":[\"OrderConfirmed\"]}";
        String confirmed = "{\"id\":\"e-1\",\"source\":\"order-pipeline\",\"detail-type\":\"OrderConfirmed\","
                + "\"account\":\"000000000000\",\"region\":\"us-east-1\",\"time\":\"2026-11-26T10:00:00Z\",\"resources\":[],"
                + "\"detail\":{\"schemaVersion\":1,\"total\":\"25.99\"}}";

        assertThat(events.testEventPattern(b -> b.eventPattern(pattern).event(confirmed)).result()).isTrue();
        assertThat(events.testEventPattern(b -> b.eventPattern(pattern)
                .event(confirmed.replace("OrderConfirmed", "OrderCancelled"))).result()).isFalse();
    }

    @Test
    void testEventPattern_whenPatternIsInvalid_thenInvalidEventPatternException() {
        // the pattern of buildkite/docs#896 and the reason AWS gave for it
        assertThatThrownBy(() -> events.testEventPattern(b -> b.eventPattern(
                "{ \"detail-type\": [ \"Build Started\", \"Build Finished\" ], \"detail\": { \"pipeline\": { \"slug\": \"some-pipeline\" } } }")
                .event(EC2_TERMINATED)))
                .isInstanceOf(InvalidEventPatternException.class)
                .hasMessageStartingWith("Event pattern is not valid. Reason: \"slug\" must be an object or an array");
    }

    @Test
    void testEventPattern_whenEventLacksARequiredField_thenParameterEventIsNotValid() {
        // AWS's answer to an event without id, account, ... (reported in public issues); resources is not required
        String noTime = "{\"id\":\"1\",\"source\":\"com.mycompany.myapp\",\"detail-type\":\"myDetailType\","
                + "\"account\":\"123456789012\",\"region\":\"us-east-1\"}";
        for (String event : new String[] {noTime, "not json", "[1]"}) {
            assertThatThrownBy(() -> events.testEventPattern(b -> b.eventPattern("{\"source\":[\"com.mycompany.myapp\"]}").event(event)))
                    .as("event %s", event)
                    .isInstanceOfSatisfying(EventBridgeException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Parameter Event is not valid.");
                    });
        }
    }
}
