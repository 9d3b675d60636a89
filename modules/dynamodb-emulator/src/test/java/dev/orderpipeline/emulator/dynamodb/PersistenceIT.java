package dev.orderpipeline.emulator.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

class PersistenceIT {

    @Test
    void start_whenDataDirHoldsAPreviousRun_seesTheSameTablesAndItems(@TempDir Path dataDir) {
        try (DynamoDbEmulator first = DynamoDbEmulator.start(0, dataDir);
             DynamoDbClient client = EmulatorFixture.client(first.endpoint())) {
            client.createTable(b -> b.tableName("orders").billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("id")
                            .attributeType(ScalarAttributeType.N).build()));
            client.putItem(b -> b.tableName("orders").item(Map.of("id", EmulatorFixture.n("1"),
                    "total", EmulatorFixture.n("12.50"))));
            client.putItem(b -> b.tableName("orders").item(Map.of("id", EmulatorFixture.n("2"))));
            client.transactWriteItems(b -> b.transactItems(t -> t.delete(d -> d.tableName("orders")
                    .key(Map.of("id", EmulatorFixture.n("2"))))));
        }

        try (DynamoDbEmulator second = DynamoDbEmulator.start(0, dataDir);
             DynamoDbClient client = EmulatorFixture.client(second.endpoint())) {
            TableDescription table = client.describeTable(b -> b.tableName("orders")).table();
            assertThat(table.keySchema()).extracting(KeySchemaElement::attributeName).containsExactly("id");
            assertThat(table.itemCount()).isEqualTo(1);
            assertThat(client.getItem(b -> b.tableName("orders").key(Map.of("id", EmulatorFixture.n("1")))).item())
                    .isEqualTo(Map.of("id", EmulatorFixture.n("1"), "total", EmulatorFixture.n("12.5")));
        }
    }

    @Test
    void start_whenNoDataDir_startsEmpty() {
        try (DynamoDbEmulator emulator = DynamoDbEmulator.start(0);
             DynamoDbClient client = EmulatorFixture.client(emulator.endpoint())) {
            assertThatThrownBy(() -> client.describeTable(b -> b.tableName("orders")))
                    .isInstanceOf(software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException.class);
        }
    }
}
