package dev.orderpipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.domain.model.OrderId;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"GET /orders/ORDER_ID: the confirmed order's status, order number and total.",
                "An order that is not confirmed yet (still queued, or in the dead-letter queue) or unknown answers 404: "
                        + "exit 1."},
        footer = {"", "Example:", "  orders status 3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f"})
final class StatusCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "ORDER_ID", description = "The orderId that `orders submit` printed.")
    String orderId;

    @Override
    public Integer call() {
        if (!OrderId.isValid(orderId)) {
            throw usage("'" + Text.preview(orderId, 60) + "' is not an order id (a lowercase UUID as printed by orders submit)");
        }
        OrdersApi.Response response = OrdersApi.forTarget(target()).get("/orders/" + orderId);
        PrintWriter out = out();
        if (response.status() == 200) {
            JsonNode json = response.json().orElseThrow(() -> CliException.failed("the API answered 200 without a JSON body"));
            out.println("orderId:     " + text(json, "orderId"));
            out.println("status:      " + text(json, "status"));
            out.println("orderNumber: " + text(json, "orderNumber"));
            out.println("total:       " + text(json, "total") + " " + text(json, "currency"));
            out.println("customerId:  " + text(json, "customerId"));
            out.println("lines:       " + (json.has("lines") ? json.get("lines").size() : 0));
            out.println("submittedAt: " + text(json, "submittedAt"));
            out.println("confirmedAt: " + text(json, "confirmedAt"));
            out.flush();
            return 0;
        }
        if (response.status() == 404 && Problems.slug(response).endsWith("order-not-found")) {
            throw CliException.failed("order " + orderId + " is not confirmed yet (or unknown); an order accepted moments "
                    + "ago may still be queued: retry shortly, and check `orders dlq peek` if it stays missing");
        }
        Problems.print(out, response);
        out.flush();
        throw CliException.failed("could not read order " + orderId + " (HTTP " + response.status() + Problems.slug(response)
                + ")" + (response.status() == 404 ? "; is --api-url the orders API?" : ""));
    }

    private static String text(JsonNode json, String field) {
        return json.hasNonNull(field) ? Text.preview(json.get(field).asText(), 200) : "-";
    }
}
