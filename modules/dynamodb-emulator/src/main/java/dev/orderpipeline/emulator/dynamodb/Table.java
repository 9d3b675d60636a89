package dev.orderpipeline.emulator.dynamodb;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One table: its key schema and its items, sorted by partition key and then sort key.
 *
 * <p>Not thread-safe; {@link Database} serializes access. Items are immutable maps, so a reader may keep one
 * after the lock is released.
 */
final class Table {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** A key attribute: name and type (S, N or B). */
    record KeyAttribute(String name, AttributeValue.Type type) {
    }

    /** A primary key; {@code sort} is {@link AttributeValue#NULL} for a table without a sort key. */
    record PrimaryKey(AttributeValue partition, AttributeValue sort) {
    }

    /** How the table was created; everything DescribeTable reports besides the item statistics. */
    record Definition(String name, KeyAttribute partitionKey, KeyAttribute sortKey, String billingMode,
                      Long readCapacityUnits, Long writeCapacityUnits, Instant created, String tableId) {
    }

    private final Definition definition;
    private final NavigableMap<AttributeValue, NavigableMap<AttributeValue, Map<String, AttributeValue>>> partitions =
            new TreeMap<>(AttributeValue::compare);
    private long itemCount;
    private long sizeBytes;

    Table(Definition definition) {
        this.definition = definition;
    }

    Definition definition() {
        return definition;
    }

    String name() {
        return definition.name();
    }

    KeyAttribute partitionKey() {
        return definition.partitionKey();
    }

    /** The sort key attribute, or null. */
    KeyAttribute sortKey() {
        return definition.sortKey();
    }

    boolean isKeyAttribute(String name) {
        return name.equals(partitionKey().name()) || (sortKey() != null && name.equals(sortKey().name()));
    }

    /** The primary key of an item to be written; every key attribute must be present with its declared type. */
    PrimaryKey keyOfItem(Map<String, AttributeValue> item) {
        AttributeValue partition = keyValue(item, partitionKey());
        AttributeValue sort = sortKey() == null ? AttributeValue.NULL : keyValue(item, sortKey());
        return new PrimaryKey(partition, sort);
    }

    private static AttributeValue keyValue(Map<String, AttributeValue> item, KeyAttribute attribute) {
        AttributeValue value = item.get(attribute.name());
        if (value == null) {
            throw ApiException.validation(
                    "One or more parameter values were invalid: Missing the key " + attribute.name() + " in the item");
        }
        if (value.type() != attribute.type()) {
            throw ApiException.validation("One or more parameter values were invalid: Type mismatch for key "
                    + attribute.name() + " expected: " + attribute.type() + " actual: " + value.type());
        }
        if (value.isEmptyScalar()) {
            throw ApiException.validation("One or more parameter values are not valid. The AttributeValue for a key "
                    + "attribute cannot contain an empty "
                    + (value.type() == AttributeValue.Type.S ? "string" : "binary")
                    + " value. Key: " + attribute.name());
        }
        return value;
    }

    /** The primary key given as a Key (or ExclusiveStartKey) member: exactly the key attributes, nothing else. */
    PrimaryKey keyOf(Map<String, AttributeValue> key) {
        int expected = sortKey() == null ? 1 : 2;
        if (key.size() != expected || !key.containsKey(partitionKey().name())
                || (sortKey() != null && !key.containsKey(sortKey().name()))) {
            throw ApiException.validation("The provided key element does not match the schema");
        }
        for (Map.Entry<String, AttributeValue> e : key.entrySet()) {
            KeyAttribute attribute = e.getKey().equals(partitionKey().name()) ? partitionKey() : sortKey();
            if (e.getValue().type() != attribute.type()) {
                throw ApiException.validation("The provided key element does not match the schema");
            }
        }
        return keyOfItem(key);
    }

    /** The key attributes of {@code item}, as LastEvaluatedKey presents them. */
    Map<String, AttributeValue> keyAttributes(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        key.put(partitionKey().name(), item.get(partitionKey().name()));
        if (sortKey() != null) {
            key.put(sortKey().name(), item.get(sortKey().name()));
        }
        return key;
    }

