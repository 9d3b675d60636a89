package dev.orderpipeline.emulator.eventbridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * PutEvents. Each entry is validated as AWS validates it, wrapped in the EventBridge envelope, matched against the
 * enabled rules of its bus and delivered to their SQS targets <em>before</em> the call returns, so a test can read
 * the queue right after PutEvents without waiting. Archives of the bus keep it before delivery starts.
 *
 * <p>Entries are independent: one that fails is reported at its own index of {@code Entries} and the others are
 * still put, as on AWS.
 */
final class PutEventsOperation {
    private static final int MAX_ENTRIES = 10;
    /**
     * The limit on the summed size of a call's entries, computed as AWS documents it. AWS raised it to 1 MB in most
     * regions in 2026; the local endpoint keeps the 256 KB that holds everywhere and that SQS targets accept.
     */
    private static final int MAX_ENTRIES_BYTES = 256 * 1024;
    /** How much a given {@code Time} counts towards the entry size. */
    private static final int TIME_BYTES = 14;

    private final EventBuses buses;
    private final AwsAccount account;
    private final SqsTargetSender sender;
    private final FaultInjection faults;
    private final Archives archives;
    private final AtomicLong accepted = new AtomicLong();

    PutEventsOperation(EventBuses buses, AwsAccount account, SqsTargetSender sender, FaultInjection faults,
                       Archives archives) {
        this.buses = buses;
        this.archives = archives;
        this.account = account;
        this.sender = sender;
        this.faults = faults;
    }

    ObjectNode putEvents(JsonNode request) {
        Optional<ApiException> callFault = faults.takeCallFault();
        if (callFault.isPresent()) {
            throw callFault.get();
        }
        if (Json.optionalText(request, "EndpointId").isPresent()) {
            throw ApiException.unsupported("EndpointId (global endpoints)");
        }
        List<ObjectNode> entries = Json.requiredObjects(request, "Entries");
        if (entries.isEmpty() || entries.size() > MAX_ENTRIES) {
            throw ApiException.validation("1 validation error detected: Value at 'entries' failed to satisfy"
                    + " constraint: Member must have length between 1 and " + MAX_ENTRIES);
        }
        if (entries.stream().mapToLong(PutEventsOperation::entrySize).sum() > MAX_ENTRIES_BYTES) {
            throw ApiException.validation("Total size of the entries in the request is over the limit.");
        }

        ArrayNode results = Json.MAPPER.createArrayNode();
        int failed = 0;
        for (ObjectNode entry : entries) {
            ObjectNode result = putEvent(entry);
            if (result.has("ErrorCode")) {
                failed++;
            }
            results.add(result);
        }
        ObjectNode response = Json.object().put("FailedEntryCount", failed);
        response.set("Entries", results);
        return response;
    }

    long accepted() {
        return accepted.get();
    }

    /** One entry's result: {@code EventId}, or {@code ErrorCode} and {@code ErrorMessage}. */
    private ObjectNode putEvent(ObjectNode entry) {
        Optional<ApiException> fault = faults.takeEntryFault();
        if (fault.isPresent()) {
            return failure(fault.get());
        }
        EventBus bus;
        ObjectNode envelope;
        try {
            envelope = envelope(entry);
            String busName = Json.optionalText(entry, "EventBusName").orElse(EventBuses.DEFAULT_BUS);
            bus = buses.find(busName).orElseThrow(() -> ApiException.busNotFound(EventBuses.nameOf(busName)));
        } catch (ApiException e) {
            return failure(e);
        }
        accepted.incrementAndGet();
        archives.keep(bus, envelope);
        sender.route(bus, envelope, rule -> true);
        return Json.object().put("EventId", envelope.get("id").textValue());
    }

    /**
     * The event as rules see it and targets receive it. {@code TraceHeader} is accepted but, as on AWS, not part of
     * the envelope.
     */
    private ObjectNode envelope(ObjectNode entry) {
        String source = requiredEntryField(entry, "Source");
        String detailType = requiredEntryField(entry, "DetailType");
        JsonNode detail = detail(requiredEntryField(entry, "Detail"));
        Instant time = Json.optionalTimestamp(entry, "Time").orElseGet(Instant::now).truncatedTo(ChronoUnit.SECONDS);

        ObjectNode envelope = Json.object()
                .put("version", "0")
                .put("id", UUID.randomUUID().toString())
                .put("detail-type", detailType)
                .put("source", source)
                .put("account", account.id())
                .put("time", time.toString())
                .put("region", account.region());
        ArrayNode resources = envelope.putArray("resources");
        JsonNode given = entry.path("Resources");
        if (given.isArray()) {
            given.forEach(resource -> resources.add(resource.asText()));
        }
        envelope.set("detail", detail);
        return envelope;
    }

    private static String requiredEntryField(ObjectNode entry, String field) {
        return Json.optionalText(entry, field)
                .filter(value -> !value.isEmpty())
                .orElseThrow(() -> new ApiException(400, "InvalidArgument",
                        "Parameter " + field + " is not valid. Reason: " + field + " is a required argument."));
    }

    private static JsonNode detail(String text) {
        JsonNode detail;
        try {
            detail = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            detail = null;
        }
        if (detail == null || !detail.isObject()) {
            throw new ApiException(400, "MalformedDetail", "Detail is malformed.");
        }
        return detail;
    }

    /** The entry size as AWS defines it: UTF-8 bytes of Source, DetailType, Detail and Resources, 14 for Time. */
    private static long entrySize(ObjectNode entry) {
        long size = entry.hasNonNull("Time") ? TIME_BYTES : 0;
        for (String field : List.of("Source", "DetailType", "Detail")) {
            size += utf8Length(entry.path(field));
        }
        for (JsonNode resource : entry.path("Resources")) {
            size += utf8Length(resource);
        }
        return size;
    }

    private static long utf8Length(JsonNode value) {
        return value.isTextual() ? value.textValue().getBytes(StandardCharsets.UTF_8).length : 0;
    }

    private static ObjectNode failure(ApiException error) {
        return Json.object().put("ErrorCode", error.errorType()).put("ErrorMessage", error.getMessage());
    }
}
