package dev.orderpipeline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DLQ redrive definition, run: each execution goes through {@code aws-local-stepfunctions} (an independent
 * States Language interpreter on Node.js 20+, installed by this test with {@code npm ci} from
 * {@code src/test/js/package-lock.json}; where Node.js 20+ or npm is missing the test is skipped with the reason printed,
 * so {@code ./mvnw verify} still needs only a JDK, and {@code .ci/run} installs Node.js so CI always runs it)
 * with scripted answers for the SQS and EventBridge calls. The paths the structure test cannot see are checked here:
 * what the execution ends with, which calls it makes, and what it announces.
 */
class StateMachineExecutionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HANDLE = "handle-of-this-execution";
    private static final Map<String, Object> OK = Map.of("result", Map.of("FailedEntryCount", 0));
    private static Interpreter interpreter;

    @BeforeAll
    static void startInterpreter() throws IOException, InterruptedException {
        Path scripts = RepoFiles.root().resolve("modules/stack-contract/src/test/js");
        String missing = NodeTool.whyUnavailable();
        if (missing != null) {
            System.out.println("StateMachineExecutionTest skipped: " + missing);
            Assumptions.abort(missing);
        }
        NodeTool.installDependencies(scripts);
        interpreter = new Interpreter(RepoFiles.file(String.valueOf(
                StackTemplate.load().properties("DlqRedriveStateMachine").get("DefinitionUri"))));
    }

    @AfterAll
    static void stopInterpreter() {
        if (interpreter != null) {
            interpreter.close();
        }
    }

    // ---- input ----

    /**
     * A bare {@code null} as the whole input is left out: the interpreter cannot run any state on it (it takes a null
     * document for a missing one, even for IsNull on {@code $}); Step Functions renders it as the text "null", which
     * IsInputAnObject refuses like the other non-objects here.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "\"go\"", "42", "[]", "[{\"maxPolls\":1}]", "true",                      // not an object
            "{\"maxPoll\":1}", "{\"maxPolls\":1,\"dryRun\":true}", "{\"a:b\":1}",    // unknown fields
            "{\"maxNumberOfMessagesPerSecond\":2.5}", "{\"maxPolls\":1.5}",           // not whole numbers
            "{\"maxPolls\":0}", "{\"maxPolls\":721}", "{\"maxNumberOfMessagesPerSecond\":501}",
            "{\"maxPolls\":\"10\"}", "{\"maxNumberOfMessagesPerSecond\":null}"})
    void run_whenInputIsNotAValidObject_thenFailsWithInvalidInputAndCallsNothing(String input) {
        Execution e = Execution.run(parse(input), Map.of());

        assertThat(e.error()).as("error for input %s (cause: %s)", input, e.cause()).isEqualTo("DlqRedrive.InvalidInput");
        assertThat(e.calls()).as("calls made for input %s", input).isEmpty();
    }

    @Test
    void run_whenInputIsEmpty_thenUsesTheDefaults() {
        Execution e = Execution.run(parse("{}"), redrive(List.of(running(), status("COMPLETED"))));

        assertThat(e.status()).as("cause: %s", e.cause()).isEqualTo("SUCCEEDED");
        assertThat(e.callsTo("StartMoveTask").get(0).path("MaxNumberOfMessagesPerSecond").asInt()).isEqualTo(10);
    }

    @Test
    void run_whenBothFieldsAreWholeNumbersInRange_thenStartsTheTaskAtThatRate() {
        Execution e = Execution.run(parse("{\"maxNumberOfMessagesPerSecond\":500,\"maxPolls\":720}"),
                redrive(List.of(status("COMPLETED"))));

        assertThat(e.status()).as("cause: %s", e.cause()).isEqualTo("SUCCEEDED");
        assertThat(e.callsTo("StartMoveTask").get(0).path("MaxNumberOfMessagesPerSecond").asInt()).isEqualTo(500);
    }

    // ---- outcomes ----

    @Test
    void run_whenTheDeadLetterQueueIsEmpty_thenAnnouncesNothingToMoveWithoutStartingATask() {
        Map<String, List<Map<String, Object>>> responses = new LinkedHashMap<>();
        responses.put("ReadDeadLetterQueueDepth", List.of(depth("0")));
        responses.put("PublishNothingToMove", List.of(OK));

        Execution e = Execution.run(parse("{}"), responses);

        assertThat(e.status()).isEqualTo("SUCCEEDED");
        assertThat(e.calls()).extracting(Call::state).containsExactly("ReadDeadLetterQueueDepth", "PublishNothingToMove");
        assertThat(e.published().path("status").asText()).isEqualTo("NOTHING_TO_MOVE");
    }

    @Test
    void run_whenTheTaskCompletes_thenAnnouncesCompletedWithTheTask() {
        Execution e = Execution.run(parse("{}"), redrive(List.of(running(), running(), status("COMPLETED"))));

        assertThat(e.status()).isEqualTo("SUCCEEDED");
        assertThat(e.callsTo("ReadMoveTaskStatus")).hasSize(3);
        JsonNode detail = e.published();
        assertThat(detail.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(detail.path("moveTaskHandle").asText()).isEqualTo(HANDLE);
        assertThat(detail.path("moveTask").path("Status").asText()).isEqualTo("COMPLETED");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5})
    void run_whenTheTaskKeepsRunning_thenPollsExactlyMaxPollsTimesAndCancelsIt(int maxPolls) {
        Map<String, List<Map<String, Object>>> responses = redrive(List.of(running()));
        responses.put("CancelMoveTask", List.of(Map.of("result", Map.of("ApproximateNumberOfMessagesMoved", 7))));
        responses.put("PublishTimedOut", List.of(OK));

        Execution e = Execution.run(parse("{\"maxPolls\":" + maxPolls + "}"), responses);

        assertThat(e.error()).isEqualTo("DlqRedrive.TimedOut");
        assertThat(e.callsTo("ReadMoveTaskStatus")).as("polls for maxPolls %d", maxPolls).hasSize(maxPolls);
        assertThat(e.callsTo("CancelMoveTask")).extracting(c -> c.path("TaskHandle").asText()).containsExactly(HANDLE);
        assertThat(e.published().path("status").asText()).isEqualTo("TIMED_OUT");
        assertThat(e.published().path("moveTaskHandle").asText()).isEqualTo(HANDLE);
        assertThat(e.cause()).contains(HANDLE).contains(maxPolls + " polls");
    }

    @Test
    void run_whenTheCancelFailsToo_thenTheOutcomeStillNamesTheHandleAndTheCancelError() {
        Map<String, List<Map<String, Object>>> responses = redrive(List.of(running()));
        responses.put("CancelMoveTask", List.of(error("Sqs.ResourceNotFoundException", "no such task")));
        responses.put("PublishTimedOut", List.of(OK));

        Execution e = Execution.run(parse("{\"maxPolls\":1}"), responses);

        assertThat(e.error()).isEqualTo("DlqRedrive.TimedOut");
        assertThat(e.published().path("moveTaskHandle").asText()).isEqualTo(HANDLE);
        assertThat(e.published().path("cancel").path("Error").asText()).isEqualTo("Sqs.ResourceNotFoundException");
        assertThat(e.cause()).contains(HANDLE).contains("Sqs.ResourceNotFoundException");
    }

    @Test
    void run_whenEveryPollIsThrottledOnce_thenStillPollsMaxPollsTimes() {
        List<Map<String, Object>> polls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            polls.add(error("Sqs.RequestThrottledException", "slow down"));
            polls.add(running());
        }
        Map<String, List<Map<String, Object>>> responses = redrive(polls);
        responses.put("CancelMoveTask", List.of(Map.of("result", Map.of())));
        responses.put("PublishTimedOut", List.of(OK));

        Execution e = Execution.run(parse("{\"maxPolls\":3}"), responses);

        assertThat(e.error()).isEqualTo("DlqRedrive.TimedOut");
        assertThat(e.callsTo("ReadMoveTaskStatus")).as("list calls, retries included").hasSize(6);
        assertThat(e.states().stream().filter("CountPoll"::equals)).as("polls counted").hasSize(3);
    }

    /** ElasticMQ drops a cancelled task from the list; an empty (or absent) Results must not break the execution. */
    @ParameterizedTest
    @ValueSource(strings = {"{\"Results\":[]}", "{}"})
    void run_whenTheTaskSeenRunningIsNoLongerListed_thenFailsWithMoveTaskNotFoundAndAnnouncesIt(String listing) {
        Map<String, List<Map<String, Object>>> responses = redrive(List.of(running(),
                Map.of("result", JSON.convertValue(parse(listing), Map.class))));
        responses.put("PublishMoveTaskNotFound", List.of(OK));

        Execution e = Execution.run(parse("{}"), responses);

        assertThat(e.error()).as("cause: %s", e.cause()).isEqualTo("DlqRedrive.MoveTaskNotFound");
        assertThat(e.published().path("status").asText()).isEqualTo("MOVE_TASK_NOT_FOUND");
        assertThat(e.published().path("moveTaskHandle").asText()).isEqualTo(HANDLE);
        assertThat(e.cause()).contains(HANDLE);
    }

    @Test
    void run_whenTheTaskIsNeverListed_thenPollsMaxPollsTimesAndTimesOut() {
        Map<String, List<Map<String, Object>>> responses = redrive(List.of(Map.of("result", Map.of("Results", List.of()))));
        responses.put("CancelMoveTask", List.of(error("Sqs.ResourceNotFoundException", "no such task")));
        responses.put("PublishTimedOut", List.of(OK));

        Execution e = Execution.run(parse("{\"maxPolls\":4}"), responses);

        assertThat(e.error()).as("cause: %s", e.cause()).isEqualTo("DlqRedrive.TimedOut");
        assertThat(e.callsTo("ReadMoveTaskStatus")).hasSize(4);
        assertThat(e.published().path("moveTaskHandle").asText()).isEqualTo(HANDLE);
    }

    /**
     * Right after the start the list may still show the task before ours (finished, so without a handle): it must not
     * be taken for ours, whose own outcome comes later.
     */
    @Test
    void run_whenTheListStillShowsTheTaskBeforeOurs_thenWaitsForOursAndReportsItsOutcome() {
        Map<String, Object> previous = listing(Map.of("Status", "FAILED", "StartedTimestamp", 500,
                "FailureReason", "an older failure"));
        Map<String, List<Map<String, Object>>> responses = redrive(List.of(previous, running(), status("COMPLETED")));
        responses.put("ReadPreviousMoveTask", List.of(previous));

        Execution e = Execution.run(parse("{}"), responses);

        assertThat(e.status()).as("error %s: %s", e.error(), e.cause()).isEqualTo("SUCCEEDED");
        assertThat(e.callsTo("ReadMoveTaskStatus")).hasSize(3);
        assertThat(e.published().path("moveTask").path("StartedTimestamp").asLong()).isEqualTo(1000);
    }

    @Test
    void run_whenAnotherRunningTaskIsNewest_thenFailsWithMoveTaskNotFound() {
        Map<String, List<Map<String, Object>>> responses = redrive(List.of(listing(Map.of("Status", "RUNNING",
                "TaskHandle", "someone-elses", "StartedTimestamp", 2000))));
        responses.put("PublishMoveTaskNotFound", List.of(OK));

        Execution e = Execution.run(parse("{}"), responses);

        assertThat(e.error()).isEqualTo("DlqRedrive.MoveTaskNotFound");
        assertThat(e.calls()).extracting(Call::state).doesNotContain("PublishCompleted", "CancelMoveTask");
    }

    @Test
    void run_whenAFinishedTaskStartedAtAnotherTimeIsNewest_thenFailsWithMoveTaskNotFound() {
        Map<String, List<Map<String, Object>>> responses = redrive(List.of(running(),
                listing(Map.of("Status", "COMPLETED", "StartedTimestamp", 9999))));
        responses.put("PublishMoveTaskNotFound", List.of(OK));

        Execution e = Execution.run(parse("{}"), responses);

        assertThat(e.error()).isEqualTo("DlqRedrive.MoveTaskNotFound");
        assertThat(e.calls()).extracting(Call::state).doesNotContain("PublishCompleted");
    }

    @Test
    void run_whenTheTaskFails_thenTheCauseNamesStatusAndReason() {
        Map<String, List<Map<String, Object>>> responses = redrive(List.of(running(),
                listing(Map.of("Status", "FAILED", "StartedTimestamp", 1000, "FailureReason", "AWS.SimpleQueueService.NonExistentQueue"))));
        responses.put("PublishMoveTaskFailed", List.of(OK));

        Execution e = Execution.run(parse("{}"), responses);

        assertThat(e.error()).isEqualTo("DlqRedrive.MoveTaskFailed");
        assertThat(e.cause()).contains("FAILED").contains("AWS.SimpleQueueService.NonExistentQueue").contains(HANDLE);
        assertThat(e.published().path("status").asText()).isEqualTo("MOVE_TASK_FAILED");
    }

    @Test
    void run_whenTheTaskIsCancelledByAnOperator_thenTheCauseNamesTheStatus() {
        Map<String, List<Map<String, Object>>> responses = redrive(List.of(listing(Map.of("Status", "CANCELLED", "StartedTimestamp", 1000))));
        responses.put("PublishMoveTaskFailed", List.of(OK));

        Execution e = Execution.run(parse("{}"), responses);

        assertThat(e.error()).isEqualTo("DlqRedrive.MoveTaskFailed");
        assertThat(e.cause()).contains("CANCELLED");
    }

    @Test
    void run_whenPollingKeepsFailing_thenCancelsTheTaskAndReportsItsHandle() {
        Map<String, List<Map<String, Object>>> responses = redrive(List.of(running(), error("Sqs.SqsException", "service unavailable")));
        responses.put("CancelMoveTask", List.of(Map.of("result", Map.of())));
        responses.put("PublishPollingFailed", List.of(OK));

        Execution e = Execution.run(parse("{}"), responses);

        assertThat(e.error()).isEqualTo("DlqRedrive.ApiCallFailed");
        assertThat(e.callsTo("CancelMoveTask")).extracting(c -> c.path("TaskHandle").asText()).containsExactly(HANDLE);
        assertThat(e.published().path("status").asText()).isEqualTo("API_CALL_FAILED");
        assertThat(e.published().path("moveTaskHandle").asText()).isEqualTo(HANDLE);
        assertThat(e.cause()).contains(HANDLE).contains("Sqs.SqsException");
    }

    @Test
    void run_whenTheStartFails_thenFailsWithApiCallFailedWithoutCancelling() {
        Map<String, List<Map<String, Object>>> responses = new LinkedHashMap<>();
        responses.put("ReadDeadLetterQueueDepth", List.of(depth("3")));
        responses.put("ReadPreviousMoveTask", List.of(Map.of("result", Map.of("Results", List.of()))));
        responses.put("StartMoveTask", List.of(error("Sqs.UnsupportedOperation", "a move task is already running")));
        responses.put("PublishApiCallFailed", List.of(OK));

        Execution e = Execution.run(parse("{}"), responses);

        assertThat(e.error()).isEqualTo("DlqRedrive.ApiCallFailed");
        assertThat(e.cause()).isEqualTo("a move task is already running");
        assertThat(e.calls()).extracting(Call::state).doesNotContain("CancelMoveTask");
    }

    @Test
    void run_whenTheOutcomeCannotBePublished_thenFailsWithOutcomeNotPublished() {
        Map<String, List<Map<String, Object>>> responses = redrive(List.of(status("COMPLETED")));
        responses.put("PublishCompleted", List.of(error("EventBridge.InternalException", "down")));

        Execution e = Execution.run(parse("{}"), responses);

        assertThat(e.error()).isEqualTo("DlqRedrive.OutcomeNotPublished");
        assertThat(e.callsTo("PublishCompleted")).as("publish attempts, retries included").hasSize(5);
    }

    // ---- scripted answers ----

    /** A DLQ with 3 messages, a start that answers {@link #HANDLE}, the given list answers and a working bus. */
    private static Map<String, List<Map<String, Object>>> redrive(List<Map<String, Object>> listAnswers) {
        Map<String, List<Map<String, Object>>> responses = new LinkedHashMap<>();
        responses.put("ReadDeadLetterQueueDepth", List.of(depth("3")));
        responses.put("ReadPreviousMoveTask", List.of(Map.of("result", Map.of("Results", List.of()))));
        responses.put("StartMoveTask", List.of(Map.of("result", Map.of("TaskHandle", HANDLE))));
        responses.put("ReadMoveTaskStatus", listAnswers);
        responses.put("PublishCompleted", List.of(OK));
        return responses;
    }

    private static Map<String, Object> depth(String visible) {
        return Map.of("result", Map.of("Attributes", Map.of("ApproximateNumberOfMessages", visible)));
    }

    /** SQS lists a TaskHandle for running tasks only. */
    private static Map<String, Object> running() {
        return listing(Map.of("Status", "RUNNING", "TaskHandle", HANDLE, "StartedTimestamp", 1000,
                "ApproximateNumberOfMessagesMoved", 1));
    }

    private static Map<String, Object> status(String status) {
        return listing(Map.of("Status", status, "StartedTimestamp", 1000, "ApproximateNumberOfMessagesMoved", 3));
    }

    private static Map<String, Object> listing(Map<String, Object> entry) {
        return Map.of("result", Map.of("Results", List.of(entry)));
    }

    private static Map<String, Object> error(String name, String cause) {
        return Map.of("error", name, "cause", cause);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Call(String state, JsonNode input) {
    }

    /** One execution in aws-local-stepfunctions, through {@link Interpreter}. */
    record Execution(String status, String error, String cause, List<Call> calls, List<String> states) {
        static Execution run(JsonNode input, Map<String, List<Map<String, Object>>> responses) {
            ObjectNode request = JSON.createObjectNode();
            request.put("definition", interpreter.definition.toString());
            request.set("input", input);
            request.put("executionId", "arn:aws:states:us-east-1:123456789012:execution:dlq-redrive:test");
            request.set("responses", JSON.valueToTree(responses));
            JsonNode answer = interpreter.run(request);
            List<Call> calls = new ArrayList<>();
            answer.path("calls").forEach(c -> calls.add(new Call(c.path("state").asText(), c.path("input"))));
            List<String> states = new ArrayList<>();
            answer.path("states").forEach(s -> states.add(s.asText()));
            return new Execution(answer.path("status").asText(), answer.path("error").asText(null),
                    answer.path("cause").asText(null), calls, states);
        }

        List<JsonNode> callsTo(String state) {
            return calls.stream().filter(c -> c.state().equals(state)).map(Call::input).toList();
        }

        /** The Detail of the one outcome event the execution put on the bus. */
        JsonNode published() {
            List<JsonNode> details = calls.stream().filter(c -> c.state().startsWith("Publish"))
                    .map(c -> c.input().path("Entries").path(0).path("Detail")).distinct().toList();
            assertThat(details).as("outcome events published").hasSize(1);
            return details.get(0);
        }
    }

    /**
     * {@code node src/test/js/run-definition.mjs}, started once for the class (loading the interpreter takes seconds on
     * a busy machine): one request line in, one answer line out.
     */
    private static final class Interpreter implements AutoCloseable {
        private final Path definition;
        private final Process node;
        private final BufferedWriter requests;
        private final BufferedReader answers;

        Interpreter(Path definition) throws IOException {
            this.definition = definition;
            Path scripts = RepoFiles.root().resolve("modules/stack-contract/src/test/js");
            try {
                node = new ProcessBuilder("node", "run-definition.mjs").directory(scripts.toFile())
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            } catch (IOException e) {
                throw new IOException("could not start node (Node.js 20+ is needed for this test): " + e.getMessage(), e);
            }
            requests = new BufferedWriter(new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8));
            answers = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        }

        JsonNode run(JsonNode request) {
            try {
                requests.write(JSON.writeValueAsString(request));
                requests.newLine();
                requests.flush();
                String line = answers.readLine();
                assertThat(line).as("an answer from node run-definition.mjs (did `npm ci` run in src/test/js?)").isNotNull();
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                requests.close();
                if (!node.waitFor(30, TimeUnit.SECONDS)) {
                    node.destroyForcibly();
                }
            } catch (IOException e) {
                node.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                node.destroyForcibly();
            }
        }
    }
}
