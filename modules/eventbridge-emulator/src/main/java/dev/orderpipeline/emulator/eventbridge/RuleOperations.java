package dev.orderpipeline.emulator.eventbridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The rule and target operations: PutRule, DescribeRule, ListRules, DeleteRule, EnableRule, DisableRule,
 * PutTargets, RemoveTargets and ListTargetsByRule, and TestEventPattern. Rules are event-pattern rules only;
 * schedules are refused.
 */
final class RuleOperations {
    private static final Pattern RULE_NAME = Pattern.compile("[\\.\\-_A-Za-z0-9]+");
    private static final int MAX_TARGETS_PER_CALL = 10;
    private static final List<String> TEST_EVENT_FIELDS =
            List.of("id", "account", "source", "time", "region", "detail-type");

    private final EventBuses buses;
    private final AwsAccount account;

    RuleOperations(EventBuses buses, AwsAccount account) {
        this.buses = buses;
        this.account = account;
    }

    /**
     * Creates or replaces a rule. As on AWS an update replaces the whole definition (an omitted State or Description
     * goes back to its default) and keeps the rule's targets. Role ARNs and tags are accepted and ignored.
     */
    ObjectNode putRule(JsonNode request) {
        String name = Json.requiredName(request, "Name", RULE_NAME, 64);
        EventBus bus = bus(request);
        if (Json.optionalText(request, "ScheduleExpression").isPresent()) {
            throw ApiException.unsupported("ScheduleExpression");
        }
        String patternText = Json.optionalText(request, "EventPattern")
                .orElseThrow(() -> ApiException.validation(
                        "Parameter(s) EventPattern or ScheduleExpression must be specified."));
        EventPattern pattern = EventPattern.compile(patternText);
        RuleState state = Json.optionalText(request, "State").map(RuleState::parse).orElse(RuleState.ENABLED);
        Optional<String> description = Json.optionalText(request, "Description");
        String arn = account.ruleArn(bus.name(), name);

        bus.rules().compute(name, (key, existing) -> new Rule(bus.name(), name, arn, pattern, state, description,
                existing == null ? Map.of() : existing.targets()));
        return Json.object().put("RuleArn", arn);
    }

    ObjectNode describeRule(JsonNode request) {
        Rule rule = rule(bus(request), Json.requiredText(request, "Name"));
        return describe(rule).put("CreatedBy", account.id());
    }

    ObjectNode listRules(JsonNode request) {
        EventBus bus = bus(request);
        String prefix = Json.optionalText(request, "NamePrefix").orElse("");
        return Paging.page(
                bus.rules().values().stream().filter(rule -> rule.name().startsWith(prefix)).toList(),
                Rule::name, request, "Rules", this::describe);
    }

    /** Deleting a rule that doesn't exist succeeds; one that still has targets is refused, as on AWS. */
    ObjectNode deleteRule(JsonNode request) {
        EventBus bus = bus(request);
        bus.rules().computeIfPresent(Json.requiredText(request, "Name"), (key, rule) -> {
            if (!rule.targets().isEmpty()) {
                throw ApiException.validation("Rule can't be deleted since it has targets.");
            }
            return null;
        });
        return Json.object();
    }

