package dev.orderpipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orderpipeline.local.PipelineResources;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DLQ redrive state machine ({@code DefinitionUri} of {@code DlqRedriveStateMachine}) as a graph: every transition
 * lands on a state, every state is reachable and can finish, loops wait and are bounded, failures carry the error
 * names the runbook documents, and the tasks are the direct SQS and EventBridge integrations the policy grants.
 */
class StateMachineStructureTest {
    /** The Fail states' errors, as docs/operations.md documents them. */
    private static final Set<String> DOCUMENTED_ERRORS = Set.of(
            "DlqRedrive.InvalidInput",
            "DlqRedrive.MoveTaskFailed",
            "DlqRedrive.TimedOut",
            "DlqRedrive.MoveTaskNotFound",
            "DlqRedrive.ApiCallFailed",
            "DlqRedrive.OutcomeNotPublished");
    private static final Set<String> ALLOWED_RESOURCES = Set.of(
            "arn:aws:states:::aws-sdk:sqs:getQueueAttributes",
            "arn:aws:states:::aws-sdk:sqs:startMessageMoveTask",
            "arn:aws:states:::aws-sdk:sqs:listMessageMoveTasks",
            "arn:aws:states:::aws-sdk:sqs:cancelMessageMoveTask",
            "arn:aws:states:::events:putEvents");
    /** Step Functions fails a Standard execution itself, without running any Catch, past this many history events. */
    private static final int HISTORY_LIMIT = 25_000;
    private static final Set<String> TERMINAL_TYPES = Set.of("Succeed", "Fail");

    private static String definitionUri;
    private static JsonNode definition;
    private static Map<String, JsonNode> states;

    @BeforeAll
    static void loadDefinition() {
        definitionUri = String.valueOf(StackTemplate.load().properties("DlqRedriveStateMachine").get("DefinitionUri"));
        try {
            definition = new ObjectMapper().readTree(RepoFiles.text(definitionUri));
        } catch (JsonProcessingException e) {
            fail(definitionUri + " is not valid JSON: " + e.getOriginalMessage());
        }
        states = new LinkedHashMap<>();
        definition.path("States").fields().forEachRemaining(e -> states.put(e.getKey(), e.getValue()));
    }

    @Test
    void definition_hasStates_andStartAtNamesOne() {
        assertThat(states).as("%s has no States", definitionUri).isNotEmpty();
        assertThat(states).as("%s: StartAt '%s' is not a state", definitionUri, definition.path("StartAt").asText())
                .containsKey(definition.path("StartAt").asText());
    }

    @Test
    void transitions_landOnExistingStates_andEveryStateIsReachable() {
        states.forEach((name, state) -> {
            for (String target : transitions(state)) {
                assertThat(states).as("%s: state %s moves to '%s', which does not exist", definitionUri, name, target)
                        .containsKey(target);
            }
        });
        Set<String> reachable = reachableFrom(definition.path("StartAt").asText());
        Set<String> unreachable = new TreeSet<>(states.keySet());
        unreachable.removeAll(reachable);
        assertThat(unreachable).as("%s: states no transition leads to (dead code, or a missing Next)", definitionUri).isEmpty();
    }

    @Test
    void everyState_endsOrMovesOn_andCanReachAnEnd() {
        boolean succeeds = false;
        boolean fails = false;
        for (Map.Entry<String, JsonNode> entry : states.entrySet()) {
            String name = entry.getKey();
            JsonNode state = entry.getValue();
            String type = state.path("Type").asText();
            assertThat(type).as("%s: state %s has no Type", definitionUri, name).isNotEmpty();
            succeeds |= type.equals("Succeed");
            fails |= type.equals("Fail");
            if (TERMINAL_TYPES.contains(type)) {
                assertThat(state.has("Next") || state.has("End"))
                        .as("%s: %s state %s must not have Next or End", definitionUri, type, name).isFalse();
            } else if (type.equals("Choice")) {
                assertThat(state.has("Next") || state.has("End"))
                        .as("%s: Choice state %s must not have Next or End (its rules and Default choose)", definitionUri, name)
                        .isFalse();
                assertThat(state.path("Choices").isArray() && !state.path("Choices").isEmpty())
                        .as("%s: Choice state %s needs a non-empty Choices list", definitionUri, name).isTrue();
                assertThat(state.has("Default"))
                        .as("%s: Choice state %s needs a Default, or an unmatched value fails the execution with"
                                + " States.NoChoiceMatched", definitionUri, name).isTrue();
            } else {
                boolean next = state.hasNonNull("Next");
                boolean end = state.path("End").asBoolean(false);
                assertThat(next ^ end).as("%s: %s state %s needs exactly one of Next or End: true", definitionUri, type, name)
                        .isTrue();
            }
        }
        assertThat(succeeds).as("%s has no Succeed state", definitionUri).isTrue();
        assertThat(fails).as("%s has no Fail state: failures would look like successes", definitionUri).isTrue();

        for (String name : states.keySet()) {
            boolean canFinish = reachableFrom(name).stream().anyMatch(s -> isEnd(states.get(s)));
            assertThat(canFinish).as("%s: from state %s no Succeed, Fail or End state can be reached (an endless loop)",
                    definitionUri, name).isTrue();
        }
    }

