package dev.orderpipeline.intake;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.orderpipeline.aws.AwsClients;
import dev.orderpipeline.aws.DynamoDbIdempotencyRecords;
import dev.orderpipeline.aws.DynamoDbOrderStore;
import dev.orderpipeline.aws.Env;
import dev.orderpipeline.aws.SqsOrderQueue;
import dev.orderpipeline.domain.intake.SubmitOrder;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import org.crac.Core;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * Lambda entry point behind the HTTP API: {@code POST /orders}, {@code GET /orders/{orderId}}.
 *
 * <p>Environment: {@code ORDER_QUEUE_URL}, {@code ORDERS_TABLE}, {@code AWS_REGION}, optionally
 * {@code IDEMPOTENCY_WINDOW_HOURS}, {@code AUTH_MODE} ({@code iam} or {@code jwt}) and {@code JWT_CUSTOMER_CLAIM}
 * (see {@link CustomerAuth}); Powertools reads
 * {@code POWERTOOLS_SERVICE_NAME}, {@code POWERTOOLS_METRICS_NAMESPACE}, {@code POWERTOOLS_LOG_LEVEL}.
 * Clients are built once per container in the constructor (and so captured by a SnapStart snapshot); nothing
 * random is created there, so restored copies never share state. Before the snapshot, {@link IntakePriming} runs
 * the request path once so that the first request after a restore does not pay for class loading.
 */
public final class IntakeHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    public static final String ENV_ORDER_QUEUE_URL = "ORDER_QUEUE_URL";
    public static final String ENV_ORDERS_TABLE = "ORDERS_TABLE";
    /** How long an {@code Idempotency-Key} is bound to its first request, in hours: default 24, 1..720. */
    public static final String ENV_IDEMPOTENCY_WINDOW_HOURS = "IDEMPOTENCY_WINDOW_HOURS";
    /** {@code iam} (default: callers act for any customer) or {@code jwt} (for the token's customer only). */
    public static final String ENV_AUTH_MODE = CustomerAuth.ENV_AUTH_MODE;
    /** Under {@code jwt}: the claim that names the customer, default {@code sub}. */
    public static final String ENV_JWT_CUSTOMER_CLAIM = CustomerAuth.ENV_JWT_CUSTOMER_CLAIM;
    private static final Logger LOG = LoggerFactory.getLogger(IntakeHandler.class);

    private final OrdersHttpApi api;
    private final Runnable flushMetrics;
    /** Held here because CRaC contexts may keep registered resources only weakly. */
    private final IntakePriming priming;

    /** Used by the Lambda runtime; primes the request path before a SnapStart snapshot ({@link IntakePriming}). */
    public IntakeHandler() {
        this(Env.system(), AwsClients.fromEnvironment());
        Core.getGlobalContext().register(priming);
    }

    /** Used by the local runtime: same wiring, explicit endpoints and configuration. */
    public IntakeHandler(Env env, AwsClients clients) {
        PowertoolsIntakeMetrics metrics = PowertoolsIntakeMetrics.from(env);
        this.api = new OrdersHttpApi(submitOrder(env, clients), metrics, CustomerAuth.from(env));
        this.flushMetrics = metrics::flush;
        this.priming = new IntakePriming(env, clients);
    }

    /** The production use case over the given clients. */
    static SubmitOrder submitOrder(Env env, AwsClients clients) {
        String queueUrl = env.required(ENV_ORDER_QUEUE_URL);
        String table = env.required(ENV_ORDERS_TABLE);
        Duration window = Duration.ofHours(env.intValue(ENV_IDEMPOTENCY_WINDOW_HOURS,
                (int) SubmitOrder.DEFAULT_IDEMPOTENCY_WINDOW.toHours(), 1, 720));
        DynamoDbClient dynamoDb = clients.build(DynamoDbClient.builder());
        return new SubmitOrder(
                new SqsOrderQueue(clients.build(SqsClient.builder()), queueUrl),
                new DynamoDbOrderStore(dynamoDb, table),
                new DynamoDbIdempotencyRecords(dynamoDb, table),
                window,
                Clock.systemUTC());
    }

    /** For tests: the use case and a metrics recorder. */
    IntakeHandler(SubmitOrder submitOrder, IntakeMetrics metrics) {
        this(submitOrder, metrics, CustomerAuth.iam());
    }

    /** For tests: the use case, a metrics recorder and the authentication mode. */
    IntakeHandler(SubmitOrder submitOrder, IntakeMetrics metrics, CustomerAuth auth) {
        this.api = new OrdersHttpApi(submitOrder, metrics, auth);
        this.flushMetrics = () -> { };
        this.priming = null;
    }

    /** The SnapStart hook of a handler built by a public constructor, {@code null} otherwise. */
    IntakePriming priming() {
        return priming;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> {
            try {
                return api.handle(event);
            } catch (RuntimeException e) {
                // last resort (OrdersHttpApi answers its own bugs with the correlation id): answer a problem
                // instead of API Gateway's bare 500, and log the cause
                LOG.error("unexpected error while handling a request", e);
                return OrdersHttpApi.internalError();
            } finally {
                flushMetrics.run();
            }
        });
    }
}
