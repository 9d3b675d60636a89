package dev.orderpipeline.emulator.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

/**
 * GetItem, BatchGetItem, Query and Scan. Reads are always strongly consistent (ConsistentRead is accepted and
 * changes nothing), which a client written for eventually consistent reads cannot tell apart.
 */
final class ReadOperations {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** DynamoDB stops a Query or Scan page after 1 MB of items read, before filtering. */
    private static final long MAX_PAGE_BYTES = 1024 * 1024;
    private static final int MAX_BATCH_GET_KEYS = 100;
    private static final Set<String> SELECT_VALUES =
            Set.of("ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT");

    private final Database database;

    ReadOperations(Database database) {
        this.database = database;
    }

    ObjectNode getItem(Request request) {
        request.allowOnly(Set.of("TableName", "Key", "ConsistentRead", "ProjectionExpression",
                "ExpressionAttributeNames", "ReturnConsumedCapacity"));
        String tableName = request.tableName();
        request.bool("ConsistentRead", false);
        request.requireNone("ReturnConsumedCapacity");
        ExpressionContext context = ExpressionContext.of(request);
        List<DocumentPath> projection = request.projection(context);
        context.requireAllUsed();
        Map<String, AttributeValue> key = request.item("Key");
        return database.read(() -> {
            Table table = database.table(tableName);
            Map<String, AttributeValue> item = table.get(table.keyOf(key));
            ObjectNode response = JSON.objectNode();
            if (item != null) {
                response.set("Item", AttributeValue.itemToJson(project(item, projection)));
            }
            return response;
        });
    }

    ObjectNode batchGetItem(Request request) {
        request.allowOnly(Set.of("RequestItems", "ReturnConsumedCapacity"));
        request.requireNone("ReturnConsumedCapacity");
        JsonNode requestItems = request.requiredNode("RequestItems");
        if (!requestItems.isObject() || requestItems.isEmpty()) {
            throw ApiException.validation("1 validation error detected: Value at 'requestItems' failed to satisfy "
                    + "constraint: Member must have length greater than or equal to 1");
        }
        return database.read(() -> {
            ObjectNode response = JSON.objectNode();
            ObjectNode responses = response.putObject("Responses");
            response.putObject("UnprocessedKeys");
            int keyCount = 0;
            for (Map.Entry<String, JsonNode> entry : requestItems.properties()) {
                Request tableRequest = new Request("BatchGetItem", entry.getValue()).allowOnly(
                        Set.of("Keys", "ProjectionExpression", "ExpressionAttributeNames", "ConsistentRead"));
                tableRequest.bool("ConsistentRead", false);
                ExpressionContext context = ExpressionContext.of(tableRequest);
                List<DocumentPath> projection = tableRequest.projection(context);
                context.requireAllUsed();
                Table table = database.table(entry.getKey());
                JsonNode keys = tableRequest.requiredNode("Keys");
                if (!keys.isArray() || keys.isEmpty()) {
                    throw ApiException.validation("1 validation error detected: Value at 'requestItems."
                            + entry.getKey() + ".member.keys' failed to satisfy constraint: Member must have length "
                            + "greater than or equal to 1");
                }
                keyCount += keys.size();
                if (keyCount > MAX_BATCH_GET_KEYS) {
                    throw ApiException.validation("Too many items requested for the BatchGetItem call");
                }
                Set<Table.PrimaryKey> seen = new HashSet<>();
                ArrayNode found = responses.putArray(entry.getKey());
                for (JsonNode keyNode : keys) {
                    Table.PrimaryKey key = table.keyOf(AttributeValue.itemFromJson(keyNode, "keys"));
                    if (!seen.add(key)) {
                        throw ApiException.validation("Provided list of item keys contains duplicates");
                    }
                    Map<String, AttributeValue> item = table.get(key);
                    if (item != null) {
                        found.add(AttributeValue.itemToJson(project(item, projection)));
                    }
                }
            }
            return response;
        });
    }