    @Test
    void loops_waitBetweenPolls_andAreBoundedByMaxPolls() {
        List<Set<String>> loops = loops();
        assertThat(loops).as("%s should poll the move task in a loop", definitionUri).isNotEmpty();
        for (Set<String> loop : loops) {
            assertThat(loop.stream().map(states::get).anyMatch(s -> s.path("Type").asText().equals("Wait")))
                    .as("%s: the loop %s has no Wait state, so it would poll SQS as fast as Step Functions runs", definitionUri, loop)
                    .isTrue();
            boolean bounded = false;
            for (String name : loop) {
                JsonNode state = states.get(name);
                if (!state.path("Type").asText().equals("Choice")) {
                    continue;
                }
                for (JsonNode rule : state.path("Choices")) {
                    if ("$.config.maxPolls".equals(rule.path("NumericGreaterThanEqualsPath").asText())
                            && !loop.contains(rule.path("Next").asText())) {
                        bounded = true;
                    }
                }
            }
            assertThat(bounded).as("%s: the loop %s never leaves when the poll count reaches $.config.maxPolls, so a stuck"
                    + " move task keeps the execution alive until the history limit", definitionUri, loop).isTrue();
            assertThat(loop.stream().map(states::get).anyMatch(s -> s.path("Parameters").toString().contains("States.MathAdd")))
                    .as("%s: the loop %s never increments the poll counter (States.MathAdd)", definitionUri, loop).isTrue();
        }
    }

    /**
     * The worst-case history of the longest execution stays under Step Functions' limit, every retry used: per poll
     * round each non-task state writes 2 events (entered, exited), a task 5 (entered, scheduled, started, succeeded,
     * exited) and 3 more per retried attempt (scheduled, started, failed); the round runs at most the largest maxPolls
     * ValidateInputValues lets through; every other state is counted once at its own worst case, as if all ran.
     */
    @Test
    void history_withEveryRetryUsedAtTheLargestMaxPolls_staysUnderTheLimit() {
        List<Set<String>> loops = loops();
        assertThat(loops).as("%s: one polling loop", definitionUri).hasSize(1);
        Set<String> loop = loops.get(0);
        int maxPolls = -1;
        for (JsonNode rule : states.get("ValidateInputValues").path("Choices").path(0).path("And")) {
            if ("$.config.maxPolls".equals(rule.path("Variable").asText()) && rule.has("NumericLessThanEquals")) {
                maxPolls = rule.path("NumericLessThanEquals").asInt();
            }
        }
        assertThat(maxPolls).as("%s: ValidateInputValues caps $.config.maxPolls", definitionUri).isPositive();
        int perRound = loop.stream().mapToInt(name -> worstCaseEvents(states.get(name))).sum();
        int outside = states.entrySet().stream().filter(e -> !loop.contains(e.getKey()))
                .mapToInt(e -> worstCaseEvents(e.getValue())).sum();
        int worst = 2 + maxPolls * perRound + outside; // 2: execution started and ended
        System.out.printf("%s: at most %d events per poll round x %d polls + %d outside the loop + 2 = %d of %d%n",
                definitionUri, perRound, maxPolls, outside, worst, HISTORY_LIMIT);
        assertThat(worst).as("%s: worst-case history events (%d per poll round, %d polls, %d outside the loop)",
                definitionUri, perRound, maxPolls, outside).isLessThan(HISTORY_LIMIT);
    }

