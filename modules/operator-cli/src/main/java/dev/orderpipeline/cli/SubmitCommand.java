package dev.orderpipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.domain.model.IdempotencyKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"POST an order (JSON) to the orders API and print the answer: orderId, status (PENDING) and "
                + "Location. The order is confirmed asynchronously; follow it with `orders status ORDER_ID`.",
                "A rejected order (4xx) prints the problem's title and detail and every field error as "
                        + "`pointer: detail`, and exits 1.",
                "Requests to a deployed stack (--stack) are SigV4-signed (IAM auth) with your AWS credentials."},
        footer = {"", "Example:", "  orders submit order.json --idempotency-key checkout-7f3a9c",
                "  echo '{\"customerId\":\"c-1\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"BOOK-1\",\"quantity\":1,"
                        + "\"unitPrice\":\"12.50\"}]}' | orders submit -"})
final class SubmitCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "FILE|-", description = "The order as JSON, or - to read it from stdin.")
    String source;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "Sent as Idempotency-Key: a retry with the same key (and the same order) maps to the same "
                    + "order instead of creating a second one. Use it whenever you may retry.")
    String idempotencyKey;

    @Override
    public Integer call() {
        if (idempotencyKey != null && !IdempotencyKey.isValid(idempotencyKey)) {
            throw usage("--idempotency-key must be 1.." + IdempotencyKey.MAX_LENGTH
                    + " printable ASCII characters without spaces");
        }
        byte[] body = readOrder();
        OrdersApi api = OrdersApi.forTarget(target());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Accept", "application/json");
        if (idempotencyKey != null) {
            headers.put("Idempotency-Key", idempotencyKey);
        }
        OrdersApi.Response response = api.post("/orders", body, headers);
        PrintWriter out = out();
        if (response.status() >= 200 && response.status() < 300) {
            JsonNode json = response.json().orElse(null);
            String orderId = json != null && json.hasNonNull("orderId") ? json.get("orderId").asText() : "?";
            out.println("HTTP " + response.status() + (response.status() == 202 ? " Accepted" : ""));
            out.println("orderId:     " + orderId);
            out.println("status:      " + (json != null && json.hasNonNull("status") ? json.get("status").asText() : "?"));
            if (json != null && json.hasNonNull("submittedAt")) {
                out.println("submittedAt: " + json.get("submittedAt").asText());
            }
            out.println("location:    " + response.header("Location").orElse("-"));
            out.println("next:        orders status " + orderId);
            out.flush();
            return 0;
        }
        Problems.print(out, response);
        out.flush();
        throw CliException.failed("the order was not accepted (HTTP " + response.status() + Problems.slug(response)
                + "); " + hint(response.status()));
    }

    private String hint(int status) {
        if (status == 401 || status == 403) {
            return "check your AWS credentials and that they may call execute-api:Invoke on this API";
        }
        if (status == 429 || status >= 500) {
            return "retry shortly" + (idempotencyKey != null ? " with the same --idempotency-key" : " (with an --idempotency-key, so a retry cannot create a duplicate)");
        }
        return "fix the order and submit it again";
    }

    private byte[] readOrder() {
        try {
            if ("-".equals(source)) {
                return System.in.readAllBytes();
            }
            Path path = Path.of(source);
            if (Files.isDirectory(path)) {
                throw usage(source + " is a directory; pass an order JSON file or - for stdin");
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw usage("no such file: " + source);
        } catch (IOException e) {
            throw usage("cannot read " + source + ": " + e.getMessage());
        }
    }
}
