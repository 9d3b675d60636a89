package dev.orderpipeline.emulator.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * GetItem and Scan, the reads the pipeline, its CLI and its tests make. Reads are always strongly consistent
 * (ConsistentRead is accepted and changes nothing), which a client written for eventually consistent reads cannot
 * tell apart.
 */
final class ReadOperations {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** DynamoDB stops a Scan page after 1 MB of items read, before filtering. */
    private static final long MAX_PAGE_BYTES = 1024 * 1024;

    private final Database database;

    ReadOperations(Database database) {
        this.database = database;
    }

    ObjectNode getItem(Request request) {
        request.allowOnly(Set.of("TableName", "Key", "ConsistentRead", "ReturnConsumedCapacity"));
        String tableName = request.tableName();
        request.bool("ConsistentRead", false);
        request.requireNone("ReturnConsumedCapacity");
        Map<String, AttributeValue> key = request.item("Key");
        return database.read(() -> {
            Table table = database.table(tableName);
            Map<String, AttributeValue> item = table.get(table.keyOf(key));
            ObjectNode response = JSON.objectNode();
            if (item != null) {
                response.set("Item", AttributeValue.itemToJson(item));
            }
            return response;
        });
    }

    /**
     * Reads items in key order until the Limit (items read, before filtering) or 1 MB is reached; then
     * LastEvaluatedKey names the last item read, even when no more items follow, as DynamoDB does.
     */
    ObjectNode scan(Request request) {
        request.allowOnly(Set.of("TableName", "FilterExpression", "ExpressionAttributeNames",
                "ExpressionAttributeValues", "Limit", "ExclusiveStartKey", "ConsistentRead", "ReturnConsumedCapacity"));
        String tableName = request.tableName();
        request.requireNone("ReturnConsumedCapacity");
        request.bool("ConsistentRead", false);
        return database.read(() -> {
            Table table = database.table(tableName);
            ExpressionContext context = ExpressionContext.of(request);
            String filterText = request.string("FilterExpression");
            Condition filter = filterText == null ? null
                    : new ExpressionParser(filterText, "FilterExpression", context).condition();
            context.requireAllUsed();
            JsonNode start = request.node("ExclusiveStartKey");
            Table.PrimaryKey exclusiveStart = start == null ? null
                    : table.keyOf(AttributeValue.itemFromJson(start, "exclusiveStartKey"));
            Integer limit = request.integer("Limit", 1);
            Iterator<Map<String, AttributeValue>> items = table.scan(exclusiveStart);
            ArrayNode out = JSON.arrayNode();
            int count = 0;
            int scanned = 0;
            long bytes = 0;
            Map<String, AttributeValue> last = null;
            while (items.hasNext() && (limit == null || scanned < limit) && bytes < MAX_PAGE_BYTES) {
                Map<String, AttributeValue> item = items.next();
                scanned++;
                bytes += AttributeValue.itemSize(item);
                last = item;
                if (filter == null || filter.test(item)) {
                    count++;
                    out.add(AttributeValue.itemToJson(item));
                }
            }
            ObjectNode response = JSON.objectNode();
            response.set("Items", out);
            response.put("Count", count);
            response.put("ScannedCount", scanned);
            if ((limit != null && scanned == limit) || bytes >= MAX_PAGE_BYTES) {
                response.set("LastEvaluatedKey", AttributeValue.itemToJson(table.keyAttributes(last)));
            }
            return response;
        });
    }
}