    private static int worstCaseEvents(JsonNode state) {
        if (!state.path("Type").asText().equals("Task")) {
            return 2;
        }
        int retries = 0;
        for (JsonNode retrier : state.path("Retry")) {
            retries += retrier.path("MaxAttempts").asInt(3); // 3 is the States Language default
        }
        return 5 + 3 * retries;
    }

    @Test
    void failStates_raiseTheDocumentedErrors() {
        String runbook = RepoFiles.text(RepoFiles.OPERATIONS_DOC);
        Set<String> errors = new TreeSet<>();
        states.forEach((name, state) -> {
            if (state.path("Type").asText().equals("Fail")) {
                String error = state.path("Error").asText();
                assertThat(error).as("%s: Fail state %s has no Error name for operators to match", definitionUri, name).isNotEmpty();
                assertThat(DOCUMENTED_ERRORS).as("%s: Fail state %s raises %s, which is not one of the documented errors;"
                        + " document it in %s and in this test", definitionUri, name, error, RepoFiles.OPERATIONS_DOC).contains(error);
                assertThat(state.has("Cause") || state.has("CausePath"))
                        .as("%s: Fail state %s should say why (Cause or CausePath)", definitionUri, name).isTrue();
                errors.add(error);
            }
        });
        assertThat(errors).as("%s: documented errors that no Fail state raises", definitionUri)
                .containsAll(Set.of("DlqRedrive.MoveTaskFailed", "DlqRedrive.TimedOut", "DlqRedrive.MoveTaskNotFound"));
        for (String error : errors) {
            assertThat(runbook).as("%s raises %s, but %s does not explain it", definitionUri, error, RepoFiles.OPERATIONS_DOC)
                    .contains(error);
        }
    }

    @Test
    void tasks_useDirectSqsAndEventBridgeIntegrations_withRetriesAndCaughtFailures() {
        Set<String> used = new TreeSet<>();
        states.forEach((name, state) -> {
            if (!state.path("Type").asText().equals("Task")) {
                return;
            }
            String resource = state.path("Resource").asText();
            assertThat(ALLOWED_RESOURCES).as("%s: task %s calls %s; the redrive uses only the SQS SDK integrations and"
                    + " events:putEvents (no Lambda), which DlqRedriveStateMachine's policy grants", definitionUri, name, resource)
                    .contains(resource);
            used.add(resource);
            assertThat(state.path("Retry").isArray() && !state.path("Retry").isEmpty())
                    .as("%s: task %s needs a Retry for throttling and transient errors", definitionUri, name).isTrue();
            boolean catchesAll = false;
            for (JsonNode c : state.path("Catch")) {
                for (JsonNode e : c.path("ErrorEquals")) {
                    catchesAll |= e.asText().equals("States.ALL");
                }
                JsonNode target = states.get(c.path("Next").asText());
                assertThat(target == null || reachableFrom(c.path("Next").asText()).stream()
                        .map(states::get).anyMatch(s -> s.path("Type").asText().equals("Fail")))
                        .as("%s: task %s catches errors into %s, from which no Fail state is reachable: the execution"
                                + " would report success after a failure", definitionUri, name, c.path("Next").asText())
                        .isTrue();
            }
            assertThat(catchesAll).as("%s: task %s needs a Catch on States.ALL that leads to a Fail state (and a"
                    + " DlqRedriveFailed event where possible)", definitionUri, name).isTrue();
        });
        assertThat(used).as("%s must read the DLQ depth, start the move task, follow it and publish the outcome", definitionUri)
                .isEqualTo(ALLOWED_RESOURCES);
    }

