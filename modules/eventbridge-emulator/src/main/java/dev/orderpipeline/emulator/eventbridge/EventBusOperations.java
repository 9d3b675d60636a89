package dev.orderpipeline.emulator.eventbridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/** CreateEventBus, DescribeEventBus, DeleteEventBus and ListEventBuses. */
final class EventBusOperations {
    /** Custom bus names; the {@code /} that partner buses carry is refused, as partner event sources are. */
    private static final Pattern BUS_NAME = Pattern.compile("[\\.\\-_A-Za-z0-9]+");

    private final EventBuses buses;
    private final AwsAccount account;

    EventBusOperations(EventBuses buses, AwsAccount account) {
        this.buses = buses;
        this.account = account;
    }

    /** KMS keys, dead-letter and log configuration and tags are accepted and ignored. */
    ObjectNode createEventBus(JsonNode request) {
        String name = Json.requiredName(request, "Name", BUS_NAME, 256);
        if (Json.optionalText(request, "EventSourceName").isPresent()) {
            throw ApiException.unsupported("EventSourceName (partner event buses)");
        }
        Optional<String> description = Json.optionalText(request, "Description");
        EventBus bus = new EventBus(name, account.eventBusArn(name), description, Instant.now());
        if (!buses.add(bus)) {
            throw new ApiException(400, "ResourceAlreadyExistsException", "Event bus " + name + " already exists.");
        }
        ObjectNode response = Json.object().put("EventBusArn", bus.arn());
        description.ifPresent(text -> response.put("Description", text));
        return response;
    }

    ObjectNode describeEventBus(JsonNode request) {
        String name = Json.optionalText(request, "Name").orElse(EventBuses.DEFAULT_BUS);
        return describe(buses.require(name));
    }

    /** Deleting a bus deletes its rules with it; deleting a bus that doesn't exist succeeds, as on AWS. */
    ObjectNode deleteEventBus(JsonNode request) {
        String name = EventBuses.nameOf(Json.requiredText(request, "Name"));
        if (EventBuses.DEFAULT_BUS.equals(name)) {
            throw ApiException.validation("Cannot delete event bus default.");
        }
        buses.remove(name);
        return Json.object();
    }

    private ObjectNode describe(EventBus bus) {
        ObjectNode json = Json.object().put("Name", bus.name()).put("Arn", bus.arn());
        bus.description().ifPresent(text -> json.put("Description", text));
        json.put("CreationTime", Json.epochSeconds(bus.creationTime()));
        json.put("LastModifiedTime", Json.epochSeconds(bus.creationTime()));
        return json;
    }
}
