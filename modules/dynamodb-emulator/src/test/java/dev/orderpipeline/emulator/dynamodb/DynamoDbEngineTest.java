package dev.orderpipeline.emulator.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The storage engine called in-process, without HTTP: what thread-interleaving tests drive. */
class DynamoDbEngineTest {
    private final DynamoDbEngine engine = DynamoDbEngine.inMemory(Contention.NONE);

    @Test
    void execute_whenACreatedTableIsWrittenAndRead_answersAsTheEndpointDoes() {
        assertThat(engine.execute("CreateTable", """
                {"TableName":"orders","BillingMode":"PAY_PER_REQUEST","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
                 "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}]}""").errorCode()).isNull();
        String put = """
                {"TableName":"orders","Item":{"pk":{"S":"a"},"v":{"N":"1"}},"ConditionExpression":"attribute_not_exists(pk)"}""";

        assertThat(engine.execute("PutItem", put).errorCode()).isNull();
        DynamoDbEngine.Response again = engine.execute("PutItem", put);
        DynamoDbEngine.Response read = engine.execute("GetItem", "{\"TableName\":\"orders\",\"Key\":{\"pk\":{\"S\":\"a\"}}}");

        assertThat(again.errorCode()).isEqualTo("ConditionalCheckFailedException");
        assertThat(read.errorCode()).isNull();
        assertThat(read.body()).isEqualTo("{\"Item\":{\"pk\":{\"S\":\"a\"},\"v\":{\"N\":\"1\"}}}");
    }

    @Test
    void execute_whenTheOperationIsNotSupported_answersUnknownOperationException() {
        DynamoDbEngine.Response response = engine.execute("BatchWriteItem", "{}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("UnknownOperationException");
    }
}
