package dev.orderpipeline.emulator.eventbridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code Limit}/{@code NextToken} paging of the List operations. Items are sorted by their key and the token is the
 * last key returned, so paging stays consistent while other callers add or delete resources between pages.
 */
final class Paging {
    private static final int MAX_LIMIT = 100;

    private Paging() {
    }

    static <T> ObjectNode page(Collection<T> items, Function<T, String> key, JsonNode request, String listField,
                               Function<T, JsonNode> toJson) {
        Optional<Integer> limit = Json.optionalInt(request, "Limit");
        if (limit.isPresent() && (limit.get() < 1 || limit.get() > MAX_LIMIT)) {
            throw ApiException.validation("1 validation error detected: Value '" + limit.get()
                    + "' at 'limit' failed to satisfy constraint: Member must have value between 1 and " + MAX_LIMIT);
        }
        Optional<String> after = Json.optionalText(request, "NextToken");
        List<T> remaining = items.stream()
                .filter(item -> after.isEmpty() || key.apply(item).compareTo(after.get()) > 0)
                .sorted(Comparator.comparing(key))
                .toList();
        int size = Math.min(limit.orElse(remaining.size()), remaining.size());

        ObjectNode response = Json.object();
        ArrayNode list = response.putArray(listField);
        remaining.subList(0, size).forEach(item -> list.add(toJson.apply(item)));
        if (size < remaining.size()) {
            response.put("NextToken", key.apply(remaining.get(size - 1)));
        }
        return response;
    }
}