    /**
     * Adds or replaces targets by Id. Entries for targets the local endpoint can't deliver to are reported in
     * {@code FailedEntries}; the other entries of the same call are still applied.
     */
    ObjectNode putTargets(JsonNode request) {
        EventBus bus = bus(request);
        String ruleName = Json.requiredText(request, "Rule");
        List<ObjectNode> entries = Json.requiredObjects(request, "Targets");
        if (entries.isEmpty() || entries.size() > MAX_TARGETS_PER_CALL) {
            throw ApiException.validation("1 validation error detected: Value at 'targets' failed to satisfy"
                    + " constraint: Member must have length between 1 and " + MAX_TARGETS_PER_CALL);
        }
        entries.forEach(RuleTarget::checkConstraints);

        List<RuleTarget> accepted = new ArrayList<>();
        ArrayNode failed = Json.MAPPER.createArrayNode();
        for (ObjectNode entry : entries) {
            try {
                accepted.add(RuleTarget.parse(entry));
            } catch (ApiException e) {
                failed.addObject()
                        .put("TargetId", entry.get("Id").textValue())
                        .put("ErrorCode", e.errorType())
                        .put("ErrorMessage", e.getMessage());
            }
        }
        updateRule(bus, ruleName, rule -> {
            Map<String, RuleTarget> targets = new LinkedHashMap<>(rule.targets());
            accepted.forEach(target -> targets.put(target.id(), target));
            if (targets.size() > Rule.MAX_TARGETS) {
                throw new ApiException(400, "LimitExceededException",
                        "The requested resource exceeds the maximum number allowed.");
            }
            return rule.withTargets(targets);
        });
        return failedEntries(failed);
    }

    /** Ids that the rule doesn't have are ignored, as on AWS. */
    ObjectNode removeTargets(JsonNode request) {
        EventBus bus = bus(request);
        String ruleName = Json.requiredText(request, "Rule");
        ArrayNode ids = Json.requiredArray(request, "Ids");
        updateRule(bus, ruleName, rule -> {
            Map<String, RuleTarget> targets = new LinkedHashMap<>(rule.targets());
            ids.forEach(id -> targets.remove(id.asText()));
            return rule.withTargets(targets);
        });
        return failedEntries(Json.MAPPER.createArrayNode());
    }

    ObjectNode listTargetsByRule(JsonNode request) {
        Rule rule = rule(bus(request), Json.requiredText(request, "Rule"));
        return Paging.page(rule.targets().values(), RuleTarget::id, request, "Targets", RuleTarget::json);
    }

    /**
     * TestEventPattern: the pattern is compiled and matched exactly as a rule's is. The event must be a JSON object
     * with the fields AWS requires in practice (its documentation also lists {@code resources}, which AWS does not
     * enforce, and its own CLI example leaves out).
     */
    ObjectNode testEventPattern(JsonNode request) {
        EventPattern pattern = EventPattern.compile(Json.requiredText(request, "EventPattern"));
        JsonNode event = eventObject(Json.requiredText(request, "Event"));
        if (event == null || !TEST_EVENT_FIELDS.stream().allMatch(event::has)) {
            throw ApiException.validation("Parameter Event is not valid.");
        }
        return Json.object().put("Result", pattern.matches(event));
    }

    /** @return the event as a JSON object, or null when it is not one */
    private static JsonNode eventObject(String text) {
        try {
            JsonNode event = Json.MAPPER.readTree(text);
            return event != null && event.isObject() ? event : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private ObjectNode describe(Rule rule) {
        ObjectNode json = Json.object()
                .put("Name", rule.name())
                .put("Arn", rule.arn())
                .put("EventPattern", rule.pattern().text())
                .put("State", rule.state().name());
        rule.description().ifPresent(text -> json.put("Description", text));
        return json.put("EventBusName", rule.busName());
    }

    private EventBus bus(JsonNode request) {
        return buses.require(Json.optionalText(request, "EventBusName").orElse(EventBuses.DEFAULT_BUS));
    }

    private static Rule rule(EventBus bus, String name) {
        Rule rule = bus.rules().get(name);
        if (rule == null) {
            throw ApiException.ruleNotFound(name, bus.name());
        }
        return rule;
    }

    /** Applies a change atomically against concurrent updates of the same rule. */
    private static void updateRule(EventBus bus, String name, UnaryOperator<Rule> change) {
        bus.rules().compute(name, (key, rule) -> {
            if (rule == null) {
                throw ApiException.ruleNotFound(name, bus.name());
            }
            return change.apply(rule);
        });
    }

    private static ObjectNode failedEntries(ArrayNode failed) {
        ObjectNode response = Json.object().put("FailedEntryCount", failed.size());
        response.set("FailedEntries", failed);
        return response;
    }
}
