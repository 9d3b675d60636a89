package dev.orderpipeline.emulator.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

class TableOperationsIT extends EmulatorFixture {

    @Test
    void createTable_whenNew_isActiveAndDescribedWithItsKeySchema() {
        String name = createTable(true);
        dynamoDb.putItem(b -> b.tableName(name).item(key("a", "1")));

        TableDescription table = dynamoDb.describeTable(b -> b.tableName(name)).table();

        assertThat(table.tableName()).isEqualTo(name);
        assertThat(table.tableStatus()).isEqualTo(TableStatus.ACTIVE);
        assertThat(table.keySchema()).containsExactly(key("pk", KeyType.HASH), key("sk", KeyType.RANGE));
        assertThat(table.attributeDefinitions()).extracting(d -> d.attributeName() + ":" + d.attributeType())
                .containsExactlyInAnyOrder("pk:" + ScalarAttributeType.S, "sk:" + ScalarAttributeType.S);
        assertThat(table.itemCount()).isEqualTo(1);
        assertThat(table.tableArn()).isEqualTo("arn:aws:dynamodb:us-east-1:000000000000:table/" + name);
        assertThat(table.creationDateTime()).isNotNull();
        assertThat(table.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
    }

    @Test
    void createTable_whenNameIsTaken_failsWithResourceInUse() {
        String name = createTable(false);

        assertThatThrownBy(() -> dynamoDb.createTable(b -> b.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(key("pk", KeyType.HASH)).attributeDefinitions(attribute("pk"))))
                .isInstanceOf(ResourceInUseException.class);
    }

    @Test
    void createTable_whenProvisionedWithoutThroughput_failsWithValidation() {
        assertThatThrownBy(() -> dynamoDb.createTable(b -> b.tableName("provisioned-without-throughput")
                .keySchema(key("pk", KeyType.HASH)).attributeDefinitions(attribute("pk"))))
                .hasMessageContaining("ReadCapacityUnits and WriteCapacityUnits must both be specified")
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ValidationException"));
    }

    @Test
    void createTable_whenSecondaryIndexRequested_refusesClearly() {
        requireEmulator();
        assertThatThrownBy(() -> dynamoDb.createTable(b -> b.tableName("with-index")
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(key("pk", KeyType.HASH)).attributeDefinitions(attribute("pk"), attribute("gsiPk"))
                .globalSecondaryIndexes(i -> i.indexName("gsi").keySchema(key("gsiPk", KeyType.HASH))
                        .projection(p -> p.projectionType("ALL")))))
                .hasMessageContaining("GlobalSecondaryIndexes is not supported by this DynamoDB emulator");
    }

    @Test
    void describeTable_whenMissing_failsWithResourceNotFound() {
        assertThatThrownBy(() -> dynamoDb.describeTable(b -> b.tableName("no-such-table")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void deleteTable_whenPresent_removesTableAndItsItems() {
        String name = createTable(false);
        dynamoDb.putItem(b -> b.tableName(name).item(key("a")));

        dynamoDb.deleteTable(b -> b.tableName(name));

        assertThatThrownBy(() -> dynamoDb.describeTable(b -> b.tableName(name))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> dynamoDb.getItem(b -> b.tableName(name).key(key("a"))))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> dynamoDb.deleteTable(b -> b.tableName(name)))
                .isInstanceOf(ResourceNotFoundException.class);
    }
}