    ObjectNode query(Request request) {
        request.allowOnly(Set.of("TableName", "KeyConditionExpression", "FilterExpression", "ProjectionExpression",
                "ExpressionAttributeNames", "ExpressionAttributeValues", "ScanIndexForward", "Limit",
                "ExclusiveStartKey", "ConsistentRead", "Select", "ReturnConsumedCapacity"));
        String tableName = request.tableName();
        String keyConditionText = request.string("KeyConditionExpression");
        if (keyConditionText == null) {
            throw ApiException.validation(
                    "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
        }
        boolean forward = request.bool("ScanIndexForward", true);
        return database.read(() -> {
            Table table = database.table(tableName);
            ExpressionContext context = ExpressionContext.of(request);
            KeyCondition keyCondition = KeyCondition.of(
                    new ExpressionParser(keyConditionText, "KeyConditionExpression", context).condition(), table);
            Condition filter = filter(request, context, table, true);
            PageRequest page = PageRequest.of(request, context, table);
            NavigableMap<AttributeValue, Map<String, AttributeValue>> rows = keyCondition.range(table);
            if (!forward) {
                rows = rows.descendingMap();
            }
            if (page.exclusiveStart() != null) {
                if (!page.exclusiveStart().partition().equals(keyCondition.partition())) {
                    throw ApiException.validation("The provided starting key is invalid: "
                            + "it is not in the partition this query reads");
                }
                rows = rows.tailMap(page.exclusiveStart().sort(), false);
            }
            return page.collect(rows.values().iterator(), filter);
        });
    }

    ObjectNode scan(Request request) {
        request.allowOnly(Set.of("TableName", "FilterExpression", "ProjectionExpression", "ExpressionAttributeNames",
                "ExpressionAttributeValues", "Limit", "ExclusiveStartKey", "ConsistentRead", "Select",
                "ReturnConsumedCapacity"));
        String tableName = request.tableName();
        return database.read(() -> {
            Table table = database.table(tableName);
            ExpressionContext context = ExpressionContext.of(request);
            Condition filter = filter(request, context, table, false);
            PageRequest page = PageRequest.of(request, context, table);
            return page.collect(table.scan(page.exclusiveStart()), filter);
        });
    }

    /** The optional FilterExpression; a Query's filter may not use key attributes (the key condition does). */
    private static Condition filter(Request request, ExpressionContext context, Table table, boolean isQuery) {
        String text = request.string("FilterExpression");
        if (text == null) {
            return null;
        }
        ExpressionParser parser = new ExpressionParser(text, "FilterExpression", context);
        Condition filter = parser.condition();
        if (isQuery) {
            for (DocumentPath path : parser.paths()) {
                if (table.isKeyAttribute(path.topLevelName())) {
                    throw ApiException.validation("Filter Expression can only contain non-primary key attributes: "
                            + "Primary key attribute: " + path.topLevelName());
                }
            }
        }
        return filter;
    }

    private static Map<String, AttributeValue> project(Map<String, AttributeValue> item, List<DocumentPath> paths) {
        return paths == null ? item : Projection.apply(item, paths);
    }

    /** The paging members shared by Query and Scan, validated. */
    private record PageRequest(Table table, Integer limit, Table.PrimaryKey exclusiveStart,
                               List<DocumentPath> projection, boolean countOnly) {

        static PageRequest of(Request request, ExpressionContext context, Table table) {
            request.requireNone("ReturnConsumedCapacity");
            request.bool("ConsistentRead", false);
            List<DocumentPath> projection = request.projection(context);
            context.requireAllUsed();
            String select = request.choice("Select", projection == null ? "ALL_ATTRIBUTES" : "SPECIFIC_ATTRIBUTES",
                    SELECT_VALUES);
            if (select.equals("ALL_PROJECTED_ATTRIBUTES")) {
                throw ApiException.validation(
                        "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
            }
            if (projection != null && !select.equals("SPECIFIC_ATTRIBUTES")) {
                throw ApiException.validation("Cannot specify the ProjectionExpression when choosing to get " + select);
            }
            if (projection == null && select.equals("SPECIFIC_ATTRIBUTES")) {
                throw ApiException.validation(
                        "SPECIFIC_ATTRIBUTES requires a ProjectionExpression when querying a table");
            }
            JsonNode start = request.node("ExclusiveStartKey");
            Table.PrimaryKey exclusiveStart = start == null ? null
                    : table.keyOf(AttributeValue.itemFromJson(start, "exclusiveStartKey"));
            return new PageRequest(table, request.integer("Limit", 1), exclusiveStart, projection,
                    select.equals("COUNT"));
        }

        /**
         * Reads items until the Limit (items read, before filtering) or 1 MB is reached; then LastEvaluatedKey
         * names the last item read, even when no more items follow, as DynamoDB does.
         */
        ObjectNode collect(Iterator<Map<String, AttributeValue>> items, Condition filter) {
            ObjectNode response = JSON.objectNode();
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
                    if (!countOnly) {
                        out.add(AttributeValue.itemToJson(project(item, projection)));
                    }
                }
            }
            if (!countOnly) {
                response.set("Items", out);
            }
            response.put("Count", count);
            response.put("ScannedCount", scanned);
            boolean limited = (limit != null && scanned == limit) || bytes >= MAX_PAGE_BYTES;
            if (limited) {
                response.set("LastEvaluatedKey", AttributeValue.itemToJson(table.keyAttributes(last)));
            }
            return response;
        }
    }
}
