package dev.orderpipeline.emulator.dynamodb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * All tables of one emulator, behind one read-write lock.
 *
 * <p>Every request runs entirely under the lock (a write request under the write lock, from evaluating its
 * condition to storing its result, a whole transaction included), so requests are linearizable exactly as
 * DynamoDB's single-item operations and transactions are. With a snapshot configured, each successful write
 * request saves the whole state before the lock is released, so the snapshot never shows half a transaction.
 */
final class Database {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Table> tables = new TreeMap<>();
    private final Snapshot snapshot;

    /** @param snapshot where state is kept between runs, or null for memory only */
    Database(Snapshot snapshot) {
        this.snapshot = snapshot;
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

    private static <T> T locked(Lock lock, Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
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

    /** Table names in ascending order, as ListTables pages through them. */
    List<String> tableNames() {
        return new ArrayList<>(tables.keySet());
    }
}
