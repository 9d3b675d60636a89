package dev.orderpipeline.emulator.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class RuleTargetTest {
    private static final String QUEUE_ARN = "arn:aws:sqs:us-east-1:000000000000:confirmed";
    private static final ObjectNode ENVELOPE = (ObjectNode) LocalEventBridge.parse(
            "{\"version\":\"0\",\"id\":\"e-1\",\"detail-type\":\"OrderConfirmed\",\"detail\":{\"orderId\":\"o-1\"}}");

    @Test
    void parse_whenSqsArn_thenQueueNameIsTheLastArnPart() {
        RuleTarget target = RuleTarget.parse(target("\"Id\":\"q\",\"Arn\":\"" + QUEUE_ARN + "\""));

        assertThat(target.queueName()).isEqualTo("confirmed");
        assertThat(target.messageBody(ENVELOPE)).hasValue(ENVELOPE.toString());
    }

    @Test
    void messageBody_whenInputPathSelectsAField_thenThatValueAsJsonText() {
        RuleTarget target = RuleTarget.parse(target(
                "\"Id\":\"q\",\"Arn\":\"" + QUEUE_ARN + "\",\"InputPath\":\"$.detail-type\""));

        assertThat(target.messageBody(ENVELOPE)).hasValue("\"OrderConfirmed\"");
    }

    @Test
    void messageBody_whenInputPathSelectsNothing_thenEmpty() {
        RuleTarget target = RuleTarget.parse(target(
                "\"Id\":\"q\",\"Arn\":\"" + QUEUE_ARN + "\",\"InputPath\":\"$.detail.customerId\""));

        assertThat(target.messageBody(ENVELOPE)).isEmpty();
    }

    @Test
    void parse_whenInputPathUsesArrayIndex_thenRefused() {
        assertThatThrownBy(() -> RuleTarget.parse(target(
                "\"Id\":\"q\",\"Arn\":\"" + QUEUE_ARN + "\",\"InputPath\":\"$.resources[0]\"")))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("InputPath $.resources[0]");
    }

    @Test
    void parse_whenInputIsNotJson_thenRefused() {
        assertThatThrownBy(() -> RuleTarget.parse(target(
                "\"Id\":\"q\",\"Arn\":\"" + QUEUE_ARN + "\",\"Input\":\"not json\"")))
                .isInstanceOf(ApiException.class)
                .hasMessage("Input is not valid JSON text.");
    }

    @Test
    void checkConstraints_whenIdHasSpaces_thenValidationException() {
        ObjectNode spaceInId = target("\"Id\":\"my queue\",\"Arn\":\"" + QUEUE_ARN + "\"");

        assertThatThrownBy(() -> RuleTarget.checkConstraints(spaceInId))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.errorType()).isEqualTo("ValidationException"));
    }

    private static ObjectNode target(String fields) {
        return (ObjectNode) LocalEventBridge.parse("{" + fields + "}");
    }
}
