package dev.orderpipeline.stack;

import static dev.orderpipeline.stack.CloudFormationYaml.getAtt;
import static dev.orderpipeline.stack.CloudFormationYaml.ref;
import static dev.orderpipeline.stack.StackTemplate.integer;
import static dev.orderpipeline.stack.StackTemplate.list;
import static dev.orderpipeline.stack.StackTemplate.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The example subscriber's wiring in template.yaml: its own buffered queue, DLQ, table and least privilege. */
class OrderHistoryTemplateTest {
    private static final String FUNCTION = "OrderHistoryFunction";
    private static StackTemplate template;

    @BeforeAll
    static void load() {
        template = StackTemplate.load();
    }

    @Test
    void historyQueue_visibilityRedriveAndRetention_fitTheFunction() {
        int timeout = integer(template.effectiveFunctionProperties(FUNCTION).get("Timeout"), "Timeout");
        Map<String, Object> queue = template.properties("OrderHistoryQueue");
        assertThat(integer(queue.get("VisibilityTimeout"), "VisibilityTimeout"))
                .as("OrderHistoryQueue VisibilityTimeout must be at least 6 x OrderHistoryFunction Timeout").isGreaterThanOrEqualTo(6 * timeout);
        Map<String, Object> redrive = map(queue.get("RedrivePolicy"), "RedrivePolicy");
        assertThat(integer(redrive.get("maxReceiveCount"), "maxReceiveCount")).isGreaterThanOrEqualTo(3);
        assertThat(redrive.get("deadLetterTargetArn")).isEqualTo(getAtt("OrderHistoryDeadLetterQueue", "Arn"));
        assertThat(integer(template.properties("OrderHistoryDeadLetterQueue").get("MessageRetentionPeriod"), "DLQ retention"))
                .as("the DLQ must keep messages longer than the queue, or they expire on arrival")
                .isGreaterThan(integer(queue.get("MessageRetentionPeriod"), "queue retention"));
    }

    @Test
    void historyFunction_consumesItsOwnQueue_reportingBatchItemFailures() {
        assertThat(template.events(FUNCTION, "SQS").values()).singleElement().satisfies(event -> {
            assertThat(event.get("Queue")).isEqualTo(getAtt("OrderHistoryQueue", "Arn"));
            assertThat(list(event.get("FunctionResponseTypes"), "FunctionResponseTypes")).contains("ReportBatchItemFailures");
        });
        Map<String, Object> rule = template.properties("OrderHistoryRule");
        assertThat(rule.get("EventBusName")).isEqualTo(ref("OrderEventsBus"));
        Map<String, Object> target = map(list(rule.get("Targets"), "Targets").get(0), "target");
        assertThat(target.get("Arn")).isEqualTo(getAtt("OrderHistoryQueue", "Arn"));
        assertThat(map(target.get("DeadLetterConfig"), "DeadLetterConfig").get("Arn"))
                .isEqualTo(getAtt("OrderHistoryDeadLetterQueue", "Arn"));
    }

    @Test
    void historyFunction_mayOnlyUpdateAndReadItsOwnTable() {
        List<Object> actions = new ArrayList<>();
        for (Object policy : list(template.properties(FUNCTION).get("Policies"), "Policies")) {
            for (Object s : list(map(policy, "policy").get("Statement"), "Statement")) {
                Map<String, Object> statement = map(s, "statement");
                assertThat(statement.get("Resource")).isEqualTo(getAtt("OrderHistoryTable", "Arn"));
                actions.addAll(list(statement.get("Action"), "Action"));
            }
        }
        assertThat(actions).as("DynamoDbOrderHistoryStore calls UpdateItem, and GetItem when a condition failure"
                        + " comes back without the item; nothing else")
                .containsExactlyInAnyOrder("dynamodb:GetItem", "dynamodb:UpdateItem");
    }

    @Test
    void historyTable_stillExpiresTheMarkersOfEarlierVersions_andIsEncrypted() {
        Map<String, Object> table = template.properties("OrderHistoryTable");
        assertThat(map(table.get("TimeToLiveSpecification"), "TTL"))
                .as("earlier versions wrote EVENT#<eventId> markers with expiresAt: the TTL still removes them")
                .isEqualTo(Map.of("AttributeName", "expiresAt", "Enabled", true));
        assertThat(map(table.get("SSESpecification"), "SSE").get("SSEEnabled")).isEqualTo(true);
        assertThat(template.ofType("AWS::CloudWatch::Alarm"))
                .contains("OrderHistoryFunctionErrorsAlarm", "OrderHistoryDeadLetterQueueNotEmptyAlarm");
    }

    @Test
    void crossAccountSubscription_grantsOnlyTheNamedAccount_onlyItsOwnRules_andOnlyWhenNamed() {
        assertThat(template.root().get("Resources")).extracting(r -> map(map(r, "Resources")
                .get("OrderEventsBusSubscriberAccountPolicy"), "policy").get("Condition")).isEqualTo("HasSubscriberAccount");
        Map<String, Object> statement = map(template.properties("OrderEventsBusSubscriberAccountPolicy").get("Statement"), "Statement");
        assertThat(map(statement.get("Principal"), "Principal").get("AWS"))
                .isEqualTo(Map.of("Fn::Sub", "arn:${AWS::Partition}:iam::${SubscriberAccountId}:root"));
        assertThat(statement.get("Condition")).as("only rules the subscriber account created itself")
                .isEqualTo(Map.of("StringEqualsIfExists", Map.of("events:creatorAccount", ref("SubscriberAccountId"))));
        assertThat(list(statement.get("Action"), "Action")).allSatisfy(a -> assertThat(String.valueOf(a))
                .as("rule management only: never PutEvents on the pipeline's bus").matches("events:\\w*(Rule|Targets|TargetsByRule)"));
    }
}