    @Test
    void moveTask_movesFromTheDeadLetterQueueToTheOrdersQueue() {
        for (JsonNode state : states.values()) {
            String resource = state.path("Resource").asText();
            if (resource.endsWith(":startMessageMoveTask")) {
                assertThat(state.path("Parameters").path("SourceArn").asText())
                        .as("%s: the move task's SourceArn must be the dead-letter queue", definitionUri)
                        .isEqualTo("${OrdersDeadLetterQueueArn}");
                assertThat(state.path("Parameters").path("DestinationArn").asText())
                        .as("%s: the move task's DestinationArn must be the orders queue", definitionUri)
                        .isEqualTo("${OrdersQueueArn}");
                assertThat(state.path("Parameters").has("MaxNumberOfMessagesPerSecond.$"))
                        .as("%s: the move rate must come from the execution input (with a default)", definitionUri).isTrue();
            } else if (resource.endsWith(":listMessageMoveTasks")) {
                assertThat(state.path("Parameters").path("SourceArn").asText())
                        .as("%s: follow the move task of the dead-letter queue", definitionUri)
                        .isEqualTo("${OrdersDeadLetterQueueArn}");
            } else if (resource.endsWith(":getQueueAttributes")) {
                assertThat(state.path("Parameters").path("QueueUrl").asText())
                        .as("%s: read the depth of the dead-letter queue", definitionUri)
                        .isEqualTo("${OrdersDeadLetterQueueUrl}");
            }
        }
    }

    @Test
    void outcomeEvents_goToThePipelineBus_withThePipelineSource() {
        Set<String> detailTypes = new TreeSet<>();
        for (Map.Entry<String, JsonNode> entry : states.entrySet()) {
            JsonNode state = entry.getValue();
            if (!state.path("Resource").asText().equals("arn:aws:states:::events:putEvents")) {
                continue;
            }
            for (JsonNode e : state.path("Parameters").path("Entries")) {
                assertThat(e.path("EventBusName").asText()).as("%s: %s must publish on ${EventBusName}", definitionUri, entry.getKey())
                        .isEqualTo("${EventBusName}");
                assertThat(e.path("Source").asText())
                        .as("%s: %s must publish with Source ${EventSource} (substituted with %s)", definitionUri,
                                entry.getKey(), PipelineResources.EVENT_SOURCE)
                        .isEqualTo("${EventSource}");
                detailTypes.add(e.path("DetailType").asText());
                assertThat(e.path("Detail").isObject()).as("%s: %s Detail should be a JSON object", definitionUri, entry.getKey())
                        .isTrue();
            }
            assertThat(state.path("ResultPath").isNull())
                    .as("%s: %s should discard the PutEvents result (ResultPath: null) so the failure details survive",
                            definitionUri, entry.getKey()).isTrue();
        }
        assertThat(detailTypes).as("%s: outcome events are DlqRedriveCompleted and DlqRedriveFailed (docs/operations.md)",
                definitionUri).isEqualTo(Set.of("DlqRedriveCompleted", "DlqRedriveFailed"));
    }

    // ------------------------------------------------------------------------------------------------------------

    private static boolean isEnd(JsonNode state) {
        return TERMINAL_TYPES.contains(state.path("Type").asText()) || state.path("End").asBoolean(false);
    }

    private static List<String> transitions(JsonNode state) {
        List<String> targets = new ArrayList<>();
        if (state.hasNonNull("Next")) {
            targets.add(state.get("Next").asText());
        }
        if (state.hasNonNull("Default")) {
            targets.add(state.get("Default").asText());
        }
        for (JsonNode choice : state.path("Choices")) {
            targets.add(choice.path("Next").asText());
        }
        for (JsonNode c : state.path("Catch")) {
            targets.add(c.path("Next").asText());
        }
        return targets;
    }

    private static Set<String> reachableFrom(String start) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (!seen.add(name) || !states.containsKey(name)) {
                continue;
            }
            todo.addAll(transitions(states.get(name)));
        }
        seen.retainAll(states.keySet());
        return seen;
    }

    /** Strongly connected components with a cycle (Tarjan), i.e. the definition's loops. */
    private static List<Set<String>> loops() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new LinkedHashSet<>();
        List<Set<String>> components = new ArrayList<>();
        int[] counter = {0};
        for (String name : states.keySet()) {
            if (!index.containsKey(name)) {
                strongConnect(name, index, low, stack, onStack, components, counter);
            }
        }
        components.removeIf(c -> c.size() == 1 && !transitions(states.get(c.iterator().next())).contains(c.iterator().next()));
        return components;
    }

    private static void strongConnect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                                      Set<String> onStack, List<Set<String>> components, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]);
        counter[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : transitions(states.get(v))) {
            if (!states.containsKey(w)) {
                continue;
            }
            if (!index.containsKey(w)) {
                strongConnect(w, index, low, stack, onStack, components, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            components.add(component);
        }
    }
}
