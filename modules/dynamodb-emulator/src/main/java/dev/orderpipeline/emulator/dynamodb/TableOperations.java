package dev.orderpipeline.emulator.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * CreateTable, DescribeTable and DeleteTable. Tables have a partition key and an optional sort key,
 * no secondary indexes, and become ACTIVE at once.
 */
final class TableOperations {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Database database;

    TableOperations(Database database) {
        this.database = database;
    }

    ObjectNode createTable(Request request) {
        request.allowOnly(Set.of("TableName", "KeySchema", "AttributeDefinitions", "BillingMode",
                "ProvisionedThroughput"));
        String name = request.tableName();
        Map<String, AttributeValue.Type> definitions =
                attributeDefinitions(request.requiredNode("AttributeDefinitions"));
        JsonNode keySchema = request.requiredNode("KeySchema");
        if (!keySchema.isArray() || keySchema.isEmpty() || keySchema.size() > 2) {
            throw ApiException.validation("1 validation error detected: Value at 'keySchema' failed to satisfy "
                    + "constraint: Member must have length between 1 and 2");
        }
        Table.KeyAttribute partitionKey = keyElement(keySchema.get(0), "HASH", "first", definitions);
        Table.KeyAttribute sortKey = keySchema.size() == 2
                ? keyElement(keySchema.get(1), "RANGE", "second", definitions) : null;
        if (sortKey != null && sortKey.name().equals(partitionKey.name())) {
            throw ApiException.validation(
                    "Both the Hash Key and the Range Key element in the KeySchema have the same name");
        }
        if (definitions.size() != keySchema.size()) {
            throw ApiException.validation("One or more parameter values were invalid: Number of attributes in "
                    + "KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
        }
        String billingMode = request.choice("BillingMode", "PROVISIONED", Set.of("PROVISIONED", "PAY_PER_REQUEST"));
        JsonNode throughput = request.node("ProvisionedThroughput");
        Long readCapacity = null;
        Long writeCapacity = null;
        if (billingMode.equals("PROVISIONED")) {
            Request units = new Request("ProvisionedThroughput", throughput == null ? JSON.objectNode() : throughput);
            Integer read = units.integer("ReadCapacityUnits", 1);
            Integer write = units.integer("WriteCapacityUnits", 1);
            if (read == null || write == null) {
                throw ApiException.validation("One or more parameter values were invalid: ReadCapacityUnits and "
                        + "WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
            }
            readCapacity = read.longValue();
            writeCapacity = write.longValue();
        } else if (throughput != null) {
            throw ApiException.validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor "
                    + "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
        }
        Table table = new Table(new Table.Definition(name, partitionKey, sortKey, billingMode, readCapacity,
                writeCapacity, Instant.now(), UUID.randomUUID().toString()));
        return database.write(() -> {
            if (database.exists(name)) {
                throw ApiException.resourceInUse("Table already exists: " + name);
            }
            database.add(table);
            ObjectNode response = JSON.objectNode();
            response.set("TableDescription", table.describe("ACTIVE"));
            return response;
        });
    }

    private static Map<String, AttributeValue.Type> attributeDefinitions(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            throw ApiException.validation("1 validation error detected: Value at 'attributeDefinitions' failed to "
                    + "satisfy constraint: Member must not be empty");
        }
        Map<String, AttributeValue.Type> definitions = new LinkedHashMap<>();
        for (JsonNode element : node) {
            Request definition = new Request("AttributeDefinition", element);
            String name = definition.requiredString("AttributeName");
            String type = definition.choice("AttributeType", null, Set.of("S", "N", "B"));
            if (type == null) {
                throw ApiException.notNull("attributeDefinitions.member.attributeType");
            }
            if (definitions.put(name, AttributeValue.Type.valueOf(type)) != null) {
                throw ApiException.validation("Cannot have two attributes with the same name: " + name);
            }
        }
        return definitions;
    }

    private static Table.KeyAttribute keyElement(JsonNode node, String expectedType, String position,
                                                 Map<String, AttributeValue.Type> definitions) {
        Request element = new Request("KeySchemaElement", node);
        String name = element.requiredString("AttributeName");
        String keyType = element.choice("KeyType", null, Set.of("HASH", "RANGE"));
        if (!expectedType.equals(keyType)) {
            throw ApiException.validation("Invalid KeySchema: The " + position + " KeySchemaElement is not a "
                    + expectedType + " key type");
        }
        AttributeValue.Type type = definitions.get(name);
        if (type == null) {
            throw ApiException.validation("One or more parameter values were invalid: Some index key attributes are "
                    + "not defined in AttributeDefinitions. Keys: [" + name + "], AttributeDefinitions: "
                    + definitions.keySet());
        }
        return new Table.KeyAttribute(name, type);
    }

    ObjectNode describeTable(Request request) {
        request.allowOnly(Set.of("TableName"));
        String name = request.tableName();
        return database.read(() -> {
            ObjectNode response = JSON.objectNode();
            response.set("Table", database.table(name).describe("ACTIVE"));
            return response;
        });
    }

    ObjectNode deleteTable(Request request) {
        request.allowOnly(Set.of("TableName"));
        String name = request.tableName();
        return database.write(() -> {
            ObjectNode description = database.table(name).describe("DELETING");
            database.remove(name);
            ObjectNode response = JSON.objectNode();
            response.set("TableDescription", description);
            return response;
        });
    }
}
