package dev.orderpipeline.emulator.eventbridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One SQS target of a rule: the PutTargets entry exactly as sent (ListTargetsByRule echoes it back) and what
 * delivery needs from it.
 *
 * @param queueName      last part of the queue ARN; the queue URL is looked up by this name
 * @param messageGroupId {@code SqsParameters.MessageGroupId}, required by FIFO queues
 */
record RuleTarget(String id, String arn, String queueName, Optional<String> input, Optional<String> inputPath,
                  Optional<String> messageGroupId, ObjectNode json) {
    private static final Pattern TARGET_ID = Pattern.compile("[\\.\\-_A-Za-z0-9]+");
    /** {@code $} or {@code $.a.b}: the part of JSONPath that selects one value, which is what targets use. */
    private static final Pattern INPUT_PATH = Pattern.compile("\\$(\\.[^.\\[\\]]+)*");
    /**
     * The target fields the local endpoint accepts; any other (InputTransformer, EcsParameters, ...) fails its entry.
     * RoleArn, DeadLetterConfig and RetryPolicy are stored and echoed but not acted on: a local delivery is attempted
     * once, and a failure is counted instead of retried or dead-lettered.
     */
    private static final Set<String> ACCEPTED_FIELDS =
            Set.of("Id", "Arn", "Input", "InputPath", "SqsParameters", "RoleArn", "DeadLetterConfig", "RetryPolicy");

    /**
     * The API model's constraints on a PutTargets entry; AWS rejects the whole request when one of them is broken.
     *
     * @throws ApiException {@code ValidationException} when Id or Arn is missing or Id is malformed
     */
    static void checkConstraints(JsonNode entry) {
        Json.requiredName(entry, "Id", TARGET_ID, 64);
        Json.requiredText(entry, "Arn");
    }

    /**
     * Reads one PutTargets entry that passed {@link #checkConstraints}.
     *
     * @throws ApiException for this entry only: a target or target option the local endpoint can't deliver
     */
    static RuleTarget parse(ObjectNode entry) {
        String id = Json.requiredText(entry, "Id");
        String arn = Json.requiredText(entry, "Arn");
        String[] parts = arn.split(":", -1);
        if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("sqs") || parts[5].isEmpty()) {
            throw ApiException.validation("Target " + arn + " is not an SQS queue; the local EventBridge endpoint"
                    + " delivers only to SQS targets (arn:aws:sqs:REGION:ACCOUNT:QUEUE)");
        }
        for (Iterator<String> fields = entry.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!ACCEPTED_FIELDS.contains(field)) {
                throw ApiException.unsupported("Target parameter " + field);
            }
        }
        Optional<String> input = Json.optionalText(entry, "Input");
        Optional<String> inputPath = Json.optionalText(entry, "InputPath");
        if (input.isPresent() && inputPath.isPresent()) {
            throw ApiException.validation("Only one of Input, InputPath, or InputTransformer must be provided.");
        }
        if (input.isPresent()) {
            requireJson(input.get());
        }
        if (inputPath.isPresent() && !INPUT_PATH.matcher(inputPath.get()).matches()) {
            throw ApiException.unsupported("InputPath " + inputPath.get() + " (only $ and $.field.field paths)");
        }
        JsonNode sqsParameters = entry.path("SqsParameters");
        Optional<String> messageGroupId = sqsParameters.isObject()
                ? Json.optionalText(sqsParameters, "MessageGroupId")
                : Optional.empty();
        return new RuleTarget(id, arn, parts[5], input, inputPath, messageGroupId, entry.deepCopy());
    }

    /**
     * The SQS message body for one event: the constant {@code Input}, the value {@code InputPath} selects (as JSON
     * text), or else the whole envelope; empty when the path selects nothing in this event.
     */
    Optional<String> messageBody(ObjectNode envelope) {
        if (input.isPresent()) {
            return input;
        }
        if (inputPath.isEmpty()) {
            return Optional.of(envelope.toString());
        }
        JsonNode selected = envelope;
        for (String name : inputPath.get().substring(1).split("\\.")) {
            if (!name.isEmpty()) {
                selected = selected.path(name);
            }
        }
        return selected.isMissingNode() ? Optional.empty() : Optional.of(selected.toString());
    }

    private static void requireJson(String input) {
        try {
            Json.MAPPER.readTree(input);
        } catch (JsonProcessingException e) {
            throw ApiException.validation("Input is not valid JSON text.");
        }
    }
}
