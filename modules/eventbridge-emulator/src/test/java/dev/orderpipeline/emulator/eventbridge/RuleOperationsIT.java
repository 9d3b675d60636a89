package dev.orderpipeline.emulator.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.orderpipeline.emulator.eventbridge.LocalEventBridge.Queue;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.DescribeRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.InvalidEventPatternException;
import software.amazon.awssdk.services.eventbridge.model.LimitExceededException;
import software.amazon.awssdk.services.eventbridge.model.PutTargetsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutTargetsResultEntry;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.model.Rule;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Target;

class RuleOperationsIT extends EventBridgeFixture {
    private static final String PATTERN = "{\"source\":[\"shop.orders\"]}";

    @Test
    void putRule_whenOnDefaultBus_thenDescribeReturnsDefinitionAndShortArn() {
        String name = LocalEventBridge.unique("confirmed");

        String arn = events.putRule(request -> request.name(name).eventPattern(PATTERN).description("fan-out"))
                .ruleArn();
        DescribeRuleResponse described = events.describeRule(request -> request.name(name));

        assertThat(arn).isEqualTo("arn:aws:events:us-east-1:000000000000:rule/" + name);
        assertThat(described.name()).isEqualTo(name);
        assertThat(described.arn()).isEqualTo(arn);
        assertThat(described.eventPattern()).isEqualTo(PATTERN);
        assertThat(described.state()).isEqualTo(RuleState.ENABLED);
        assertThat(described.description()).isEqualTo("fan-out");
        assertThat(described.eventBusName()).isEqualTo("default");
    }

    @Test
    void putRule_whenOnCustomBusGivenByArn_thenArnIncludesBusName() {
        String bus = LocalEventBridge.unique("orders");
        String busArn = events.createEventBus(request -> request.name(bus)).eventBusArn();
        String name = LocalEventBridge.unique("confirmed");

        String arn = events.putRule(request -> request.name(name).eventBusName(busArn).eventPattern(PATTERN)).ruleArn();

        assertThat(arn).isEqualTo("arn:aws:events:us-east-1:000000000000:rule/" + bus + "/" + name);
        assertThat(events.describeRule(request -> request.name(name).eventBusName(bus)).eventBusName()).isEqualTo(bus);
    }

