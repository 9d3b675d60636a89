package dev.orderpipeline.emulator.dynamodb;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * All tables of one emulator, behind one read-write lock, plus what DynamoDB's contention needs: the items of
 * transactions in flight and each item's write budget.
 *
 * <p>Every request step runs under the lock: a single-item write from evaluating its condition to storing its
 * result; a transaction in two steps (check and mark its items, then commit and unmark them), with its items marked
 * in between so that nothing else writes them, as in DynamoDB. With a snapshot configured, each completed write
 * saves the whole state before the lock is released, so the snapshot never shows half a transaction.
 */
final class Database {
    /** One item of one table, as transaction markers and write budgets know it. */
    record ItemRef(String table, Table.PrimaryKey key) {
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Table> tables = new TreeMap<>();
    private final Snapshot snapshot;
    private final Contention contention;
    /** Items of transactions between their check and their commit, with the transaction holding each; write lock. */
    private final Map<ItemRef, Object> inFlight = new HashMap<>();
    /** Per-item write budgets, only with a limit; write lock. */
    private final Map<ItemRef, WriteBudget> budgets = new HashMap<>();
    private final AtomicLong transactionConflicts = new AtomicLong();
    private final AtomicLong throttledRequests = new AtomicLong();

    /** @param snapshot where state is kept between runs, or null for memory only */
    Database(Snapshot snapshot, Contention contention) {
        this.snapshot = snapshot;
        this.contention = contention;
        if (snapshot != null) {
            snapshot.load().forEach(table -> tables.put(table.name(), table));
        }
    }

    <T> T read(Supplier<T> action) {
        return locked(lock.readLock(), action);
    }

    /** Runs a mutating action; if it completes, the new state is saved before other requests can see it. */
    <T> T write(Supplier<T> action) {
        return locked(lock.writeLock(), () -> {
            T result = action.get();
            if (snapshot != null) {
                snapshot.save(tables.values());
            }
            return result;
        });
    }

    /** Runs an action that changes no item (a transaction's check and marking step) under the write lock. */
    <T> T exclusive(Supplier<T> action) {
        return locked(lock.writeLock(), action);
    }

    private static <T> T locked(Lock lock, Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    Contention contention() {
        return contention;
    }

    /** The transaction in flight on this item, or null. Call under the write lock. */
    Object transactionOn(ItemRef item) {
        return inFlight.get(item);
    }

    /** Call under the write lock. */
    void mark(ItemRef item, Object transaction) {
        inFlight.put(item, transaction);
    }

    /** Call under the write lock. */
    void unmark(ItemRef item, Object transaction) {
        inFlight.remove(item, transaction);
    }

    /** True if the item can take {@code units} more write units now; false means throttle. Call under the write lock. */
    boolean hasWriteBudget(ItemRef item, int units) {
        return contention.itemWriteUnitsPerSecond() == 0 || budget(item).available(System.nanoTime()) >= units;
    }

    /** Spends write units on the item. Call under the write lock, after {@link #hasWriteBudget}. */
    void spendWriteBudget(ItemRef item, int units) {
        if (contention.itemWriteUnitsPerSecond() != 0) {
            budget(item).spend(units);
        }
    }

    private WriteBudget budget(ItemRef item) {
        return budgets.computeIfAbsent(item, k -> new WriteBudget(contention.itemWriteUnitsPerSecond(), System.nanoTime()));
    }

    void countConflict() {
        transactionConflicts.incrementAndGet();
    }

    void countThrottle() {
        throttledRequests.incrementAndGet();
    }

    long transactionConflicts() {
        return transactionConflicts.get();
    }

    long throttledRequests() {
        return throttledRequests.get();
    }

    /** The table, or ResourceNotFoundException. Call under the lock. */
    Table table(String name) {
        Table table = tables.get(name);
        if (table == null) {
            throw ApiException.resourceNotFound("Requested resource not found: Table: " + name + " not found");
        }
        return table;
    }

    boolean exists(String name) {
        return tables.containsKey(name);
    }

    void add(Table table) {
        tables.put(table.name(), table);
    }

    void remove(String name) {
        tables.remove(name);
    }

    /** A token bucket: {@code rate} units per second, holding at most one second's worth (DynamoDB's short burst). */
    private static final class WriteBudget {
        private final int rate;
        private double units;
        private long refilledAt;

        WriteBudget(int rate, long now) {
            this.rate = rate;
            this.units = rate;
            this.refilledAt = now;
        }

        double available(long now) {
            units = Math.min(rate, units + (now - refilledAt) * rate / 1e9);
            refilledAt = now;
            return units;
        }

        void spend(int spent) {
            units -= spent;
        }
    }
}
