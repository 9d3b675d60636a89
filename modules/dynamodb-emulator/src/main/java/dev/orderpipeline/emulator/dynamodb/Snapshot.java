package dev.orderpipeline.emulator.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The whole state as one JSON file in the data directory, replaced atomically (written to a temporary file,
 * then renamed over the old one), so a reader or a crash sees either the previous or the new state. Rewriting
 * everything after each write keeps this simple; it suits test and local data volumes, not large tables.
 */
final class Snapshot {
    private static final int FORMAT_VERSION = 1;

    private final ObjectMapper mapper;
    private final Path file;
    private final Path temporary;

    Snapshot(Path dataDir, ObjectMapper mapper) {
        this.mapper = mapper;
        this.file = dataDir.resolve("dynamodb-emulator.json");
        this.temporary = dataDir.resolve("dynamodb-emulator.json.tmp");
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the DynamoDB emulator data directory " + dataDir, e);
        }
    }

    List<Table> load() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            JsonNode root = mapper.readTree(file.toFile());
            if (root.path("version").asInt() != FORMAT_VERSION) {
                throw new IllegalStateException("Unsupported DynamoDB emulator snapshot format in " + file);
            }
            List<Table> tables = new ArrayList<>();
            for (JsonNode node : root.path("tables")) {
                Table table = new Table(new Table.Definition(
                        node.get("TableName").textValue(),
                        keyAttribute(node.get("PartitionKey")),
                        keyAttribute(node.get("SortKey")),
                        node.get("BillingMode").textValue(),
                        node.hasNonNull("ReadCapacityUnits") ? node.get("ReadCapacityUnits").longValue() : null,
                        node.hasNonNull("WriteCapacityUnits") ? node.get("WriteCapacityUnits").longValue() : null,
                        Instant.ofEpochMilli(node.get("CreationDateTime").longValue()),
                        node.get("TableId").textValue()));
                for (JsonNode itemNode : node.path("Items")) {
                    Map<String, AttributeValue> item = AttributeValue.itemFromJson(itemNode, "Items");
                    table.put(table.keyOfItem(item), item);
                }
                tables.add(table);
            }
            return tables;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the DynamoDB emulator snapshot " + file, e);
        }
    }

    void save(Collection<Table> tables) {
        ObjectNode root = mapper.createObjectNode();
        root.put("version", FORMAT_VERSION);
        ArrayNode tableNodes = root.putArray("tables");
        for (Table table : tables) {
            Table.Definition definition = table.definition();
            ObjectNode node = tableNodes.addObject();
            node.put("TableName", definition.name());
            node.set("PartitionKey", keyAttribute(definition.partitionKey()));
            node.set("SortKey", keyAttribute(definition.sortKey()));
            node.put("BillingMode", definition.billingMode());
            node.put("ReadCapacityUnits", definition.readCapacityUnits());
            node.put("WriteCapacityUnits", definition.writeCapacityUnits());
            node.put("CreationDateTime", definition.created().toEpochMilli());
            node.put("TableId", definition.tableId());
            ArrayNode items = node.putArray("Items");
            table.items().forEach(item -> items.add(AttributeValue.itemToJson(item)));
        }
        try {
            mapper.writeValue(temporary.toFile(), root);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the DynamoDB emulator snapshot " + file, e);
        }
    }

    private ObjectNode keyAttribute(Table.KeyAttribute attribute) {
        if (attribute == null) {
            return null;
        }
        ObjectNode node = mapper.createObjectNode();
        node.put("AttributeName", attribute.name());
        node.put("AttributeType", attribute.type().name());
        return node;
    }

    private static Table.KeyAttribute keyAttribute(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return new Table.KeyAttribute(node.get("AttributeName").textValue(),
                AttributeValue.Type.valueOf(node.get("AttributeType").textValue()));
    }
}