    /** The stored item, or null. */
    Map<String, AttributeValue> get(PrimaryKey key) {
        NavigableMap<AttributeValue, Map<String, AttributeValue>> partition = partitions.get(key.partition());
        return partition == null ? null : partition.get(key.sort());
    }

    void put(PrimaryKey key, Map<String, AttributeValue> item) {
        Map<String, AttributeValue> previous = partitions
                .computeIfAbsent(key.partition(), k -> new TreeMap<>(AttributeValue::compare))
                .put(key.sort(), item);
        if (previous == null) {
            itemCount++;
        } else {
            sizeBytes -= AttributeValue.itemSize(previous);
        }
        sizeBytes += AttributeValue.itemSize(item);
    }

    void delete(PrimaryKey key) {
        NavigableMap<AttributeValue, Map<String, AttributeValue>> partition = partitions.get(key.partition());
        Map<String, AttributeValue> previous = partition == null ? null : partition.remove(key.sort());
        if (previous != null) {
            itemCount--;
            sizeBytes -= AttributeValue.itemSize(previous);
            if (partition.isEmpty()) {
                partitions.remove(key.partition());
            }
        }
    }

    /** All items in key order, starting after {@code exclusiveStart} (or at the beginning if it is null). */
    Iterator<Map<String, AttributeValue>> scan(PrimaryKey exclusiveStart) {
        NavigableMap<AttributeValue, NavigableMap<AttributeValue, Map<String, AttributeValue>>> remaining =
                exclusiveStart == null ? partitions : partitions.tailMap(exclusiveStart.partition(), true);
        return remaining.entrySet().stream()
                .flatMap(partition -> {
                    NavigableMap<AttributeValue, Map<String, AttributeValue>> rows = partition.getValue();
                    if (exclusiveStart != null && partition.getKey().equals(exclusiveStart.partition())) {
                        rows = rows.tailMap(exclusiveStart.sort(), false);
                    }
                    return rows.values().stream();
                })
                .iterator();
    }

    /** All items, for snapshots. */
    Iterable<Map<String, AttributeValue>> items() {
        return () -> scan(null);
    }

    ObjectNode describe(String status) {
        ObjectNode table = JSON.objectNode();
        table.put("TableName", name());
        table.put("TableStatus", status);
        ArrayNode keySchema = table.putArray("KeySchema");
        ArrayNode attributeDefinitions = table.putArray("AttributeDefinitions");
        describeKey(partitionKey(), "HASH", keySchema, attributeDefinitions);
        if (sortKey() != null) {
            describeKey(sortKey(), "RANGE", keySchema, attributeDefinitions);
        }
        table.put("CreationDateTime", BigDecimal.valueOf(definition.created().toEpochMilli(), 3));
        table.put("ItemCount", itemCount);
        table.put("TableSizeBytes", sizeBytes);
        table.put("TableArn", "arn:aws:dynamodb:us-east-1:000000000000:table/" + name());
        table.put("TableId", definition.tableId());
        ObjectNode billing = table.putObject("BillingModeSummary");
        billing.put("BillingMode", definition.billingMode());
        ObjectNode throughput = table.putObject("ProvisionedThroughput");
        throughput.put("NumberOfDecreasesToday", 0);
        // on-demand tables report zero provisioned capacity
        throughput.put("ReadCapacityUnits", Objects.requireNonNullElse(definition.readCapacityUnits(), 0L));
        throughput.put("WriteCapacityUnits", Objects.requireNonNullElse(definition.writeCapacityUnits(), 0L));
        table.put("DeletionProtectionEnabled", false);
        return table;
    }

    private static void describeKey(KeyAttribute key, String keyType, ArrayNode keySchema, ArrayNode definitions) {
        keySchema.addObject().put("AttributeName", key.name()).put("KeyType", keyType);
        definitions.addObject().put("AttributeName", key.name()).put("AttributeType", key.type().name());
    }
}
