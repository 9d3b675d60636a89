package dev.orderpipeline.bench.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class CostModelTest {
    private static CostModel.Inputs inputs(String mode, double lostRaces) {
        return new CostModel.Inputs(mode, 100, 1.0, 800, 900, 700, 20, 60, 10, 1024, lostRaces, 0, 0, 0, 1000, true);
    }

    @Test
    void wruPerOrder_whenStrict_isThreeTransactionalItems() {
        assertThat(CostModel.wruPerOrder(inputs("strict", 0))).isEqualTo(6.0);
    }

    @Test
    void wruPerOrder_whenBlock_isOnePlainPutOfTheOrderPlusOneAddPerBlock() {
        assertThat(CostModel.wruPerOrder(inputs("block", 0))).isCloseTo(1.01, within(1e-9));
    }

    @Test
    void wruPerOrder_whenBlockOrderItemExceedsOneKb_paysOneUnitPerStartedKb() {
        CostModel.Inputs large = new CostModel.Inputs("block", 50, 1.0, 2100, 900, 700, 20, 60, 10, 1024, 0, 0, 0, 0, 1000, true);

        assertThat(CostModel.wruPerOrder(large)).isCloseTo(3.02, within(1e-9));
    }

    @Test
    void wruPerOrder_whenStrictLosesRaces_paysForEachCancelledTransaction() {
        assertThat(CostModel.wruPerOrder(inputs("strict", 0.5))).isEqualTo(9.0);
    }

    @Test
    void lines_whenTypicalOrder_priceEachCallPerMillionOrders() {
        List<CostModel.Line> lines = CostModel.lines(inputs("strict", 0), Prices.usEast1());
        CostModel.Line api = lines.stream().filter(l -> l.item().startsWith("API Gateway")).findFirst().orElseThrow();
        assertThat(api.costPerMillionOrders()).isCloseTo(1.00, within(1e-9));
        CostModel.Line lambda = lines.stream().filter(l -> l.item().startsWith("Lambda compute")).findFirst().orElseThrow();
        // 1 GB x (20 ms + 60 ms / 10) = 0.026 GB-s per order
        assertThat(lambda.unitsPerOrder()).isCloseTo(0.026, within(1e-9));
        CostModel.Line sqs = lines.stream().filter(l -> l.item().startsWith("SQS requests")).findFirst().orElseThrow();
        assertThat(sqs.unitsPerOrder()).isCloseTo(1.2, within(1e-9));
        assertThat(CostModel.total(lines, null)).isCloseTo(
                lines.stream().mapToDouble(CostModel.Line::costPerMillionOrders).sum(), within(1e-9));
    }

    @Test
    void lines_whenOrdersCarryAnIdempotencyKey_countOneClaimWritePerKeyedOrder() {
        CostModel.Inputs half = new CostModel.Inputs("strict", 100, 0.5, 800, 900, 700, 20, 60, 10, 1024, 0, 0, 0, 0, 1000, true);
        CostModel.Line claim = CostModel.lines(half, Prices.usEast1()).stream()
                .filter(l -> l.item().contains("Idempotency-Key claim")).findFirst().orElseThrow();

        assertThat(claim.unit()).isEqualTo("WRU");
        assertThat(claim.unitsPerOrder()).isCloseTo(0.5, within(1e-9));
        assertThat(claim.costPerMillionOrders()).isCloseTo(0.5 * Prices.usEast1().dynamoDbWru() * 1e6, within(1e-9));
    }

    @Test
    void billedMs_roundsUpToTheMillisecond() {
        assertThat(CostModel.billedMs(12.1)).isEqualTo(13.0);
    }
}
