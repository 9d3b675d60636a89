package dev.orderpipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Optional;

/** Prints RFC 9457 problem responses of the orders API (and whatever else an error response holds). */
final class Problems {
    private Problems() {
    }

    static void print(PrintWriter out, OrdersApi.Response response) {
        Optional<JsonNode> json = response.json();
        if (json.isPresent() && json.get().isObject() && json.get().hasNonNull("title")) {
            JsonNode p = json.get();
            out.println("HTTP " + response.status() + " " + p.get("title").asText());
            if (p.hasNonNull("detail")) {
                out.println("  " + Text.preview(p.get("detail").asText(), 500));
            }
            if (p.has("errors") && p.get("errors").isArray()) {
                for (JsonNode error : p.get("errors")) {
                    String pointer = error.hasNonNull("pointer") ? error.get("pointer").asText() : "";
                    String detail = error.hasNonNull("detail") ? error.get("detail").asText() : "";
                    out.println("  " + (pointer.isEmpty() ? "(body)" : Text.preview(pointer, 200)) + ": "
                            + Text.preview(detail, 300));
                }
            }
            response.header("Retry-After").ifPresent(s -> out.println("  Retry-After: " + s + " s"));
        } else if (json.isPresent() && json.get().hasNonNull("message")) {
            // API Gateway's own errors: {"message":"Forbidden"}
            out.println("HTTP " + response.status() + " " + Text.preview(json.get().get("message").asText(), 300));
        } else {
            out.println("HTTP " + response.status());
            if (response.body() != null && !response.body().isBlank()) {
                out.println("  " + Text.preview(response.body(), 300));
            }
        }
        response.header("X-Correlation-Id").ifPresent(id -> out.println("  correlation id: " + id));
    }

    /** ", validation-failed" from a problem type URN, or "". */
    static String slug(OrdersApi.Response response) {
        return response.json()
                .filter(j -> j.hasNonNull("type"))
                .map(j -> j.get("type").asText())
                .map(t -> ", " + t.substring(t.lastIndexOf(':') + 1))
                .orElse("");
    }
}
