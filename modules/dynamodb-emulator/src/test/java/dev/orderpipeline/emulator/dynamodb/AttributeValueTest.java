package dev.orderpipeline.emulator.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributeValueTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static AttributeValue value(String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
        return AttributeValue.fromJson(node);
    }

    @Test
    void fromJson_whenNumbersDifferOnlyInFormat_areEqualAndCanonical() {
        assertThat(value("{'N':'1.50'}")).isEqualTo(value("{'N':'001.5'}")).isEqualTo(value("{'N':'15E-1'}"));
        assertThat(value("{'N':'-0.000'}").toJson()).isEqualTo(value("{'N':'0'}").toJson());
        assertThat(value("{'N':'1200'}").toJson().get("N").asText()).isEqualTo("1200");
    }

    @Test
    void fromJson_whenNumberExceedsDynamoDbLimits_failsWithValidation() {
        assertThatThrownBy(() -> value("{'N':'1234567890123456789012345678901234567890'}"))
                .hasMessageContaining("more than 38 significant digits");
        assertThatThrownBy(() -> value("{'N':'1E126'}")).hasMessageContaining("Number overflow");
        assertThatThrownBy(() -> value("{'N':'1E-131'}")).hasMessageContaining("Number underflow");
        assertThatThrownBy(() -> value("{'N':'abc'}")).hasMessageContaining("cannot be converted to a numeric value");
    }

    @Test
    void fromJson_whenSetsHaveSameElementsInAnotherOrder_areEqual() {
        assertThat(value("{'SS':['a','b']}")).isEqualTo(value("{'SS':['b','a']}"));
        assertThat(value("{'NS':['1','2.0']}")).isEqualTo(value("{'NS':['2','1']}"));
        assertThat(value("{'L':[{'S':'a'},{'S':'b'}]}")).isNotEqualTo(value("{'L':[{'S':'b'},{'S':'a'}]}"));
    }

    @Test
    void fromJson_whenValueIsMalformed_failsWithValidation() {
        assertThatThrownBy(() -> value("{}")).hasMessageContaining("Supplied AttributeValue is empty");
        assertThatThrownBy(() -> value("{'S':'a','N':'1'}")).hasMessageContaining("more than one datatypes");
        assertThatThrownBy(() -> value("{'SS':[]}")).hasMessageContaining("may not be empty");
        assertThatThrownBy(() -> value("{'SS':['a','a']}")).hasMessageContaining("contains duplicates");
        assertThatThrownBy(() -> value("{'NULL':false}")).hasMessageContaining("Null attribute value types");
        assertThatThrownBy(() -> value("{'L':[".repeat(33) + "{'S':'x'}" + "]}".repeat(33)))
                .hasMessageContaining("Nesting Levels have exceeded supported limits");
    }

    @Test
    void compare_whenStringsHaveSupplementaryCharacters_ordersByUtf8Bytes() {
        // U+FF5E is one UTF-16 unit but sorts before U+1F600 (a surrogate pair) in UTF-8 byte order
        AttributeValue bmp = AttributeValue.string("\uFF5E");
        AttributeValue emoji = AttributeValue.string(new String(Character.toChars(0x1F600)));

        assertThat(AttributeValue.compare(bmp, emoji)).isNegative();
        assertThat(AttributeValue.compare(value("{'B':'/w=='}"), value("{'B':'AQ=='}"))).isPositive();
    }

    @Test
    void prefixUpperBound_whenUsedAsRangeEnd_boundsExactlyTheValuesWithThePrefix() {
        AttributeValue prefix = AttributeValue.string("order#");
        AttributeValue bound = prefix.prefixUpperBound();

        assertThat(AttributeValue.compare(AttributeValue.string("order#\uFFFF\uFFFF"), bound)).isNegative();
        assertThat(AttributeValue.compare(AttributeValue.string("order$"), bound)).isZero();
        assertThat(value("{'B':'AP8='}").prefixUpperBound()).isEqualTo(value("{'B':'AQ=='}"));
    }

    @Test
    void itemSize_whenComputed_followsDynamoDbSizeRules() {
        Map<String, AttributeValue> item = Map.of(
                "ab", AttributeValue.string("héllo"),
                "n", value("{'N':'12345'}"),
                "m", value("{'M':{'k':{'BOOL':true}}}"));

        // "ab"+"héllo" = 2+6; "n"+(5 digits → 3+1) = 1+4; "m"+(3 + "k"+1 + 1) = 1+6
        assertThat(AttributeValue.itemSize(item)).isEqualTo(8 + 5 + 7);
    }

    @Test
    void toJson_whenRoundTripped_keepsEveryType() throws Exception {
        JsonNode item = MAPPER.readTree(("{'s':{'S':'x'},'n':{'N':'1.5'},'b':{'B':'AAE='},'t':{'BOOL':false},"
                + "'z':{'NULL':true},'m':{'M':{'a':{'L':[{'SS':['p']},{'NS':['7']},{'BS':['AQ==']}]}}}}")
                .replace('\'', '"'));

        assertThat(AttributeValue.itemToJson(AttributeValue.itemFromJson(item, "item"))).isEqualTo(item);
    }
}
