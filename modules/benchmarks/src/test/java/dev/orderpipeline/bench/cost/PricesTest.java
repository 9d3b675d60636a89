package dev.orderpipeline.bench.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PricesTest {
    @Test
    void usEast1_whenBuiltInFileRead_givesThePricePerUnitTheModelCounts() {
        Prices p = Prices.usEast1();

        assertThat(p.lambdaGbSecond()).isEqualTo(0.0000133334);
        assertThat(p.lambdaRequest()).isEqualTo(0.20 / 1e6);
        assertThat(p.apiRequest()).isEqualTo(1.00 / 1e6);
        assertThat(p.sqsRequest()).isEqualTo(0.40 / 1e6);
        assertThat(p.dynamoDbWru()).isEqualTo(0.625 / 1e6);
        assertThat(p.dynamoDbRru()).isEqualTo(0.125 / 1e6);
        assertThat(p.eventBridgeEvent()).isEqualTo(1.00 / 1e6);
        assertThat(p.eventBridgeArchiveGb()).isEqualTo(0.10);
        assertThat(p.logsIngestGb()).isEqualTo(0.50);
        assertThat(p.checked()).startsWith("checked 2026-11-26").contains("prices-us-east-1.json");
    }

    @Test
    void read_whenACopyChangesOnePrice_billsWithIt(@TempDir Path dir) throws IOException {
        Path file = copyOfBuiltIn(dir, "\"usd\": 0.625, \"per\": 1000000, \"unit\": \"WRU\"",
                "\"usd\": 1.25, \"per\": 1000000, \"unit\": \"WRU\"");

        Prices p = Prices.read(file);

        assertThat(p.dynamoDbWru()).isEqualTo(1.25 / 1e6);
        assertThat(p.dynamoDbRru()).isEqualTo(Prices.usEast1().dynamoDbRru());
        assertThat(p.checked()).contains(file.toString());
    }

    @Test
    void read_whenAPriceIsInAnotherUnit_refusesNamingIt(@TempDir Path dir) throws IOException {
        Path file = copyOfBuiltIn(dir, "\"usd\": 0.10, \"per\": 1, \"unit\": \"GB\"",
                "\"usd\": 0.10, \"per\": 1, \"unit\": \"GB-month\"");

        assertThatThrownBy(() -> Prices.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prices.eventBridgeArchiveGb must be per GB, not per 'GB-month'");
    }

    @Test
    void read_whenAPriceIsMissing_refusesNamingIt(@TempDir Path dir) throws IOException {
        Path file = copyOfBuiltIn(dir, "\"sqsRequest\"", "\"sqsRequests\"");

        assertThatThrownBy(() -> Prices.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prices.sqsRequest needs a numeric usd and per");
    }

    private static Path copyOfBuiltIn(Path dir, String from, String to) throws IOException {
        String builtIn;
        try (var in = Prices.class.getClassLoader().getResourceAsStream(Prices.BUILT_IN)) {
            builtIn = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(builtIn).contains(from);
        return Files.writeString(dir.resolve("prices.json"), builtIn.replace(from, to));
    }
}
