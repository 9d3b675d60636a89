package dev.orderpipeline.domain.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.domain.TestOrders;
import dev.orderpipeline.domain.model.FieldError;
import dev.orderpipeline.domain.model.InvalidOrderException;
import dev.orderpipeline.domain.model.Money;
import dev.orderpipeline.domain.model.OrderSubmission;
import dev.orderpipeline.domain.model.ShippingAddress;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import dev.orderpipeline.domain.model.Currency;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class OrderSubmissionJsonTest {
    private static final String VALID = """
            {
              "customerId": "cust-42",
              "currency": "EUR",
              "lines": [
                {"sku": "SKU-1", "quantity": 2, "unitPrice": "12.50"},
                {"sku": "SKU-2", "quantity": 1, "unitPrice": "0.99"}
              ],
              "shippingAddress": {
                "name": "Ada Lovelace", "line1": "12 St James's Square", "city": "London",
                "postalCode": "SW1Y 4JH", "country": "GB"
              },
              "attributes": {"giftWrap": "yes", "channel": "web"}
            }
            """;

    // ---------------------------------------------------------------- helpers

    /** A fresh, mutable copy of the valid document. */
    private static ObjectNode validDoc() {
        return (ObjectNode) OrderJson.parse(VALID);
    }

    /** A JSON literal as a node, e.g. {@code raw("1e2")}; keeps number types exactly as a client would send them. */
    private static JsonNode raw(String json) {
        return OrderJson.parse(json);
    }

    private static ObjectNode line0(ObjectNode doc) {
        return (ObjectNode) doc.get("lines").get(0);
    }

    private static ArrayNode lines(ObjectNode doc) {
        return (ArrayNode) doc.get("lines");
    }

    private static ObjectNode address(ObjectNode doc) {
        return (ObjectNode) doc.get("shippingAddress");
    }

    private static ObjectNode attributes(ObjectNode doc) {
        return (ObjectNode) doc.get("attributes");
    }

    /**
     * A document in {@code currency} with one line {@code SKU-1 x quantity at unitPrice}, built as text so that
     * number literals reach the parser exactly as written (a tree would normalise {@code 2.0} to {@code 2}).
     */
    private static String singleLineJson(String currency, String quantityLiteral, String unitPriceLiteral) {
        return """
                {"customerId": "cust-42", "currency": "%s",
                 "lines": [{"sku": "SKU-1", "quantity": %s, "unitPrice": %s}]}
                """.formatted(currency, quantityLiteral, unitPriceLiteral);
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    private static OrderSubmission read(JsonNode doc) {
        return read(OrderJson.write(doc));
    }

    private static OrderSubmission read(String json) {
        return OrderSubmissionJson.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static List<FieldError> errorsOf(JsonNode doc) {
        return errorsOf(OrderJson.write(doc));
    }

    private static List<FieldError> errorsOf(String json) {
        Throwable thrown = catchThrowable(() -> read(json));
        assertThat(thrown).as("reading the document should fail validation").isInstanceOf(InvalidOrderException.class);
        return ((InvalidOrderException) thrown).errors();
    }

    private static void assertSingleError(JsonNode doc, String pointer, String code) {
        assertSingleError(OrderJson.write(doc), pointer, code);
    }

    private static void assertSingleError(String json, String pointer, String code) {
        assertThat(errorsOf(json))
                .extracting(FieldError::pointer, FieldError::code)
                .containsExactly(tuple(pointer, code));
    }

    private static Arguments violation(String name, Consumer<ObjectNode> mutation, String pointer, String code) {
        return arguments(named(name, mutation), pointer, code);
    }

    // ---------------------------------------------------------------- the valid document

    @Test
    void read_whenDocumentIsValid_mapsEveryField() {
        OrderSubmission s = read(VALID);

        assertThat(s.customerId().value()).isEqualTo("cust-42");
        assertThat(s.currency()).isEqualTo(TestOrders.EUR);
        assertThat(s.lines()).containsExactly(
                TestOrders.line("SKU-1", 2, TestOrders.eur("12.50")),
                TestOrders.line("SKU-2", 1, TestOrders.eur("0.99")));
        assertThat(s.shippingAddress()).contains(
                new ShippingAddress("Ada Lovelace", "12 St James's Square", null, "London", null, "SW1Y 4JH", "GB"));
        assertThat(s.attributes()).containsExactly(
                org.assertj.core.api.Assertions.entry("giftWrap", "yes"),
                org.assertj.core.api.Assertions.entry("channel", "web"));
    }

    @Test
    void read_whenDocumentIsValid_computesTotalFromLines() {
        assertThat(read(VALID).total()).isEqualTo(TestOrders.eur("25.99"));
    }

    @Test
    void read_whenClientSendsTotal_rejectsItAsUnknownField() {
        ObjectNode doc = validDoc();
        doc.put("total", "0.01");

        assertSingleError(doc, "/total", "unknown_field");
    }

    @Test
    void read_whenClientSendsLineTotal_rejectsItAsUnknownField() {
        ObjectNode doc = validDoc();
        line0(doc).put("lineTotal", "0.01");

        assertSingleError(doc, "/lines/0/lineTotal", "unknown_field");
    }

    @Test
    void write_whenReadBack_givesEqualSubmissionAndCarriesNoTotal() {
        OrderSubmission original = TestOrders.submission();

        ObjectNode written = OrderSubmissionJson.write(original);

        assertThat(written.has("total")).isFalse();
        assertThat(written.get("lines").get(0).get("unitPrice").isTextual()).isTrue();
        assertThat(read(written)).isEqualTo(original);
    }

    @Test
    void read_whenShippingAddressAndAttributesAreAbsent_givesEmptyOptionals() {
        ObjectNode doc = validDoc();
        doc.remove("shippingAddress");
        doc.remove("attributes");

        OrderSubmission s = read(doc);

        assertThat(s.shippingAddress()).isEmpty();
        assertThat(s.attributes()).isEmpty();
    }

    @Test
    void read_whenBodyIsNotJson_throwsMalformedJson() {
        assertThatThrownBy(() -> read("{\"customerId\":"))
                .isInstanceOf(MalformedJsonException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "42", "\"order\"", "null", "true"})
    void read_whenRootIsNotAnObject_reportsTypeAtRootPointer(String json) {
        assertThat(errorsOf(json))
                .extracting(FieldError::pointer, FieldError::code)
                .containsExactly(tuple("", "type"));
    }

    // ---------------------------------------------------------------- root fields

    static Stream<Arguments> rootViolations() {
        return Stream.of(
                violation("customerId missing", d -> d.remove("customerId"), "/customerId", "required"),
                violation("customerId null", d -> d.putNull("customerId"), "/customerId", "type"),
                violation("customerId number", d -> d.put("customerId", 42), "/customerId", "type"),
                violation("customerId object", d -> d.putObject("customerId"), "/customerId", "type"),
                violation("currency missing", d -> d.remove("currency"), "/currency", "required"),
                violation("currency null", d -> d.putNull("currency"), "/currency", "type"),
                violation("currency number", d -> d.put("currency", 978), "/currency", "type"),
                violation("lines missing", d -> d.remove("lines"), "/lines", "required"),
                violation("lines null", d -> d.putNull("lines"), "/lines", "type"),
                violation("lines object", d -> d.putObject("lines"), "/lines", "type"),
                violation("lines string", d -> d.put("lines", "SKU-1"), "/lines", "type"),
                violation("lines empty", d -> d.putArray("lines"), "/lines", "too_few"),
                violation("shippingAddress null", d -> d.putNull("shippingAddress"), "/shippingAddress", "type"),
                violation("shippingAddress string", d -> d.put("shippingAddress", "Berlin"), "/shippingAddress", "type"),
                violation("shippingAddress array", d -> d.putArray("shippingAddress"), "/shippingAddress", "type"),
                violation("attributes null", d -> d.putNull("attributes"), "/attributes", "type"),
                violation("attributes array", d -> d.putArray("attributes"), "/attributes", "type"),
                violation("unknown root field", d -> d.put("coupon", "X"), "/coupon", "unknown_field"),
                violation("unknown root field with / and ~", d -> d.put("a/b~c", "X"), "/a~1b~0c", "unknown_field"),
                violation("unknown root field longer than 64", d -> d.put("f".repeat(65), "X"), "/(unnamed)", "unknown_field"));
    }

    @ParameterizedTest
    @MethodSource("rootViolations")
    void read_whenRootFieldViolatesRule_reportsPointerAndCode(Consumer<ObjectNode> mutation, String pointer, String code) {
        ObjectNode doc = validDoc();
        mutation.accept(doc);

        assertSingleError(doc, pointer, code);
    }

    // ---------------------------------------------------------------- customerId

    @ParameterizedTest
    @ValueSource(strings = {"c", "cust-42", "a.b_c:d@e-f", "ABCxyz019"})
    void read_whenCustomerIdHasAllowedCharacters_acceptsIt(String customerId) {
        ObjectNode doc = validDoc();
        doc.put("customerId", customerId);

        assertThat(read(doc).customerId().value()).isEqualTo(customerId);
    }

    @Test
    void read_whenCustomerIdIs64Characters_acceptsIt() {
        ObjectNode doc = validDoc();
        doc.put("customerId", "c".repeat(64));

        assertThat(read(doc).customerId().value()).hasSize(64);
    }

    @Test
    void read_whenCustomerIdIs65Characters_reportsInvalidFormat() {
        ObjectNode doc = validDoc();
        doc.put("customerId", "c".repeat(65));

        assertSingleError(doc, "/customerId", "invalid_format");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "cust 42", "cust/42", "kundé", "cust\n42", "cust#42"})
    void read_whenCustomerIdHasBadFormat_reportsInvalidFormat(String customerId) {
        ObjectNode doc = validDoc();
        doc.put("customerId", customerId);

        assertSingleError(doc, "/customerId", "invalid_format");
    }

    // ---------------------------------------------------------------- currency

    @ParameterizedTest
    @ValueSource(strings = {"XYZ", "eur", "Eur", "EURO", "EU", "",
            // withdrawn codes the JDK still knows: HRK (2023), LTL, EEK, BYR, MRO, STD, VEF, ZWD, RUR, ZWL, SLL
            "HRK", "LTL", "EEK", "BYR", "MRO", "STD", "VEF", "ZWD", "RUR", "ZWL", "SLL"})
    void read_whenCurrencyIsNotAnActiveIsoCode_reportsUnknownCurrencyOnly(String currency) {
        ObjectNode doc = validDoc();
        doc.put("currency", currency);

        // the line prices cannot be judged without a currency, so they add no errors of their own
        assertSingleError(doc, "/currency", "unknown_currency");
    }

    @ParameterizedTest
    @ValueSource(strings = {"XXX", "XAU", "XDR", "XTS",
            // 4 minor units: the v1 event's amounts carry at most 3, so these could never be confirmed
            "CLF", "UYW"})
    void read_whenCurrencyIsListedButCannotBeCarriedEndToEnd_reportsUnsupportedCurrencyOnly(String currency) {
        ObjectNode doc = validDoc();
        doc.put("currency", currency);

        assertSingleError(doc, "/currency", "unsupported_currency");
    }

    @Test
    void read_whenTheIssuesClfOrderIsSubmitted_refusesItInsteadOfAcceptingWhatConfirmationRefuses() {
        assertSingleError("{\"customerId\":\"c-1\",\"currency\":\"CLF\",\"lines\":[{\"sku\":\"BOOK-1\",\"quantity\":1,"
                + "\"unitPrice\":\"2.50\"}]}", "/currency", "unsupported_currency");
    }

    @ParameterizedTest
    @ValueSource(strings = {"VED", "SLE", "ZWG", "BYN", "MRU", "STN", "VES"})
    void read_whenCurrencyIsRecentInTheTable_acceptsItWhateverTheJdkKnows(String currency) {
        ObjectNode doc = validDoc();
        doc.put("currency", currency);

        assertThat(read(doc).currency()).isEqualTo(Currency.of(currency));
    }

    // ---------------------------------------------------------------- lines

    @Test
    void read_whenOrderHas100Lines_acceptsIt() {
        ObjectNode doc = validDoc();
        ArrayNode lines = doc.putArray("lines");
        for (int i = 0; i < 100; i++) {
            lines.addObject().put("sku", "SKU-" + i).put("quantity", 1).put("unitPrice", "1.00");
        }

        OrderSubmission s = read(doc);

        assertThat(s.lines()).hasSize(100);
        assertThat(s.total()).isEqualTo(TestOrders.eur("100.00"));
    }

    @Test
    void read_whenOrderHas101Lines_reportsTooMany() {
        ObjectNode doc = validDoc();
        ArrayNode lines = doc.putArray("lines");
        for (int i = 0; i < 101; i++) {
            lines.addObject().put("sku", "SKU-" + i).put("quantity", 1).put("unitPrice", "1.00");
        }

        assertSingleError(doc, "/lines", "too_many");
    }

    static Stream<Arguments> lineViolations() {
        return Stream.of(
                violation("line is a number", d -> lines(d).set(1, raw("42")), "/lines/1", "type"),
                violation("line is null", d -> lines(d).set(1, raw("null")), "/lines/1", "type"),
                violation("line is an array", d -> lines(d).set(0, raw("[]")), "/lines/0", "type"),
                violation("line is a string", d -> lines(d).set(0, raw("\"SKU-1\"")), "/lines/0", "type"),
                violation("sku missing", d -> line0(d).remove("sku"), "/lines/0/sku", "required"),
                violation("sku null", d -> line0(d).putNull("sku"), "/lines/0/sku", "type"),
                violation("sku number", d -> line0(d).put("sku", 1), "/lines/0/sku", "type"),
                violation("quantity missing", d -> line0(d).remove("quantity"), "/lines/0/quantity", "required"),
                violation("quantity null", d -> line0(d).putNull("quantity"), "/lines/0/quantity", "type"),
                violation("unitPrice missing", d -> line0(d).remove("unitPrice"), "/lines/0/unitPrice", "required"),
                violation("unitPrice null", d -> line0(d).putNull("unitPrice"), "/lines/0/unitPrice", "type"),
                violation("unknown line field", d -> line0(d).put("discount", "1.00"), "/lines/0/discount", "unknown_field"),
                violation("second line sku bad", d -> ((ObjectNode) d.get("lines").get(1)).put("sku", "sku-2"),
                        "/lines/1/sku", "invalid_format"));
    }

    @ParameterizedTest
    @MethodSource("lineViolations")
    void read_whenLineViolatesRule_reportsPointerAndCode(Consumer<ObjectNode> mutation, String pointer, String code) {
        ObjectNode doc = validDoc();
        mutation.accept(doc);

        assertSingleError(doc, pointer, code);
    }

    // ---------------------------------------------------------------- sku

    @ParameterizedTest
    @ValueSource(strings = {"A", "9", "SKU-1", "0-A-", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"})
    void read_whenSkuIsValid_acceptsIt(String sku) {
        ObjectNode doc = validDoc();
        line0(doc).put("sku", sku);

        assertThat(read(doc).lines().get(0).sku().value()).isEqualTo(sku);
    }

    @Test
    void read_whenSkuIs32Characters_acceptsIt() {
        ObjectNode doc = validDoc();
        line0(doc).put("sku", "S".repeat(32));

        assertThat(read(doc).lines().get(0).sku().value()).hasSize(32);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-SKU", "sku-1", "SKU 1", "SKU_1", "SKU.1", "SKÜ", "SSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSS"})
    void read_whenSkuHasBadFormatOrIs33Characters_reportsInvalidFormat(String sku) {
        ObjectNode doc = validDoc();
        line0(doc).put("sku", sku);

        assertSingleError(doc, "/lines/0/sku", "invalid_format");
    }

    // ---------------------------------------------------------------- quantity

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 9_999, 10_000})
    void read_whenQuantityIsWithinRange_acceptsIt(int quantity) {
        ObjectNode doc = validDoc();
        line0(doc).put("quantity", quantity);

        assertThat(read(doc).lines().get(0).quantity()).isEqualTo(quantity);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0                    | out_of_range",
            "-1                   | out_of_range",
            "10001                | out_of_range",
            "2147483648           | out_of_range",
            "99999999999999999999 | out_of_range",
            "2.0                  | type",
            "1e2                  | type",
            "1E2                  | type",
            "0.5                  | type",
            "'\"2\"'              | type",
            "true                 | type",
            "[2]                  | type"})
    void read_whenQuantityIsNotAWholeNumberInRange_reportsCode(String quantityJson, String code) {
        String json = singleLineJson("EUR", quantityJson, quoted("1.00"));

        assertSingleError(json, "/lines/0/quantity", code);
    }

    // ---------------------------------------------------------------- unitPrice

    @ParameterizedTest
    @CsvSource({
            "EUR, 12.50,      12.50",
            "EUR, 12.5,       12.50",
            "EUR, 12,         12.00",
            "EUR, 0.01,       0.01",
            "EUR, 1000000000, 1000000000.00",
            "JPY, 12,         12",
            "JPY, 1000000000, 1000000000",
            "BHD, 12.345,     12.345",
            "BHD, 12.3,       12.300",
            "BHD, 0.001,      0.001"})
    void read_whenUnitPriceFitsCurrency_normalisesToCurrencyScale(String currency, String price, String expected) {
        String doc = singleLineJson(currency, "1", quoted(price));

        Money unitPrice = read(doc).lines().get(0).unitPrice();

        assertThat(unitPrice.currency()).isEqualTo(Currency.of(currency));
        assertThat(unitPrice.amount()).isEqualTo(new BigDecimal(expected)); // equals() compares the scale too
        assertThat(unitPrice.toDecimalString()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "EUR | 0              | out_of_range",
            "EUR | 0.00           | out_of_range",
            "JPY | 0              | out_of_range",
            "EUR | 1000000000.01  | out_of_range",
            "EUR | 9999999999     | out_of_range",
            "JPY | 1000000001     | out_of_range",
            "EUR | 12.345         | excess_precision",
            "EUR | 0.001          | excess_precision",
            "JPY | 12.0           | excess_precision",
            "JPY | 0.5            | excess_precision",
            "BHD | 12.3456        | invalid_format",
            "EUR | -1             | invalid_format",
            "EUR | -1.00          | invalid_format",
            "EUR | +1.00          | invalid_format",
            "EUR | 1e3            | invalid_format",
            "EUR | 1E3            | invalid_format",
            "EUR | 01.00          | invalid_format",
            "EUR | 00             | invalid_format",
            "EUR | 1.             | invalid_format",
            "EUR | .50            | invalid_format",
            "EUR | 1,50           | invalid_format",
            "EUR | 10000000000    | invalid_format",
            "EUR | NaN            | invalid_format",
            "EUR | ''             | invalid_format",
            "EUR | ' 1.00'        | invalid_format"})
    void read_whenUnitPriceBreaksRule_reportsCode(String currency, String price, String code) {
        String doc = singleLineJson(currency, "1", quoted(price));

        assertSingleError(doc, "/lines/0/unitPrice", code);
    }

    @ParameterizedTest
    @ValueSource(strings = {"12.5", "12", "0", "true", "{}", "[\"12.50\"]"})
    void read_whenUnitPriceIsNotAString_reportsType(String priceJson) {
        String doc = singleLineJson("EUR", "1", priceJson);

        assertSingleError(doc, "/lines/0/unitPrice", "type");
    }

    // ---------------------------------------------------------------- total

    @Test
    void read_whenTotalIsExactlyMax_acceptsIt() {
        String doc = singleLineJson("EUR", "2", quoted("500000000.00"));

        assertThat(read(doc).total()).isEqualTo(new Money(TestOrders.EUR, Money.MAX_AMOUNT.setScale(2)));
    }

    @Test
    void read_whenSumOfLinesExceedsMax_reportsTotalTooLarge() {
        ObjectNode doc = (ObjectNode) OrderJson.parse(singleLineJson("EUR", "1", quoted("600000000.00")));
        lines(doc).addObject().put("sku", "SKU-2").put("quantity", 1).put("unitPrice", "600000000.00");

        assertSingleError(doc, "/lines", "total_too_large");
    }

    @Test
    void read_whenOneLineTotalExceedsMax_reportsTotalTooLarge() {
        // a single line whose total alone is too large must be a validation error, not an IllegalArgumentException
        String doc = singleLineJson("EUR", "10000", quoted("1000000000.00"));

        assertSingleError(doc, "/lines", "total_too_large");
    }

    // ---------------------------------------------------------------- shippingAddress

    @ParameterizedTest
    @ValueSource(strings = {"name", "line1", "city", "postalCode", "country"})
    void read_whenRequiredAddressFieldIsMissing_reportsRequired(String field) {
        ObjectNode doc = validDoc();
        address(doc).remove(field);

        assertSingleError(doc, "/shippingAddress/" + field, "required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"name", "line1", "line2", "city", "region", "postalCode", "country"})
    void read_whenAddressFieldIsNull_reportsType(String field) {
        ObjectNode doc = validDoc();
        address(doc).putNull(field);

        assertSingleError(doc, "/shippingAddress/" + field, "type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"name", "line1", "line2", "city", "region", "postalCode", "country"})
    void read_whenAddressFieldIsANumber_reportsType(String field) {
        ObjectNode doc = validDoc();
        address(doc).put(field, 49);

        assertSingleError(doc, "/shippingAddress/" + field, "type");
    }

    @Test
    void read_whenOptionalAddressFieldsArePresent_keepsThem() {
        ObjectNode doc = validDoc();
        address(doc).put("line2", "Flat 3").put("region", "Greater London");

        ShippingAddress a = read(doc).shippingAddress().orElseThrow();

        assertThat(a.line2()).isEqualTo("Flat 3");
        assertThat(a.region()).isEqualTo("Greater London");
    }

    @Test
    void read_whenAddressFieldsHaveMaximumLength_acceptsThem() {
        ObjectNode doc = validDoc();
        address(doc).put("name", "n".repeat(200)).put("line1", "l".repeat(200)).put("line2", "m".repeat(200))
                .put("city", "c".repeat(200)).put("region", "r".repeat(200)).put("postalCode", "p".repeat(16));

        ShippingAddress a = read(doc).shippingAddress().orElseThrow();

        assertThat(a.name()).hasSize(200);
        assertThat(a.postalCode()).hasSize(16);
    }

    static Stream<Arguments> addressTextViolations() {
        return Stream.of(
                arguments("name", ""),
                arguments("name", "   "),
                arguments("name", "n".repeat(201)),
                arguments("name", "Ada\nLovelace"),
                arguments("line1", "\t"),
                arguments("line1", "l".repeat(201)),
                arguments("line2", ""),
                arguments("line2", "m".repeat(201)),
                arguments("city", "Lon\u0000don"),
                arguments("region", "Greater\u009FLondon"),
                arguments("region", " "),
                arguments("postalCode", "p".repeat(17)),
                arguments("postalCode", "SW1Y\r4JH"));
    }

    @ParameterizedTest
    @MethodSource("addressTextViolations")
    void read_whenAddressTextIsBlankTooLongOrHasControlCharacters_reportsInvalidFormat(String field, String value) {
        ObjectNode doc = validDoc();
        address(doc).put(field, value);

        assertSingleError(doc, "/shippingAddress/" + field, "invalid_format");
    }

    @Test
    void read_whenAddressHasUnpairedSurrogate_reportsInvalidFormat() {
        String json = VALID.replace("\"Ada Lovelace\"", "\"Ada \\ud800 Lovelace\"");

        assertThat(errorsOf(json))
                .extracting(FieldError::pointer, FieldError::code)
                .containsExactly(tuple("/shippingAddress/name", "invalid_format"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"DE", "GB", "US", "JP"})
    void read_whenCountryIsIsoAlpha2_acceptsIt(String country) {
        ObjectNode doc = validDoc();
        address(doc).put("country", country);

        assertThat(read(doc).shippingAddress().orElseThrow().country()).isEqualTo(country);
    }

    @ParameterizedTest
    @ValueSource(strings = {"XX", "de", "De", "DEU", "D", "", "UK"})
    void read_whenCountryIsNotIsoAlpha2_reportsInvalidFormat(String country) {
        ObjectNode doc = validDoc();
        address(doc).put("country", country);

        assertSingleError(doc, "/shippingAddress/country", "invalid_format");
    }

    @Test
    void read_whenAddressHasUnknownField_reportsUnknownField() {
        ObjectNode doc = validDoc();
        address(doc).put("phone", "+44 20 0000 0000");

        assertSingleError(doc, "/shippingAddress/phone", "unknown_field");
    }

    @Test
    void read_whenAddressIsEmptyObject_reportsEveryRequiredField() {
        ObjectNode doc = validDoc();
        doc.putObject("shippingAddress");

        assertThat(errorsOf(doc))
                .extracting(FieldError::pointer, FieldError::code)
                .containsExactlyInAnyOrder(
                        tuple("/shippingAddress/name", "required"),
                        tuple("/shippingAddress/line1", "required"),
                        tuple("/shippingAddress/city", "required"),
                        tuple("/shippingAddress/postalCode", "required"),
                        tuple("/shippingAddress/country", "required"));
    }

    // ---------------------------------------------------------------- attributes

    private static ObjectNode docWithAttributes(int count) {
        ObjectNode doc = validDoc();
        ObjectNode attrs = doc.putObject("attributes");
        for (int i = 0; i < count; i++) {
            attrs.put("key" + i, "value" + i);
        }
        return doc;
    }

    @Test
    void read_whenOrderHas20Attributes_acceptsThemInDocumentOrder() {
        OrderSubmission s = read(docWithAttributes(20));

        assertThat(s.attributes().keySet())
                .containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> "key" + i).toList());
    }

    @Test
    void read_whenOrderHas21Attributes_reportsTooMany() {
        assertSingleError(docWithAttributes(21), "/attributes", "too_many");
    }

    @Test
    void read_whenAttributesAreEmptyObject_givesEmptyMap() {
        ObjectNode doc = validDoc();
        doc.putObject("attributes");

        assertThat(read(doc).attributes()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "true", "null", "{}", "[\"yes\"]"})
    void read_whenAttributeValueIsNotAString_reportsType(String valueJson) {
        ObjectNode doc = validDoc();
        attributes(doc).set("giftWrap", raw(valueJson));

        assertSingleError(doc, "/attributes/giftWrap", "type");
    }

    @Test
    void read_whenAttributeKeyIs64Characters_acceptsIt() {
        ObjectNode doc = validDoc();
        attributes(doc).put("k".repeat(64), "v");

        assertThat(read(doc).attributes()).containsKey("k".repeat(64));
    }

    @Test
    void read_whenAttributeKeyIs65Characters_reportsInvalidKey() {
        ObjectNode doc = validDoc();
        attributes(doc).put("k".repeat(65), "v");

        // an over-long client-chosen name is not echoed back
        assertSingleError(doc, "/attributes/(unnamed)", "invalid_key");
    }

    @Test
    void read_whenAttributeKeyIsEmpty_reportsInvalidKey() {
        ObjectNode doc = validDoc();
        attributes(doc).put("", "v");

        assertSingleError(doc, "/attributes/", "invalid_key");
    }

    @Test
    void read_whenAttributeKeyHasControlCharacter_reportsInvalidKey() {
        ObjectNode doc = validDoc();
        attributes(doc).put("gift\u0001wrap", "v");

        assertThat(errorsOf(doc))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.code()).isEqualTo("invalid_key");
                    assertThat(e.pointer()).startsWith("/attributes/");
                });
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 256})
    void read_whenAttributeValueLengthIsWithinLimit_acceptsIt(int length) {
        ObjectNode doc = validDoc();
        attributes(doc).put("note", "v".repeat(length));

        assertThat(read(doc).attributes()).containsEntry("note", "v".repeat(length));
    }

    @Test
    void read_whenAttributeValueIs257Characters_reportsInvalidFormat() {
        ObjectNode doc = validDoc();
        attributes(doc).put("note", "v".repeat(257));

        assertSingleError(doc, "/attributes/note", "invalid_format");
    }

    @Test
    void read_whenAttributeValueHasControlCharacter_reportsInvalidFormat() {
        ObjectNode doc = validDoc();
        attributes(doc).put("note", "line\nbreak");

        assertSingleError(doc, "/attributes/note", "invalid_format");
    }

    // ---------------------------------------------------------------- characters and code point lengths

    @ParameterizedTest
    @ValueSource(strings = {"\uFFFE", "\uFFFF", "\uD800", "\uDFFF", "a\uDBFFb", "\u0000", "\u0085", "\u007F"})
    void read_whenAttributeValueHasACharacterTheQueueRefuses_reportsInvalidFormatAtThatValue(String bad) {
        ObjectNode doc = validDoc();
        attributes(doc).put("note", "gift " + bad);
        // as JSON text a lone surrogate can only arrive escaped (UTF-8 cannot encode it): write it that way
        String body = OrderJson.write(doc).replace("\uD800", "\\uD800").replace("\uDFFF", "\\uDFFF")
                .replace("\uDBFF", "\\uDBFF");

        assertSingleError(body, "/attributes/note", "invalid_format");
    }

    @ParameterizedTest
    @ValueSource(strings = {"name", "line1", "line2", "city", "region", "postalCode"})
    void read_whenAddressFieldHasUFFFE_reportsInvalidFormatAtThatField(String field) {
        ObjectNode doc = validDoc();
        address(doc).put(field, "Baker\uFFFEStreet");

        assertSingleError(doc, "/shippingAddress/" + field, "invalid_format");
    }

    @Test
    void read_whenAttributeKeyHasUFFFF_reportsInvalidKeyWithoutEchoingIt() {
        ObjectNode doc = validDoc();
        attributes(doc).put("gift\uFFFF", "v");

        assertSingleError(doc, "/attributes/(unnamed)", "invalid_key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uFFFD", "\uE000", "\uD7FF", "\u00A0", "\uFDD0", "\uD83D\uDEB2", "\uDBFF\uDFFD", "Zo\u00EB"})
    void read_whenTextHasEdgeCharactersTheQueueCarries_acceptsThemUnchanged(String edge) {
        ObjectNode doc = validDoc();
        attributes(doc).put("k" + edge, "v" + edge);
        address(doc).put("name", "n" + edge);

        OrderSubmission s = read(doc);

        assertThat(s.attributes()).containsEntry("k" + edge, "v" + edge);
        assertThat(s.shippingAddress().orElseThrow().name()).isEqualTo("n" + edge);
    }

    @Test
    void read_whenAttributeValueIs256Emoji_acceptsItBecauseLengthsCountCodePoints() {
        ObjectNode doc = validDoc();
        attributes(doc).put("note", "\uD83D\uDEB2".repeat(256));

        assertThat(read(doc).attributes().get("note").codePointCount(0, 512)).isEqualTo(256);
    }

    @Test
    void read_whenAttributeValueIs257Emoji_reportsInvalidFormat() {
        ObjectNode doc = validDoc();
        attributes(doc).put("note", "\uD83D\uDEB2".repeat(257));

        assertSingleError(doc, "/attributes/note", "invalid_format");
    }

    @Test
    void read_whenAddressNameIs200CodePointsOfAstralCharacters_acceptsIt() {
        ObjectNode doc = validDoc();
        address(doc).put("name", "\uD835\uDC00".repeat(200));

        assertThat(read(doc).shippingAddress().orElseThrow().name()).hasSize(400);
    }

    @ParameterizedTest
    @CsvSource({
            "a/b,   /attributes/a~1b",
            "a~b,   /attributes/a~0b",
            "~1,    /attributes/~01",
            "/~,    /attributes/~1~0",
            "a//b,  /attributes/a~1~1b"})
    void read_whenInvalidAttributeKeyHasSlashOrTilde_escapesPointerPerRfc6901(String key, String pointer) {
        ObjectNode doc = validDoc();
        attributes(doc).put(key, "v".repeat(257));

        assertSingleError(doc, pointer, "invalid_format");
    }

    @Test
    void read_whenAttributeKeyHasSlashOrTildeAndIsValid_keepsKeyUnescaped() {
        ObjectNode doc = validDoc();
        attributes(doc).put("a/b~c", "v");

        assertThat(read(doc).attributes()).containsEntry("a/b~c", "v");
    }

    // ---------------------------------------------------------------- several errors at once

    @Test
    void read_whenDocumentHasManyViolations_reportsEveryOne() {
        String json = """
                {
                  "customerId": "not valid!",
                  "currency": "EUR",
                  "total": "1.00",
                  "lines": [
                    {"sku": "sku-lower", "quantity": 0, "unitPrice": "12.345"},
                    {"quantity": 1.5, "unitPrice": 3},
                    "not a line"
                  ],
                  "shippingAddress": {"name": " ", "line1": "1 Road", "city": "Berlin", "postalCode": "10115", "country": "de"},
                  "attributes": {"note": 7, "a/b": "%s"}
                }
                """.formatted("x".repeat(257));

        assertThat(errorsOf(json))
                .extracting(FieldError::pointer, FieldError::code)
                .containsExactlyInAnyOrder(
                        tuple("/total", "unknown_field"),
                        tuple("/customerId", "invalid_format"),
                        tuple("/lines/0/sku", "invalid_format"),
                        tuple("/lines/0/quantity", "out_of_range"),
                        tuple("/lines/0/unitPrice", "excess_precision"),
                        tuple("/lines/1/sku", "required"),
                        tuple("/lines/1/quantity", "type"),
                        tuple("/lines/1/unitPrice", "type"),
                        tuple("/lines/2", "type"),
                        tuple("/shippingAddress/name", "invalid_format"),
                        tuple("/shippingAddress/country", "invalid_format"),
                        tuple("/attributes/note", "type"),
                        tuple("/attributes/a~1b", "invalid_format"));
    }

    @Test
    void read_whenDocumentHasManyViolations_exceptionMessageListsEveryPointer() {
        ObjectNode doc = validDoc();
        doc.remove("customerId");
        line0(doc).put("quantity", 0);

        Throwable thrown = catchThrowable(() -> read(doc));

        assertThat(thrown).isInstanceOf(InvalidOrderException.class)
                .hasMessageContaining("/customerId required")
                .hasMessageContaining("/lines/0/quantity out_of_range");
    }

    @Test
    void read_whenValuesAreRejected_messagesNeverEchoThem() {
        ObjectNode doc = validDoc();
        doc.put("customerId", "SECRET customer");
        line0(doc).put("sku", "secret-sku").put("unitPrice", "-4711");
        address(doc).put("country", "zz").put("name", "Secret\u0001Name");
        attributes(doc).put("note", "SecretNote".repeat(30));

        List<FieldError> errors = errorsOf(doc);

        assertThat(errors).hasSize(6);
        assertThat(errors).extracting(FieldError::message)
                .allSatisfy(message -> assertThat(message)
                        .isNotBlank()
                        .doesNotContainIgnoringCase("secret")
                        .doesNotContain("4711")
                        .doesNotContain("zz"));
    }
}
