package dev.orderpipeline.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.NodeAddress;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.rest.sqs.TheSQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import scala.Option;
import scala.util.Either;
import scalikejdbc.ConnectionPool$;
import scalikejdbc.ConnectionPoolSettings;

/**
 * The embedded SQS: ElasticMQ on loopback. Without a data dir it keeps everything in memory. With one, every queue
 * (attributes and redrive policy included) and every message change (send, receive count and visibility, delete,
 * move to the DLQ) is written to an H2 database file, {@code DIR/sqs.mv.db}, before ElasticMQ answers the call, and
 * restored at the next start; so a {@code kill -9} loses nothing SQS has acknowledged.
 *
 * <p>This is how ElasticMQ's own server wires its {@code messages-storage} setting: a persistence actor listening to
 * the queue manager's events. The embedded builder has no switch for it, so it is assembled here. ElasticMQ keeps its
 * database connections in one JVM-wide pool, so one process holds at most one embedded SQS with a data dir at a time.
 */
final class EmbeddedSqs implements AutoCloseable {
    private static final Duration RESTORE_LIMIT = Duration.ofSeconds(60);
    private static final AtomicBoolean PERSISTENT_IN_USE = new AtomicBoolean();

    private final SQSRestServer server;
    private final ActorSystem actorSystem;
    private final int port;

    private EmbeddedSqs(SQSRestServer server, ActorSystem actorSystem) {
        this.server = server;
        this.actorSystem = actorSystem;
        this.port = server.waitUntilStarted().localAddress().getPort();
    }

    /**
     * @param port           0 picks a free port
     * @param advertisedPort the port queue URLs name (the single AWS endpoint)
     * @param region         the region queue ARNs name, the runtime's (ElasticMQ would put {@code elasticmq} there)
     * @param dataDir        where queues and messages are kept, or null for memory only
     */
    static EmbeddedSqs start(int port, int advertisedPort, String region, Path dataDir) {
        TheSQSRestServerBuilder builder = SQSRestServerBuilder
                .withInterface("127.0.0.1")
                .withPort(port)
                // queue URLs point at the single AWS endpoint, like LocalStack's
                .withServerAddress(new NodeAddress("http", "localhost", advertisedPort, ""))
                .withAWSAccountId("000000000000")
                .withAWSRegion(region);
        if (dataDir == null) {
            return new EmbeddedSqs(builder.start(), null);
        }
        // WRITE_DELAY=0: every commit reaches the file before the call returns (H2 would otherwise batch commits for
        // up to 500 ms, which a kill -9 loses). DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook must not close the
        // database while the runtime's shutdown still sends and deletes messages; close() shuts it down last.
        String jdbcUri = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("sqs") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        if (!PERSISTENT_IN_USE.compareAndSet(false, true)) {
            throw new IllegalStateException("another embedded SQS with a data dir is running in this process");
        }
        SqlQueuePersistenceConfig storage = new SqlQueuePersistenceConfig(true, "org.h2.Driver", jdbcUri, "", "", false);
        // ElasticMQ sets its JVM-wide pool up on first use only: point it at this data dir (not the last one's)
        ConnectionPool$ pools = ConnectionPool$.MODULE$;
        ConnectionPoolSettings poolSettings = pools.singleton$default$4();
        pools.singleton(jdbcUri, "", "", poolSettings, pools.singleton$default$5(jdbcUri, "", "", poolSettings));
        ActorSystem system = ActorSystem.create("elasticmq");
        try {
            ActorRef store = system.actorOf(Props.create(SqlQueuePersistenceActor.class,
                    () -> new SqlQueuePersistenceActor(storage, scala.collection.immutable.List$.MODULE$.empty())));
            ActorRef manager = system.actorOf(Props.create(QueueManagerActor.class,
                    () -> new QueueManagerActor(new NowProvider(), builder.sqsLimits(), Option.apply(store))));
            EmbeddedSqs sqs = new EmbeddedSqs(builder.withActorSystem(system).withQueueManagerActor(manager)
                    .withQueueEventListener(store).start(), system);
            restore(store, manager);
            return sqs;
        } catch (RuntimeException | Error e) {
            system.terminate();
            closePool();
            throw e;
        }
    }

    /** Re-creates the stored queues with their messages, and waits for it: nothing may be sent to a queue before. */
    private static void restore(ActorRef store, ActorRef manager) {
        Object result;
        try {
            result = Patterns.ask(store, new QueueEvent.Restore(manager), RESTORE_LIMIT).toCompletableFuture()
                    .get(RESTORE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not restore the SQS queues from the data dir: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restoring the SQS queues", e);
        }
        if (result instanceof Either<?, ?> either && either.isLeft()) {
            throw new IllegalStateException("could not restore the SQS queues from the data dir: " + either.left().get());
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        server.stopAndWait();
        if (actorSystem != null) {
            actorSystem.terminate();
            try {
                scala.concurrent.Await.ready(actorSystem.whenTerminated(), scala.concurrent.duration.Duration.create(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (TimeoutException e) {
                // every change was committed when it was made; the pool is closed either way
            }
            closePool();
        }
    }

    /** Closing the pool's last connection closes the H2 database, which writes it out completely. */
    private static void closePool() {
        ConnectionPool$.MODULE$.closeAll();
        PERSISTENT_IN_USE.set(false);
    }
}
