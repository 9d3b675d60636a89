package dev.orderpipeline.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.model.OrderNumber;
import dev.orderpipeline.domain.port.EventPublisher;
import dev.orderpipeline.domain.port.NumberClaim;
import dev.orderpipeline.domain.port.SaveOutcome;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The adapters' success paths over the priming client, with the SDK's own response checks on (SQS's MD5 digests,
 * DynamoDB's CRC32): priming is only worth its name if every answer is one the SDK and the adapters accept as the
 * service's. No network: the clients' endpoint is a name that cannot resolve, and is never looked up.
 */
class PrimingHttpClientTest {
    private final ConfirmedOrder stored = TestOrders.confirmed(1);
    private final PrimingHttpClient http = PrimingHttpClient.answering(List.of(stored));
    private final AwsClients clients = AwsClients.forEndpoint("us-east-1", URI.create("https://aws.invalid"),
            AnonymousCredentialsProvider.create()).forPriming(http);
    private final DynamoDbClient dynamoDb = clients.build(DynamoDbClient.builder());

    @Test
    void sendMessage_whenTheOrderCarriesAttributes_answersTheDigestsTheSqsClientVerifies() {
        new SqsOrderQueue(clients.build(SqsClient.builder()), "https://sqs.us-east-1.amazonaws.com/123456789012/orders")
                .enqueue(TestOrders.pending(), "correlation-1");

        assertThat(http.calls()).containsExactly("AmazonSQS.SendMessage");
    }

    @Test
    void getItem_whenTheOrderIsStored_answersTheStoresOwnItemAndNothingForAnyOtherKey() {
        DynamoDbOrderStore store = new DynamoDbOrderStore(dynamoDb, "orders");

        assertThat(store.findConfirmed(stored.orderId())).contains(stored);
        assertThat(store.findConfirmed(OrderId.random())).isEmpty();
        assertThat(http.calls()).containsExactly("DynamoDB_20120810.GetItem", "DynamoDB_20120810.GetItem");
    }

    @Test
    void confirmationCalls_whenOnAnEmptyTable_reserveTheFirstBlockStoreTheOrderAndPublishItsEvent() {
        NumberClaim claim = new BlockNumberAllocator(dynamoDb, "orders", 100).claim();
        ConfirmedOrder order = new ConfirmedOrder(TestOrders.pending(), claim.number(), stored.confirmedAt(), "fingerprint-2");
        SaveOutcome saved = new DynamoDbOrderStore(dynamoDb, "orders").saveNew(order, claim);
        EventPublisher.PublishResult published = new EventBridgeOrderPublisher(clients.build(EventBridgeClient.builder()),
                "orders", "order-pipeline").publish(List.of(TestOrders.event(order)));

        assertThat(claim.number()).isEqualTo(new OrderNumber(1));
        assertThat(saved).isEqualTo(new SaveOutcome.Saved(order));
        assertThat(published).isEqualTo(new EventPublisher.PublishResult(Set.of(), 0));
        assertThat(http.calls()).first().isEqualTo("DynamoDB_20120810.UpdateItem");
        assertThat(http.calls()).last().isEqualTo("AWSEvents.PutEvents");
    }

    @Test
    void anyOtherOperation_whenCalled_failsInsteadOfPrimingAPathNobodyTakes() {
        assertThatThrownBy(() -> dynamoDb.scan(b -> b.tableName("orders")))
                .isInstanceOf(DynamoDbException.class).hasMessageContaining("SnapStart priming has no answer");
        assertThat(http.calls()).containsExactly("DynamoDB_20120810.Scan");
    }
}
