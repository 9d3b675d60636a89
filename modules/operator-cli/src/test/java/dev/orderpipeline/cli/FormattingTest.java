package dev.orderpipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class FormattingTest {
    @Test
    void preview_whenBodyHasControlCharacters_escapesThemAndTruncates() {
        assertThat(Text.preview("a\nb\tc\u001b[31md\u0000", 200)).isEqualTo("a\\nb\\tc\\u001b[31md\\u0000");
        assertThat(Text.preview("x".repeat(250), 200)).isEqualTo("x".repeat(200) + "… (250 chars)");
    }

    @Test
    void age_formatsLargestUnitsFirst() {
        assertThat(Text.age(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(Text.age(Duration.ofSeconds(192))).isEqualTo("3m 12s");
        assertThat(Text.age(Duration.ofMinutes(125))).isEqualTo("2h 05m");
        assertThat(Text.age(Duration.ofHours(76))).isEqualTo("3d 04h");
    }

    @Test
    void durationConverter_acceptsSecondsUnitsAndIso() {
        Converters.DurationConverter c = new Converters.DurationConverter();
        assertThat(c.convert("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.convert("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(c.convert("PT2M")).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> c.convert("0")).isInstanceOf(TypeConversionException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> c.convert("ten")).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void instantConverter_acceptsUtcAndOffsets() {
        Converters.InstantConverter c = new Converters.InstantConverter();
        assertThat(c.convert("2026-11-26T10:00:00Z")).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(c.convert("2026-11-26T11:00:00+01:00")).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThatThrownBy(() -> c.convert("2026-11-26")).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("ISO-8601");
    }

    @Test
    void describeEvent_whenOrderConfirmedEnvelope_printsOneLine() {
        String body = "{\"version\":\"0\",\"id\":\"e-1\",\"detail-type\":\"OrderConfirmed\",\"source\":\"order-pipeline\","
                + "\"time\":\"2026-11-26T10:00:01Z\",\"detail\":{\"schemaVersion\":1,\"eventId\":\"ev-9\","
                + "\"orderId\":\"3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f\",\"orderNumber\":\"ORD-0000042\","
                + "\"currency\":\"EUR\",\"total\":\"25.99\"}}";

        assertThat(EventsTailCommand.describe(body)).contains("2026-11-26T10:00:01Z  ORD-0000042  "
                + "3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f  25.99 EUR  event ev-9");
    }

    @Test
    void describeEvent_whenNotAnOrderConfirmed_isEmpty() {
        assertThat(EventsTailCommand.describe("{\"detail-type\":\"DlqRedriveCompleted\",\"detail\":{}}")).isEmpty();
        assertThat(EventsTailCommand.describe("not json")).isEmpty();
    }

    @Test
    void sign_forExecuteApi_addsSigV4HeadersScopedToTheService() {
        OrdersApi.Signing signing = new OrdersApi.Signing(
                StaticCredentialsProvider.create(AwsSessionCredentials.create("AKIDEXAMPLE", "secret", "session-token")),
                "eu-west-1");

        Map<String, String> headers = OrdersApi.sign("POST", URI.create("https://abc123.execute-api.eu-west-1.amazonaws.com/orders"),
                "{}".getBytes(), Map.of("Content-Type", "application/json"), signing);

        assertThat(headers.get("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                .contains("/eu-west-1/execute-api/aws4_request")
                .contains("SignedHeaders=")
                .contains("Signature=");
        assertThat(headers).containsKey("X-Amz-Date").containsEntry("X-Amz-Security-Token", "session-token")
                .containsEntry("Content-Type", "application/json");
    }

    @Test
    void sign_withBasicCredentials_hasNoSessionToken() {
        OrdersApi.Signing signing = new OrdersApi.Signing(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")), "us-east-1");

        Map<String, String> headers = OrdersApi.sign("GET", URI.create("https://abc123.execute-api.us-east-1.amazonaws.com/orders/x"),
                null, Map.of(), signing);

        assertThat(headers.get("Authorization")).contains("/us-east-1/execute-api/aws4_request");
        assertThat(Optional.ofNullable(headers.get("X-Amz-Security-Token"))).isEmpty();
    }
}
