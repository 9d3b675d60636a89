package dev.orderpipeline.intake;

import dev.orderpipeline.domain.intake.IdempotencyRecord;

import dev.orderpipeline.domain.model.OrderId;
import dev.orderpipeline.domain.port.IdempotencyRecords;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Atomic like the conditional write it stands for: {@link ConcurrentHashMap#compute} decides concurrent claims. */
final class InMemoryIdempotencyRecords implements IdempotencyRecords {
    private final Map<OrderId, IdempotencyRecord> records = new ConcurrentHashMap<>();

    @Override
    public IdempotencyRecord claim(IdempotencyRecord record, Instant now) {
        return records.compute(record.orderId(), (id, held) -> held == null || held.isExpiredAt(now) ? record : held);
    }

    Map<OrderId, IdempotencyRecord> stored() {
        return Map.copyOf(records);
    }
}
