package dev.orderpipeline.bench.cost;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.bench.common.ResultsLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;

/**
 * The prices a bill is made of, per unit of what {@link CostModel} counts, read from a data file: the built-in
 * {@code prices-us-east-1.json} (us-east-1 list prices, each with its unit, source and the date it was checked) or a
 * copy given with {@code --prices}. A price whose unit is not the one the model counts in is refused rather than
 * misread.
 *
 * @param checked when the prices were checked and where they come from, for the report
 */
public record Prices(double lambdaGbSecond, double lambdaRequest, double apiRequest, double sqsRequest,
                     double dynamoDbWru, double dynamoDbRru, double eventBridgeEvent, double eventBridgeArchiveGb,
                     double logsIngestGb, String checked) {
    static final String BUILT_IN = "prices-us-east-1.json";

    public static Prices usEast1() {
        try (InputStream in = Prices.class.getClassLoader().getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException(BUILT_IN + " is missing from the classpath");
            }
            return read(ResultsLog.mapper().readTree(in), BUILT_IN + ", built in");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + BUILT_IN, e);
        }
    }

    public static Prices read(Path file) {
        try {
            return read(ResultsLog.mapper().readTree(Files.readString(file)), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read prices from " + file, e);
        }
    }

    private static Prices read(JsonNode root, String origin) {
        JsonNode prices = root.path("prices");
        TreeSet<String> dates = new TreeSet<>();
        prices.forEach(p -> dates.add(p.path("checked").asText("?")));
        return new Prices(price(prices, "lambdaGbSecond", "GB-s", origin), price(prices, "lambdaRequest", "request", origin),
                price(prices, "apiRequest", "request", origin), price(prices, "sqsRequest", "request", origin),
                price(prices, "dynamoDbWru", "WRU", origin), price(prices, "dynamoDbRru", "RRU", origin),
                price(prices, "eventBridgeEvent", "event", origin), price(prices, "eventBridgeArchiveGb", "GB", origin),
                price(prices, "logsIngestGb", "GB", origin), "checked " + String.join(", ", dates) + " (" + origin + ")");
    }

    /** USD per one {@code unit}: the file gives {@code usd} per {@code per} units, as the pricing pages quote them. */
    private static double price(JsonNode prices, String name, String unit, String origin) {
        JsonNode p = prices.path(name);
        if (!p.path("usd").isNumber() || !p.path("per").isNumber() || p.path("per").asDouble() <= 0) {
            throw new IllegalArgumentException(origin + ": prices." + name + " needs a numeric usd and per");
        }
        if (!unit.equals(p.path("unit").asText())) {
            throw new IllegalArgumentException(origin + ": prices." + name + " must be per " + unit + ", not per '"
                    + p.path("unit").asText() + "'");
        }
        return p.path("usd").asDouble() / p.path("per").asDouble();
    }
}