    @Test
    void putRule_whenPatternInvalid_thenInvalidEventPatternWithRulerReason() {
        assertThatThrownBy(() -> events.putRule(request -> request.name("bad").eventPattern("{\"source\":\"shop\"}")))
                .isInstanceOf(InvalidEventPatternException.class)
                .hasMessageContaining("Event pattern is not valid. Reason: \"source\" must be an object or an array");
        assertThatThrownBy(() -> events.putRule(request -> request.name("bad").eventPattern("{}")))
                .isInstanceOf(InvalidEventPatternException.class)
                .hasMessageContaining("Empty objects are not allowed");
        assertThatThrownBy(() -> events.describeRule(request -> request.name("bad")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void putRule_whenBusMissing_thenResourceNotFound() {
        assertThatThrownBy(() -> events.putRule(request ->
                request.name("r").eventBusName("no-such-bus").eventPattern(PATTERN)))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Event bus no-such-bus does not exist.");
    }

    @Test
    void putRule_whenScheduleExpressionGiven_thenRefused() {
        assertThatThrownBy(() -> events.putRule(request -> request.name("nightly").scheduleExpression("rate(1 day)")))
                .isInstanceOfSatisfying(EventBridgeException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("ScheduleExpression is not supported");
                });
    }

    @Test
    void putRule_whenRuleExists_thenDefinitionIsReplacedAndTargetsKept() {
        String name = LocalEventBridge.unique("confirmed");
        Queue queue = local.createQueue("confirmed");
        events.putRule(request ->
                request.name(name).eventPattern(PATTERN).state(RuleState.DISABLED).description("old"));
        events.putTargets(request -> request.rule(name).targets(Target.builder().id("q").arn(queue.arn()).build()));
        String replacement = "{\"detail-type\":[\"OrderConfirmed\"]}";

        events.putRule(request -> request.name(name).eventPattern(replacement));

        DescribeRuleResponse described = events.describeRule(request -> request.name(name));
        assertThat(described.eventPattern()).isEqualTo(replacement);
        assertThat(described.state()).isEqualTo(RuleState.ENABLED);
        assertThat(described.description()).isNull();
        assertThat(events.listTargetsByRule(request -> request.rule(name)).targets()).extracting(Target::id)
                .containsExactly("q");
    }

    @Test
    void describeRule_whenRuleMissing_thenResourceNotFound() {
        assertThatThrownBy(() -> events.describeRule(request -> request.name("no-such-rule")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Rule no-such-rule does not exist on EventBus default.");
    }

    @Test
    void listRules_whenNamePrefixGiven_thenOnlyMatchingRulesOfThatBus() {
        String bus = LocalEventBridge.unique("orders");
        events.createEventBus(request -> request.name(bus));
        for (String name : new String[] {"confirmed-email", "confirmed-ledger", "cancelled"}) {
            events.putRule(request -> request.name(name).eventBusName(bus).eventPattern(PATTERN));
        }
        events.putRule(request -> request.name(LocalEventBridge.unique("confirmed-elsewhere")).eventPattern(PATTERN));

        assertThat(events.listRules(request -> request.eventBusName(bus).namePrefix("confirmed")).rules())
                .extracting(Rule::name, Rule::eventBusName, Rule::stateAsString)
                .containsExactly(
                        tuple("confirmed-email", bus, "ENABLED"),
                        tuple("confirmed-ledger", bus, "ENABLED"));
    }

    @Test
    void deleteRule_whenTargetsRemain_thenValidationExceptionUntilTargetsRemoved() {
        String name = LocalEventBridge.unique("confirmed");
        Queue queue = local.createQueue("confirmed");
        events.putRule(request -> request.name(name).eventPattern(PATTERN));
        events.putTargets(request -> request.rule(name).targets(Target.builder().id("q").arn(queue.arn()).build()));

        assertThatThrownBy(() -> events.deleteRule(request -> request.name(name)))
                .isInstanceOfSatisfying(EventBridgeException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("Rule can't be deleted since it has targets.");
                });

        events.removeTargets(request -> request.rule(name).ids("q"));
        events.deleteRule(request -> request.name(name));

        assertThatThrownBy(() -> events.describeRule(request -> request.name(name)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void putRule_whenStateDisabled_thenDescribedDisabledUntilPutAgain() {
        String name = LocalEventBridge.unique("confirmed");

        events.putRule(request -> request.name(name).eventPattern(PATTERN).state(RuleState.DISABLED));
        RuleState disabled = events.describeRule(request -> request.name(name)).state();
        events.putRule(request -> request.name(name).eventPattern(PATTERN));

        assertThat(disabled).isEqualTo(RuleState.DISABLED);
        assertThat(events.describeRule(request -> request.name(name)).state()).isEqualTo(RuleState.ENABLED);
    }

    @Test
    void deleteRule_whenRuleMissing_thenSucceeds() {
        events.deleteRule(request -> request.name("never-created"));

        assertThatThrownBy(() -> events.describeRule(request -> request.name("never-created")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void putTargets_whenSomeTargetsAreNotSqs_thenTheyAreReportedAndTheOthersAdded() {
        String name = LocalEventBridge.unique("confirmed");
        Queue queue = local.createQueue("confirmed");
        events.putRule(request -> request.name(name).eventPattern(PATTERN));

        PutTargetsResponse response = events.putTargets(request -> request.rule(name).targets(
                Target.builder().id("lambda").arn("arn:aws:lambda:us-east-1:000000000000:function:notify").build(),
                Target.builder().id("queue").arn(queue.arn()).build(),
                Target.builder().id("transformed").arn(queue.arn())
                        .inputTransformer(transformer -> transformer.inputTemplate("{}")).build()));

        assertThat(response.failedEntryCount()).isEqualTo(2);
        assertThat(response.failedEntries())
                .extracting(PutTargetsResultEntry::targetId, PutTargetsResultEntry::errorCode)
                .containsExactly(
                        tuple("lambda", "ValidationException"),
                        tuple("transformed", "ValidationException"));
        assertThat(response.failedEntries().get(0).errorMessage()).contains("delivers only to SQS targets");
        assertThat(response.failedEntries().get(1).errorMessage()).contains("InputTransformer is not supported");
        assertThat(events.listTargetsByRule(request -> request.rule(name)).targets()).extracting(Target::id)
                .containsExactly("queue");
    }

    @Test
    void putTargets_whenRuleWouldHaveMoreThanFiveTargets_thenLimitExceeded() {
        String name = LocalEventBridge.unique("confirmed");
        Queue queue = local.createQueue("confirmed");
        events.putRule(request -> request.name(name).eventPattern(PATTERN));
        Target[] six = new Target[6];
        for (int i = 0; i < six.length; i++) {
            six[i] = Target.builder().id("t" + i).arn(queue.arn()).build();
        }

        assertThatThrownBy(() -> events.putTargets(request -> request.rule(name).targets(six)))
                .isInstanceOf(LimitExceededException.class);
        assertThat(events.listTargetsByRule(request -> request.rule(name)).targets()).isEmpty();
    }

    @Test
    void putTargets_whenRuleMissing_thenResourceNotFound() {
        assertThatThrownBy(() -> events.putTargets(request -> request.rule("no-such-rule")
                .targets(Target.builder().id("q").arn(LocalEventBridge.queueArn("q")).build())))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void listTargetsByRule_whenTargetsPut_thenEchoesTheirDefinitions() {
        String name = LocalEventBridge.unique("confirmed");
        Queue queue = local.createQueue("confirmed");
        events.putRule(request -> request.name(name).eventPattern(PATTERN));
        events.putTargets(request -> request.rule(name).targets(
                Target.builder().id("detail-only").arn(queue.arn()).inputPath("$.detail").build(),
                Target.builder().id("constant").arn(queue.arn()).input("{\"ping\":true}").build()));

        assertThat(events.listTargetsByRule(request -> request.rule(name)).targets())
                .extracting(Target::id, Target::arn, Target::inputPath, Target::input)
                .containsExactly(
                        tuple("constant", queue.arn(), null, "{\"ping\":true}"),
                        tuple("detail-only", queue.arn(), "$.detail", null));
    }
}
