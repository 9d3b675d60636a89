package dev.orderpipeline.emulator.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The expression language, without a server: parsing, evaluation and DynamoDB's validation messages. */
class ExpressionParserTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static ExpressionContext context(String names, String values) {
        return new ExpressionContext(names == null ? null : json(names), values == null ? null : json(values));
    }

    private static Map<String, AttributeValue> item(String itemJson) {
        return AttributeValue.itemFromJson(json(itemJson), "item");
    }

    private static boolean test(String expression, String values, String itemJson) {
        ExpressionContext context = context(null, values);
        Condition condition = new ExpressionParser(expression, "ConditionExpression", context).condition();
        context.requireAllUsed();
        return condition.test(item(itemJson));
    }

    private static Map<String, AttributeValue> update(String expression, String values, String itemJson) {
        ExpressionContext context = context(null, values);
        UpdateExpression update = new ExpressionParser(expression, "UpdateExpression", context).update();
        context.requireAllUsed();
        return update.apply(item(itemJson));
    }

    @Test
    void condition_whenAndOrNotAreMixed_bindsNotThenAndThenOr() {
        String values = "{':t':{'BOOL':true},':f':{'BOOL':false}}";
        String item = "{'t':{'BOOL':true},'f':{'BOOL':false}}";

        // a OR b AND c  ==  a OR (b AND c)
        assertThat(test("t = :t OR f = :t AND f = :f", values, item)).isTrue();
        assertThat(test("(t = :t OR f = :t) AND f = :t AND t <> :f", values, item)).isFalse();
        // NOT a AND b  ==  (NOT a) AND b
        assertThat(test("NOT t = :f AND f <> :t", values, item)).isTrue();
        assertThat(test("NOT (t = :t AND f = :f)", values, item)).isFalse();
    }

    @Test
    void condition_whenComparingNumbers_comparesNumericallyNotAsText() {
        String item = "{'n':{'N':'10'}}";

        assertThat(test("n > :v", "{':v':{'N':'9'}}", item)).isTrue();
        assertThat(test("n = :v", "{':v':{'N':'1E1'}}", item)).isTrue();
        assertThat(test("n <= :v", "{':v':{'N':'10.0'}}", item)).isTrue();
    }

    @Test
    void condition_whenAttributeIsMissing_comparisonsAreFalseExceptNotEqual() {
        String values = "{':v':{'S':'x'}}";

        assertThat(test("absent = :v", values, "{}")).isFalse();
        assertThat(test("absent < :v", values, "{}")).isFalse();
        assertThat(test("absent <> :v", values, "{}")).isTrue();
        assertThat(test("attribute_not_exists(absent) AND NOT begins_with(absent, :v)", values, "{}")).isTrue();
    }

    @Test
    void condition_whenFunctionsAndNestedPathsUsed_evaluatesThem() {
        String item = "{'m':{'M':{'label':{'S':'order-17'},'tags':{'SS':['a','b']}}},"
                + "'l':{'L':[{'S':'first'},{'N':'2'}]}}";

        assertThat(test("begins_with(m.label, :p)", "{':p':{'S':'order-'}}", item)).isTrue();
        assertThat(test("l[1] = :two AND attribute_exists(m.tags)", "{':two':{'N':'2'}}", item)).isTrue();
        assertThat(test("attribute_exists(l[2])", null, item)).isFalse();
    }

    @Test
    void condition_whenNamePlaceholderUsed_resolvesIt() {
        ExpressionContext context = context("{'#s':'status'}", "{':v':{'S':'OPEN'}}");
        Condition condition = new ExpressionParser("#s = :v", "ConditionExpression", context).condition();
        context.requireAllUsed();

        assertThat(condition.test(item("{'status':{'S':'OPEN'}}"))).isTrue();
    }

    @Test
    void parse_whenExpressionIsInvalid_failsWithDynamoDbMessages() {
        assertThatThrownBy(() -> test("a = ", "{':v':{'S':'x'}}", "{}"))
                .hasMessageStartingWith("Invalid ConditionExpression: Syntax error; token: \"<EOF>\"");
        assertThatThrownBy(() -> test("a = :v $", "{':v':{'S':'x'}}", "{}"))
                .hasMessageContaining("Syntax error; token: \"$\"");
        assertThatThrownBy(() -> test("a = :missing", null, "{}"))
                .hasMessageContaining("An expression attribute value used in expression is not defined; "
                        + "attribute value: :missing");
        assertThatThrownBy(() -> test("size = :v", "{':v':{'S':'x'}}", "{}"))
                .hasMessageContaining("reserved keyword: size");
        assertThatThrownBy(() -> test("a < :v", "{':v':{'BOOL':true}}", "{}"))
                .hasMessageContaining("Incorrect operand type for operator or function; operator or function: <");
        assertThatThrownBy(() -> test("a BETWEEN :hi AND :lo", "{':hi':{'N':'5'},':lo':{'N':'1'}}", "{}"))
                .hasMessageContaining("The BETWEEN operator is not supported by this DynamoDB emulator");
        assertThatThrownBy(() -> test("contains(a, :v)", "{':v':{'S':'x'}}", "{}"))
                .hasMessageContaining("The function contains is not supported by this DynamoDB emulator");
        assertThatThrownBy(() -> test("Begins_With(a, :v)", "{':v':{'S':'x'}}", "{}"))
                .hasMessageContaining("Invalid function name; function: Begins_With");
        assertThatThrownBy(() -> new ExpressionParser("", "ConditionExpression", context(null, null)))
                .hasMessageContaining("The expression can not be empty");
    }

    @Test
    void update_whenArithmeticAndSwapsUsed_evaluatesAgainstTheOriginalItem() {
        Map<String, AttributeValue> result = update("SET a = b, b = a, c = c - :one",
                "{':one':{'N':'1'}}", "{'a':{'S':'A'},'b':{'S':'B'},'c':{'N':'0.5'}}");

        assertThat(result.get("a").text()).isEqualTo("B");
        assertThat(result.get("b").text()).isEqualTo("A");
        assertThat(result.get("c").number()).isEqualByComparingTo(new BigDecimal("-0.5"));
        assertThatThrownBy(() -> update("SET l = list_append(l, :v)", "{':v':{'L':[]}}", "{}"))
                .hasMessageContaining("The function list_append is not supported by this DynamoDB emulator");
    }

    @Test
    void update_whenRemovingSeveralListElements_usesOriginalIndexes() {
        Map<String, AttributeValue> result = update("REMOVE l[0], l[2]", null,
                "{'l':{'L':[{'S':'0'},{'S':'1'},{'S':'2'},{'S':'3'}]}}");

        assertThat(result.get("l").list()).extracting(AttributeValue::text).containsExactly("1", "3");
    }

    @Test
    void update_whenAddAndDeleteOnSets_unitesAndSubtracts() {
        Map<String, AttributeValue> result = update("ADD ns :more DELETE ss :gone",
                "{':more':{'NS':['2','3']},':gone':{'SS':['b']}}",
                "{'ns':{'NS':['1','2']},'ss':{'SS':['a','b']}}");

        assertThat(result.get("ns")).isEqualTo(AttributeValue.fromJson(json("{'NS':['3','2','1']}")));
        assertThat(result.get("ss")).isEqualTo(AttributeValue.fromJson(json("{'SS':['a']}")));
    }

    @Test
    void update_whenInvalid_failsWithDynamoDbMessages() {
        assertThatThrownBy(() -> update("SET a = :v SET b = :v", "{':v':{'S':'x'}}", "{}"))
                .hasMessageContaining("The \"SET\" section can only be used once in an update expression");
        assertThatThrownBy(() -> update("SET a.b = :v REMOVE a", "{':v':{'S':'x'}}", "{}"))
                .hasMessageContaining("Two document paths overlap with each other");
        assertThatThrownBy(() -> update("ADD a :v", "{':v':{'S':'x'}}", "{}"))
                .hasMessageContaining("Incorrect operand type for operator or function; operator or function: ADD");
        assertThatThrownBy(() -> update("SET a = a + :v", "{':v':{'N':'1'}}", "{'a':{'S':'x'}}"))
                .hasMessageContaining("An operand in the update expression has an incorrect data type");
        assertThatThrownBy(() -> update("SET m.x = :v", "{':v':{'N':'1'}}", "{}"))
                .hasMessageContaining("The document path provided in the update expression is invalid for update");
    }
}
