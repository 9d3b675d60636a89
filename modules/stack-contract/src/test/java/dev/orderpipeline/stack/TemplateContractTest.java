package dev.orderpipeline.stack;

import static dev.orderpipeline.stack.CloudFormationYaml.getAtt;
import static dev.orderpipeline.stack.CloudFormationYaml.isFunction;
import static dev.orderpipeline.stack.CloudFormationYaml.ref;
import static dev.orderpipeline.stack.CloudFormationYaml.sub;
import static dev.orderpipeline.stack.StackTemplate.integer;
import static dev.orderpipeline.stack.StackTemplate.list;
import static dev.orderpipeline.stack.StackTemplate.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orderpipeline.aws.AwsClients;
import dev.orderpipeline.aws.BlockNumberAllocator;
import dev.orderpipeline.aws.Env;
import dev.orderpipeline.aws.OrdersTable;
import dev.orderpipeline.confirmation.ConfirmationConfig;
import dev.orderpipeline.history.OrderHistoryConfig;
import dev.orderpipeline.intake.IntakeHandler;
import dev.orderpipeline.local.PipelineResources;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * {@code template.yaml} against the code it deploys: handlers and packages, environment variables, queue settings,
 * event patterns, names, security settings, IAM, alarms. Each assertion says what to fix, and where.
 */
class TemplateContractTest {
    /** Each function in the template, and how the code reads its configuration (fails at init on a missing variable). */
    private static final Map<String, FunctionWiring> WIRING = Map.of(
            PipelineResources.INTAKE_FUNCTION, new FunctionWiring(IntakeHandler.class,
                    env -> new IntakeHandler(env, AwsClients.forEndpoint("us-east-1", URI.create("http://127.0.0.1:9"),
                            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))))),
            PipelineResources.CONFIRMATION_FUNCTION, new FunctionWiring(ConfirmationConfig.class, ConfirmationConfig::from),
            "OrderHistoryFunction", new FunctionWiring(OrderHistoryConfig.class, OrderHistoryConfig::from));

    /** The routes {@code OrdersHttpApi} (intake-function) answers; anything else is a 404 problem. */
    private static final Set<String> INTAKE_ROUTES = Set.of("POST /orders", "GET /orders/{orderId}");

    private static final Pattern SERVICE_WIDE_ACTION = Pattern.compile("^[A-Za-z0-9-]+:\\*$");
    private static final Pattern ASL_PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static StackTemplate template;

    record FunctionWiring(Class<?> configClass, Consumer<Env> initialise) {
    }

    @BeforeAll
    static void loadTemplate() {
        template = StackTemplate.load();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Functions against their packages and code
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void functions_whenPackaged_codeUriExistsAndHoldsTheHandlerClass() throws Exception {
        List<String> functions = template.ofType(StackTemplate.FUNCTION);
        assertThat(functions).as("template.yaml declares no %s", StackTemplate.FUNCTION).isNotEmpty();
        for (String id : functions) {
            Map<String, Object> properties = template.effectiveFunctionProperties(id);
            assertThat(properties.get("CodeUri"))
                    .as("%s: CodeUri must be a literal path to the .zip Maven builds (modules/<function>/target/<function>.zip)", id)
                    .isInstanceOf(String.class);
            Path zip = RepoFiles.root().resolve((String) properties.get("CodeUri"));
            assertThat(zip)
                    .as("%s: CodeUri %s does not exist. Build it with ./mvnw package (the function module's lambda-zip"
                            + " assembly), or fix CodeUri to point at what that module builds", id, properties.get("CodeUri"))
                    .isRegularFile();

            String handler = String.valueOf(properties.get("Handler"));
            assertThat(handler).as("%s: Handler must be <fully qualified class>::<method>", id).matches("[\\w.$]+::\\w+");
            String className = handler.substring(0, handler.indexOf("::"));
            String method = handler.substring(handler.indexOf("::") + 2);
            String entry = className.replace('.', '/') + ".class";
            assertThat(new FunctionPackage(zip).jarsContaining(entry))
                    .as("%s: handler class %s is not in any lib/*.jar of %s; the Lambda runtime would fail with"
                            + " ClassNotFoundException. Fix Handler or the function module's packaging", id, className, zip)
                    .isNotEmpty();

            Class<?> type = Class.forName(className);
            assertThat(type.getConstructor().getModifiers() & Modifier.PUBLIC)
                    .as("%s: %s needs a public no-arg constructor, which the Lambda runtime calls", id, className)
                    .isNotZero();
            assertThat(List.of(type.getMethods())).extracting(java.lang.reflect.Method::getName)
                    .as("%s: %s has no public method %s named in Handler", id, className, method)
                    .contains(method);
        }
    }

    @Test
    void functionEnvironment_setsWhatTheCodeReads_andNothingElse() {
        for (String id : template.ofType(StackTemplate.FUNCTION)) {
            FunctionWiring wiring = WIRING.get(id);
            assertThat(wiring)
                    .as("%s is new: add it to TemplateContractTest.WIRING with the class whose ENV_* constants name its"
                            + " environment variables", id)
                    .isNotNull();
            Map<String, String> templateEnv = new LinkedHashMap<>();
            template.environment(id).forEach((name, value) -> templateEnv.put(name, template.resolveWithDefaults(value)));
            Set<String> codeVariables = envConstants(wiring.configClass());
            assertThat(codeVariables).as("%s declares no public static final String ENV_* constants",
                    wiring.configClass().getName()).isNotEmpty();

            // with the template's own (default) values the code must initialise
            try {
                wiring.initialise().accept(new Env(templateEnv));
            } catch (RuntimeException e) {
                fail(id + " would fail at init with the template's default environment " + templateEnv + ": " + e.getMessage());
            }

            // every variable the code requires is set
            for (String variable : codeVariables) {
                if (isRequired(wiring, templateEnv, variable)) {
                    assertThat(templateEnv)
                            .as("%s: the code requires %s (%s.%s) but template.yaml does not set it in Environment.Variables",
                                    id, variable, wiring.configClass().getSimpleName(), constantName(wiring.configClass(), variable))
                            .containsKey(variable);
                }
            }

            // every variable the template sets is read: by the config class, or by something in the package
            // (Powertools reads POWERTOOLS_*, log4j2.xml reads POWERTOOLS_LOG_LEVEL)
            Set<String> others = new TreeSet<>(templateEnv.keySet());
            others.removeAll(codeVariables);
            Path zip = RepoFiles.root().resolve(String.valueOf(template.effectiveFunctionProperties(id).get("CodeUri")));
            Set<String> readByPackage = new FunctionPackage(zip).textsFound(others);
            for (String variable : others) {
                assertThat(readByPackage)
                        .as("%s sets environment variable %s, but neither %s (ENV_* constants) nor anything packaged in %s"
                                + " reads it: remove it from template.yaml, or add the code that reads it", id, variable,
                                wiring.configClass().getSimpleName(), zip.getFileName())
                        .contains(variable);
            }

            // every value a parameter allows is accepted by the code
            template.environment(id).forEach((variable, value) -> {
                if (!isFunction(value, "Ref") || !(template.parameters().get(map(value, variable).get("Ref")) instanceof Map<?, ?> parameter)) {
                    return;
                }
                List<String> allowed = new ArrayList<>();
                if (parameter.get("AllowedValues") instanceof List<?> values) {
                    values.forEach(v -> allowed.add(String.valueOf(v)));
                }
                if (parameter.get("MinValue") != null) {
                    allowed.add(String.valueOf(parameter.get("MinValue")));
                }
                if (parameter.get("MaxValue") != null) {
                    allowed.add(String.valueOf(parameter.get("MaxValue")));
                }
                for (String candidate : allowed) {
                    Map<String, String> env = new HashMap<>(templateEnv);
                    env.put(variable, candidate);
                    try {
                        wiring.initialise().accept(new Env(env));
                    } catch (RuntimeException e) {
                        fail(id + ": parameter " + map(value, variable).get("Ref") + " allows " + candidate + " for "
                                + variable + ", but the code rejects it (" + e.getMessage() + "): align AllowedValues/MinValue/MaxValue with the code");
                    }
                }
            });
        }
    }

    @Test
    void orderNumberBlockSize_parameterBoundsMatchTheAllocator() {
        Map<String, Object> parameter = map(template.parameters().get("OrderNumberBlockSize"), "parameter OrderNumberBlockSize");
        assertThat(integer(parameter.get("MaxValue"), "OrderNumberBlockSize MaxValue"))
                .as("OrderNumberBlockSize MaxValue must equal BlockNumberAllocator.MAX_BLOCK_SIZE")
                .isEqualTo(BlockNumberAllocator.MAX_BLOCK_SIZE);
        assertThat(integer(parameter.get("MinValue"), "OrderNumberBlockSize MinValue"))
                .as("OrderNumberBlockSize MinValue must be 1: the allocator rejects smaller blocks").isEqualTo(1);
    }

    @Test
    void functions_runJava21OnArm64_withSnapStartOnPublishedVersions() {
        for (String id : template.ofType(StackTemplate.FUNCTION)) {
            Map<String, Object> properties = template.effectiveFunctionProperties(id);
            assertThat(properties.get("Runtime")).as("%s: Runtime must be java21 (Globals.Function)", id).isEqualTo("java21");
            assertThat(properties.get("Architectures")).as("%s: Architectures must be [arm64] (Globals.Function)", id)
                    .isEqualTo(List.of("arm64"));
            Object snapStart = properties.get("SnapStart");
            assertThat(snapStart instanceof Map<?, ?> s ? s.get("ApplyOn") : null)
                    .as("%s: SnapStart.ApplyOn must be PublishedVersions (Globals.Function)", id).isEqualTo("PublishedVersions");
            assertThat(properties.get("AutoPublishAlias"))
                    .as("%s: SnapStart only applies to published versions; set AutoPublishAlias so that every event source"
                            + " invokes a published version through the alias", id)
                    .isInstanceOf(String.class).asString().isNotBlank();
            assertThat(properties.get("Timeout")).as("%s: set an explicit Timeout", id).isInstanceOf(Number.class);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Queues and the event source mapping
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void sqsEvents_reportBatchItemFailures_andUsePipelineResourcesBatching() {
        int sqsEvents = 0;
        for (String id : template.ofType(StackTemplate.FUNCTION)) {
            for (Map.Entry<String, Map<String, Object>> event : template.events(id, "SQS").entrySet()) {
                sqsEvents++;
                Map<String, Object> properties = event.getValue();
                String where = id + " event " + event.getKey();
                assertThat(properties.get("FunctionResponseTypes"))
                        .as("%s: FunctionResponseTypes must contain ReportBatchItemFailures, or the failed message ids the"
                                + " handler returns are ignored and the whole batch is deleted (orders lost)", where)
                        .isInstanceOf(List.class).asList().contains("ReportBatchItemFailures");
                assertThat(integer(properties.get("BatchSize"), where + " BatchSize"))
                        .as("%s: BatchSize must equal PipelineResources.BATCH_SIZE (the local runtime uses it)", where)
                        .isEqualTo(PipelineResources.BATCH_SIZE);
                assertThat(integer(properties.get("MaximumBatchingWindowInSeconds"), where + " MaximumBatchingWindowInSeconds"))
                        .as("%s: MaximumBatchingWindowInSeconds must equal PipelineResources.MAX_BATCHING_WINDOW_SECONDS", where)
                        .isEqualTo(PipelineResources.MAX_BATCHING_WINDOW_SECONDS);
                Object scaling = properties.get("ScalingConfig");
                assertThat(scaling instanceof Map<?, ?> s ? s.get("MaximumConcurrency") : null)
                        .as("%s: set ScalingConfig.MaximumConcurrency (2..1000) so a backlog cannot take the account's whole"
                                + " Lambda concurrency", where)
                        .isInstanceOf(Number.class);
            }
        }
        assertThat(sqsEvents).as("the confirmation function must consume the order queue through an SQS event").isPositive();
        assertThat(template.events(PipelineResources.CONFIRMATION_FUNCTION, "SQS").values())
                .as("ConfirmationFunction's SQS event must read OrdersQueue (Queue: !GetAtt OrdersQueue.Arn)")
                .extracting(p -> p.get("Queue"))
                .containsExactly(getAtt(PipelineResources.ORDERS_QUEUE, "Arn"));
    }

    @Test
    void ordersQueue_visibilityAndRedrive_matchTheConfirmationTimeoutAndPipelineResources() {
        int timeout = integer(template.effectiveFunctionProperties(PipelineResources.CONFIRMATION_FUNCTION).get("Timeout"),
                "ConfirmationFunction Timeout");
        assertThat(timeout).as("ConfirmationFunction Timeout must equal PipelineResources.CONFIRMATION_TIMEOUT_SECONDS")
                .isEqualTo(PipelineResources.CONFIRMATION_TIMEOUT_SECONDS);

        Map<String, Object> queue = template.properties(PipelineResources.ORDERS_QUEUE);
        int visibility = integer(queue.get("VisibilityTimeout"), "OrdersQueue VisibilityTimeout");
        assertThat(visibility)
                .as("OrdersQueue VisibilityTimeout (%s s) must be at least 6 x ConfirmationFunction Timeout (%s s), as the"
                        + " Lambda docs require for SQS event sources", visibility, timeout)
                .isGreaterThanOrEqualTo(6 * timeout);
        assertThat(visibility).as("OrdersQueue VisibilityTimeout must equal PipelineResources.VISIBILITY_TIMEOUT_SECONDS")
                .isEqualTo(PipelineResources.VISIBILITY_TIMEOUT_SECONDS);

        Map<String, Object> redrive = map(queue.get("RedrivePolicy"), "OrdersQueue RedrivePolicy");
        int maxReceiveCount = integer(redrive.get("maxReceiveCount"), "OrdersQueue RedrivePolicy.maxReceiveCount");
        assertThat(maxReceiveCount).as("OrdersQueue maxReceiveCount must be at least 3: one transient failure must not"
                + " send an order to the DLQ").isGreaterThanOrEqualTo(3);
        assertThat(maxReceiveCount).as("OrdersQueue maxReceiveCount must equal PipelineResources.MAX_RECEIVE_COUNT")
                .isEqualTo(PipelineResources.MAX_RECEIVE_COUNT);
        assertThat(redrive.get("deadLetterTargetArn")).as("OrdersQueue must dead-letter into OrdersDeadLetterQueue")
                .isEqualTo(getAtt(PipelineResources.ORDERS_DLQ, "Arn"));

        int queueRetention = integer(queue.get("MessageRetentionPeriod"), "OrdersQueue MessageRetentionPeriod");
        int dlqRetention = integer(template.properties(PipelineResources.ORDERS_DLQ).get("MessageRetentionPeriod"),
                "OrdersDeadLetterQueue MessageRetentionPeriod");
        assertThat(dlqRetention)
                .as("OrdersDeadLetterQueue retention must exceed OrdersQueue's: a message's age counts from its first"
                        + " enqueue, so a shorter DLQ retention deletes orders on arrival")
                .isGreaterThan(queueRetention);
        Map<String, Object> allow = map(template.properties(PipelineResources.ORDERS_DLQ).get("RedriveAllowPolicy"),
                "OrdersDeadLetterQueue RedriveAllowPolicy");
        assertThat(allow.get("redrivePermission")).as("OrdersDeadLetterQueue should accept only OrdersQueue (byQueue)")
                .isEqualTo("byQueue");
    }

    // ------------------------------------------------------------------------------------------------------------
    // Events
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void subscriberRuleAndArchive_eventPattern_equalPipelineResourcesPattern() throws Exception {
        JsonNode expected = JSON.readTree(PipelineResources.ORDER_CONFIRMED_PATTERN);
        for (String id : List.of(PipelineResources.SUBSCRIBER_RULE, PipelineResources.ORDER_CONFIRMED_ARCHIVE)) {
            JsonNode actual = JSON.valueToTree(template.properties(id).get("EventPattern"));
            assertThat(actual)
                    .as("%s EventPattern must equal PipelineResources.ORDER_CONFIRMED_PATTERN %s (the local runtime"
                            + " subscribes with it)", id, expected)
                    .isEqualTo(expected);
        }
        assertThat(template.properties(PipelineResources.ORDER_CONFIRMED_ARCHIVE).get("RetentionDays"))
                .as("OrderConfirmedArchive RetentionDays must equal PipelineResources.ARCHIVE_RETENTION_DAYS (the local archive)")
                .isEqualTo(PipelineResources.ARCHIVE_RETENTION_DAYS);
        Map<String, Object> rule = template.properties(PipelineResources.SUBSCRIBER_RULE);
        assertThat(rule.get("EventBusName")).as("the subscriber rule must be on OrderEventsBus")
                .isEqualTo(ref(PipelineResources.EVENT_BUS));
        Map<String, Object> target = map(list(rule.get("Targets"), "subscriber rule Targets").get(0), "subscriber rule target");
        assertThat(target.get("Arn")).as("the subscriber rule must target OrderConfirmedSubscriberQueue")
                .isEqualTo(getAtt(PipelineResources.SUBSCRIBER_QUEUE, "Arn"));
        assertThat(target.get("DeadLetterConfig"))
                .as("the subscriber rule target needs a DeadLetterConfig, or undeliverable events are dropped after retries")
                .isEqualTo(Map.of("Arn", getAtt(PipelineResources.SUBSCRIBER_DLQ, "Arn")));
        assertThat(target).as("the subscriber rule target should set a RetryPolicy").containsKey("RetryPolicy");

        assertThat(template.environment(PipelineResources.CONFIRMATION_FUNCTION).get(ConfirmationConfig.ENV_EVENT_SOURCE))
                .as("ConfirmationFunction EVENT_SOURCE must equal PipelineResources.EVENT_SOURCE, or subscribers and the"
                        + " archive never match the published events")
                .isEqualTo(PipelineResources.EVENT_SOURCE);
    }

    @Test
    void eventBridgeQueuePolicies_admitOnlyTheSubscriberRule() {
        Set<Object> protectedQueues = new LinkedHashSet<>();
        for (String id : template.ofType("AWS::SQS::QueuePolicy")) {
            Map<String, Object> properties = template.properties(id);
            for (Map<String, Object> statement : statements(map(properties.get("PolicyDocument"), id + " PolicyDocument"), id)) {
                assertThat(statement.get("Principal")).as("%s: only events.amazonaws.com may send", id)
                        .isEqualTo(Map.of("Service", "events.amazonaws.com"));
                // the rule that targets these queues (as target or as the target's dead-letter queue), and no other
                Set<Object> deliveredBy = new LinkedHashSet<>();
                for (Object queue : list(properties.get("Queues"), id + " Queues")) {
                    String queueId = String.valueOf(map(queue, id + " queue").get("Ref"));
                    for (String rule : template.ofType("AWS::Events::Rule")) {
                        for (Object t : list(template.properties(rule).get("Targets"), rule + " Targets")) {
                            Map<String, Object> target = map(t, rule + " target");
                            Object dlq = target.get("DeadLetterConfig") instanceof Map<?, ?> d ? d.get("Arn") : null;
                            if (getAtt(queueId, "Arn").equals(target.get("Arn")) || getAtt(queueId, "Arn").equals(dlq)) {
                                deliveredBy.add(getAtt(rule, "Arn"));
                            }
                        }
                    }
                }
                assertThat(deliveredBy).as("%s: exactly one rule delivers to its queues", id).hasSize(1);
                assertThat(statement.get("Condition"))
                        .as("%s: restrict EventBridge to the rule that targets the queue, with aws:SourceArn (confused-deputy protection)", id)
                        .isEqualTo(Map.of("ArnEquals", Map.of("aws:SourceArn", deliveredBy.iterator().next())));
            }
            protectedQueues.addAll(list(properties.get("Queues"), id + " Queues"));
        }
        assertThat(protectedQueues)
                .as("the subscriber queue and its DLQ (EventBridge's dead-letter target) each need a QueuePolicy letting the"
                        + " rule send, or EventBridge cannot deliver")
                .contains(ref(PipelineResources.SUBSCRIBER_QUEUE), ref(PipelineResources.SUBSCRIBER_DLQ));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Names and encryption
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void pipelineResources_everyLogicalIdExists_withItsStackNameSuffix() throws Exception {
        for (Field field : PipelineResources.class.getFields()) {
            if (field.getType() == String.class && Modifier.isStatic(field.getModifiers())
                    && String.valueOf(field.get(null)).matches("[A-Z][A-Za-z0-9]+")) {
                String id = (String) field.get(null);
                assertThat(template.has(id))
                        .as("PipelineResources.%s = %s, but template.yaml has no resource with that logical ID", field.getName(), id)
                        .isTrue();
            }
        }
        Map<String, String> nameProperty = Map.of(
                "AWS::SQS::Queue", "QueueName",
                "AWS::DynamoDB::Table", "TableName",
                "AWS::Events::EventBus", "Name",
                "AWS::Events::Rule", "Name");
        PipelineResources.NAME_SUFFIXES.forEach((id, suffix) -> {
            String property = nameProperty.get(template.type(id));
            assertThat(property).as("PipelineResources names %s, whose type %s this test cannot name-check", id, template.type(id))
                    .isNotNull();
            assertThat(template.properties(id).get(property))
                    .as("%s.%s must be !Sub ${AWS::StackName}-%s (PipelineResources.NAME_SUFFIXES; the local runtime and"
                            + " the docs use these names)", id, property, suffix)
                    .isEqualTo(sub("${AWS::StackName}-" + suffix));
        });
    }

    @Test
    void dataAtRest_isEncrypted_andTheTableHasPointInTimeRecovery() {
        for (String id : template.ofType("AWS::SQS::Queue")) {
            Map<String, Object> queue = template.properties(id);
            assertThat(Boolean.TRUE.equals(queue.get("SqsManagedSseEnabled")) || queue.containsKey("KmsMasterKeyId"))
                    .as("%s must be encrypted at rest: SqsManagedSseEnabled: true (or a KmsMasterKeyId)", id).isTrue();
        }
        for (String id : template.ofType("AWS::SNS::Topic")) {
            Object key = template.properties(id).get("KmsMasterKeyId");
            assertThat(key).as("%s must be encrypted at rest (KmsMasterKeyId)", id).isNotNull();
            assertThat(key)
                    .as("%s: CloudWatch alarms cannot publish to a topic encrypted with alias/aws/sns (its key policy cannot"
                            + " admit cloudwatch.amazonaws.com); use a customer managed key", id)
                    .isNotEqualTo("alias/aws/sns");
        }
        Map<String, Object> table = template.properties(PipelineResources.ORDERS_TABLE);
        assertThat(table.get("SSESpecification")).as("OrdersTable: SSESpecification.SSEEnabled must be true")
                .isEqualTo(Map.of("SSEEnabled", true));
        assertThat(table.get("PointInTimeRecoverySpecification"))
                .as("OrdersTable: point-in-time recovery must be on (PointInTimeRecoveryEnabled: true)")
                .isEqualTo(Map.of("PointInTimeRecoveryEnabled", true));
        assertThat(table.get("BillingMode")).as("OrdersTable is on-demand, like OrdersTable.createTableRequest")
                .isEqualTo("PAY_PER_REQUEST");
        assertThat(table.get("KeySchema")).as("OrdersTable key must be the string partition key OrdersTable.PK")
                .isEqualTo(List.of(Map.of("AttributeName", OrdersTable.PK, "KeyType", "HASH")));
        assertThat(table.get("AttributeDefinitions")).as("OrdersTable must define only its key attribute, %s (S)", OrdersTable.PK)
                .isEqualTo(List.of(Map.of("AttributeName", OrdersTable.PK, "AttributeType", "S")));
        assertThat(table.get("TimeToLiveSpecification"))
                .as("OrdersTable: TTL on OrdersTable.EXPIRES_AT, the attribute only idempotency records carry")
                .isEqualTo(Map.of("AttributeName", OrdersTable.EXPIRES_AT, "Enabled", true));
        assertThat(template.resource(PipelineResources.ORDERS_TABLE).get("DeletionPolicy"))
                .as("OrdersTable holds the business record: DeletionPolicy must be Retain").isEqualTo("Retain");
    }

    // ------------------------------------------------------------------------------------------------------------
    // API authentication
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void httpApi_requiresAuthenticationByDefault_andServesTheIntakeRoutes() {
        List<String> apis = template.ofType("AWS::Serverless::HttpApi");
        assertThat(apis).as("template.yaml should declare the orders API as an AWS::Serverless::HttpApi").isNotEmpty();
        for (String api : apis) {
            Map<String, Object> properties = template.properties(api);
            assertThat(properties.get("StageName"))
                    .as("%s: use the $default stage (no StageName): the intake code routes on rawPath, which carries the"
                            + " stage name under a named stage, so every request would be a 404", api)
                    .isIn(null, "$default");
            Object auth = properties.get("Auth");
            assertThat(auth).as("%s has no Auth: the API would be open to anyone", api).isNotNull();
            List<Object> variants = new ArrayList<>();
            if (isFunction(auth, "Fn::If")) {
                List<Object> branches = list(map(auth, api + " Auth").get("Fn::If"), api + " Auth Fn::If");
                variants.addAll(branches.subList(1, 3));
                assertParameterOnlyCondition(String.valueOf(branches.get(0)), api);
                List<Object> transforms = list(template.root().get("Transform"), "Transform");
                assertThat(transforms)
                        .as("%s: SAM cannot resolve Fn::If in HttpApi Auth; list AWS::LanguageExtensions before"
                                + " AWS::Serverless-2016-10-31 in Transform so CloudFormation resolves it first", api)
                        .containsSubsequence("AWS::LanguageExtensions", "AWS::Serverless-2016-10-31");
            } else {
                variants.add(auth);
            }
            for (Object variant : variants) {
                Map<String, Object> config = map(variant, api + " Auth");
                Object authorizer = config.get("DefaultAuthorizer");
                assertThat(authorizer)
                        .as("%s: every Auth variant needs a DefaultAuthorizer other than NONE (authentication on by default)", api)
                        .isInstanceOf(String.class).isNotEqualTo("NONE");
                if ("AWS_IAM".equals(authorizer)) {
                    assertThat(config.get("EnableIamAuthorizer"))
                            .as("%s: DefaultAuthorizer AWS_IAM needs EnableIamAuthorizer: true", api).isEqualTo(true);
                } else {
                    Map<String, Object> authorizers = map(config.get("Authorizers"), api + " Auth.Authorizers");
                    assertThat(authorizers).as("%s: DefaultAuthorizer %s is not defined in Auth.Authorizers", api, authorizer)
                            .containsKey((String) authorizer);
                }
            }
        }

        Set<String> routes = new TreeSet<>();
        for (String id : template.ofType(StackTemplate.FUNCTION)) {
            template.events(id, "HttpApi").forEach((name, event) -> {
                routes.add(event.get("Method") + " " + event.get("Path"));
                assertThat(event.get("PayloadFormatVersion"))
                        .as("%s event %s: the intake handler reads payload format 2.0 (APIGatewayV2HTTPEvent)", id, name)
                        .isEqualTo("2.0");
                List<Object> apiRefs = new ArrayList<>(apis.stream().map(CloudFormationYaml::ref).toList());
                assertThat(apiRefs)
                        .as("%s event %s must name the explicit API (ApiId: !Ref ...), not SAM's implicit, unauthenticated one", id, name)
                        .contains(event.get("ApiId"));
                Object routeAuth = event.get("Auth");
                assertThat(routeAuth instanceof Map<?, ?> a ? a.get("Authorizer") : null)
                        .as("%s event %s turns authentication off (Auth.Authorizer: NONE)", id, name)
                        .isNotEqualTo("NONE");
            });
        }
        assertThat(routes).as("the HTTP API routes must be exactly the ones the intake code serves")
                .isEqualTo(new TreeSet<>(INTAKE_ROUTES));
    }

    @Test
    void intakeAuthMode_followsTheApisAuthCondition_andBothModesInitialise() {
        Object mode = template.environment(PipelineResources.INTAKE_FUNCTION).get(IntakeHandler.ENV_AUTH_MODE);
        Object apiAuth = template.properties(template.ofType("AWS::Serverless::HttpApi").get(0)).get("Auth");
        String apiCondition = String.valueOf(list(map(apiAuth, "HttpApi Auth").get("Fn::If"), "Auth Fn::If").get(0));
        assertThat(mode).as("IntakeFunction %s must be jwt exactly when the API takes JWTs (condition %s), iam otherwise",
                IntakeHandler.ENV_AUTH_MODE, apiCondition).isEqualTo(Map.of("Fn::If", List.of(apiCondition, "jwt", "iam")));
        Map<String, String> env = new HashMap<>();
        template.environment(PipelineResources.INTAKE_FUNCTION).forEach((k, v) -> env.put(k, template.resolveWithDefaults(v)));
        for (String each : List.of("jwt", "iam")) {
            env.put(IntakeHandler.ENV_AUTH_MODE, each);
            WIRING.get(PipelineResources.INTAKE_FUNCTION).initialise().accept(new Env(env));
        }
    }

    private static void assertParameterOnlyCondition(String condition, String api) {
        Object definition = map(template.root().get("Conditions"), "Conditions").get(condition);
        assertThat(definition).as("%s Auth uses condition %s, which is not defined in Conditions", api, condition).isNotNull();
        Set<String> parameters = template.parameters().keySet();
        StackTemplate.walk(definition, (path, value) -> {
            if (isFunction(value, "Ref")) {
                assertThat(parameters)
                        .as("condition %s must depend on parameters only (AWS::LanguageExtensions can only resolve those"
                                + " before SAM runs); it refers to %s", condition, map(value, condition).get("Ref"))
                        .contains(String.valueOf(map(value, condition).get("Ref")));
            }
        });
    }

    // ------------------------------------------------------------------------------------------------------------
    // IAM
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void iamStatements_grantNoWildcardActionsOrResources() {
        List<String> problems = new ArrayList<>();
        int[] checked = {0};
        template.walk((path, value) -> {
            if (!(value instanceof Map<?, ?> document) || !document.containsKey("Statement")) {
                return;
            }
            Object raw = document.get("Statement");
            List<Object> statements = raw instanceof List<?> l ? new ArrayList<>(l) : List.of(raw);
            boolean keyPolicy = isKmsKeyPolicy(path);
            for (Object s : statements) {
                Map<String, Object> statement = map(s, path + ".Statement");
                if (!"Allow".equals(statement.get("Effect"))) {
                    continue;
                }
                checked[0]++;
                String where = path + " statement " + statement.getOrDefault("Sid", statements.indexOf(s));
                if (statement.containsKey("NotAction") || statement.containsKey("NotResource")) {
                    problems.add(where + ": Allow with NotAction/NotResource grants everything else; list what is needed");
                }
                for (Object action : asList(statement.get("Action"))) {
                    if ("*".equals(action) || (action instanceof String a && SERVICE_WIDE_ACTION.matcher(a).matches())) {
                        problems.add(where + ": Action " + action + " grants a whole service; list the actions the code calls");
                    }
                }
                for (Object resource : asList(statement.get("Resource"))) {
                    if ("*".equals(resource) && !keyPolicy) {
                        problems.add(where + ": Resource \"*\"; scope it to the ARN of the resource the code uses");
                    }
                }
                Object principal = statement.get("Principal");
                if ("*".equals(principal) || (principal instanceof Map<?, ?> p && "*".equals(p.get("AWS")))) {
                    problems.add(where + ": Principal \"*\" makes the resource public");
                }
            }
        });
        assertThat(checked[0]).as("found no IAM statements at all: is the walk still finding the Policies?").isPositive();
        assertThat(problems).as("IAM statements that are broader than least privilege").isEmpty();

        for (String id : List.of(PipelineResources.INTAKE_FUNCTION, PipelineResources.CONFIRMATION_FUNCTION,
                PipelineResources.HISTORY_FUNCTION, "DlqRedriveStateMachine")) {
            Object policies = template.properties(id).get("Policies");
            for (Object policy : asList(policies)) {
                assertThat(policy)
                        .as("%s: attach no managed policy by name (%s); use inline statements or a SAM policy template"
                                + " scoped to one resource", id, policy)
                        .isInstanceOf(Map.class);
            }
        }
    }

    /** Key policies are the one place where Resource "*" is required: it means "this key". */
    private static boolean isKmsKeyPolicy(String path) {
        String[] parts = path.split("\\.");
        return parts.length >= 4 && parts[0].equals("Resources") && parts[2].equals("Properties")
                && parts[3].equals("KeyPolicy") && "AWS::KMS::Key".equals(template.type(parts[1]));
    }

    @Test
    void functionPolicies_grantWhatTheAdaptersCall_onTheirOwnResources() {
        List<Map<String, Object>> intake = inlineStatements(PipelineResources.INTAKE_FUNCTION);
        assertThat(actionsOn(intake, getAtt(PipelineResources.ORDERS_TABLE, "Arn")))
                .as("IntakeFunction reads one order by key (DynamoDbOrderStore.findConfirmed: GetItem), claims keys"
                        + " (DynamoDbIdempotencyRecords: PutItem) and needs nothing else on OrdersTable")
                .containsExactlyInAnyOrder("dynamodb:GetItem", "dynamodb:PutItem");
        for (Map<String, Object> statement : intake) {
            if (asList(statement.get("Action")).contains("dynamodb:PutItem")) {
                assertThat(statement.get("Condition"))
                        .as("IntakeFunction may put only idempotency items: a dynamodb:LeadingKeys condition on %s*",
                                OrdersTable.IDEMPOTENCY_PREFIX)
                        .isEqualTo(Map.of("ForAllValues:StringLike",
                                Map.of("dynamodb:LeadingKeys", List.of(OrdersTable.IDEMPOTENCY_PREFIX + "*"))));
                assertThat(asList(statement.get("Action"))).as("the conditioned statement grants PutItem alone")
                        .containsExactly("dynamodb:PutItem");
            }
        }
        assertThat(policyTemplates(PipelineResources.INTAKE_FUNCTION))
                .as("IntakeFunction sends to OrdersQueue (SqsOrderQueue): SQSSendMessagePolicy on OrdersQueue")
                .containsEntry("SQSSendMessagePolicy", Map.of("QueueName", getAtt(PipelineResources.ORDERS_QUEUE, "QueueName")));

        List<Map<String, Object>> confirmation = inlineStatements(PipelineResources.CONFIRMATION_FUNCTION);
        assertThat(actionsOn(confirmation, getAtt(PipelineResources.ORDERS_TABLE, "Arn")))
                .as("ConfirmationFunction: TransactWriteItems (Put, Put, Update) is authorised per item action, block"
                        + " mode puts the order with PutItem, the allocators use GetItem and UpdateItem")
                .containsExactlyInAnyOrder("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem");
        assertThat(policyTemplates(PipelineResources.CONFIRMATION_FUNCTION))
                .as("ConfirmationFunction publishes OrderConfirmed: EventBridgePutEventsPolicy on OrderEventsBus")
                .containsEntry("EventBridgePutEventsPolicy", Map.of("EventBusName", ref(PipelineResources.EVENT_BUS)));
    }

    // ------------------------------------------------------------------------------------------------------------
    // DLQ redrive state machine
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void dlqRedrive_definitionSubstitutions_matchTheAslPlaceholders() {
        Map<String, Object> properties = template.properties("DlqRedriveStateMachine");
        String definitionUri = String.valueOf(properties.get("DefinitionUri"));
        String asl = RepoFiles.text(definitionUri);
        Set<String> used = new TreeSet<>();
        Matcher m = ASL_PLACEHOLDER.matcher(asl);
        while (m.find()) {
            used.add(m.group(1));
        }
        Map<String, Object> substitutions = map(properties.get("DefinitionSubstitutions"), "DefinitionSubstitutions");
        assertThat(new TreeSet<>(substitutions.keySet()))
                .as("DefinitionSubstitutions keys must be exactly the ${...} placeholders used in %s: an unused key hides a"
                        + " typo, an undefined placeholder reaches AWS as literal text", definitionUri)
                .isEqualTo(used);
        assertThat(substitutions)
                .as("DefinitionSubstitutions must point at the pipeline's own resources")
                .containsEntry("OrdersDeadLetterQueueUrl", ref(PipelineResources.ORDERS_DLQ))
                .containsEntry("OrdersDeadLetterQueueArn", getAtt(PipelineResources.ORDERS_DLQ, "Arn"))
                .containsEntry("OrdersQueueArn", getAtt(PipelineResources.ORDERS_QUEUE, "Arn"))
                .containsEntry("EventBusName", ref(PipelineResources.EVENT_BUS))
                .containsEntry("EventSource", PipelineResources.EVENT_SOURCE);
        assertThat(properties.get("Type")).as("DlqRedriveStateMachine polls for up to an hour: it must be STANDARD")
                .isEqualTo("STANDARD");
    }

    @Test
    void dlqRedrive_policy_grantsEveryCallTheDefinitionMakes() throws Exception {
        JsonNode asl = JSON.readTree(RepoFiles.text(String.valueOf(template.properties("DlqRedriveStateMachine").get("DefinitionUri"))));
        List<Map<String, Object>> statements = inlineStatements("DlqRedriveStateMachine");
        Map<String, Object> dlq = getAtt(PipelineResources.ORDERS_DLQ, "Arn");
        Map<String, Object> bus = getAtt(PipelineResources.EVENT_BUS, "Arn");
        Set<String> onDlq = new TreeSet<>(actionsOn(statements, dlq));
        Set<String> onBus = new TreeSet<>(actionsOn(statements, bus));
        asl.get("States").forEach(state -> {
            if (!"Task".equals(state.path("Type").asText())) {
                return;
            }
            String resource = state.path("Resource").asText();
            if (resource.startsWith("arn:aws:states:::aws-sdk:sqs:")) {
                String action = resource.substring("arn:aws:states:::aws-sdk:sqs:".length());
                String iamAction = "sqs:" + Character.toUpperCase(action.charAt(0)) + action.substring(1);
                assertThat(onDlq).as("the definition calls %s on the dead-letter queue, but the state machine's policy does"
                        + " not grant %s on OrdersDeadLetterQueue", resource, iamAction).contains(iamAction);
            } else if (resource.equals("arn:aws:states:::events:putEvents")) {
                assertThat(onBus).as("the definition puts events on the bus: grant events:PutEvents on OrderEventsBus")
                        .contains("events:PutEvents");
            }
        });
        assertThat(onDlq)
                .as("an SQS message move task runs with the caller's permissions: on the source (dead-letter) queue it"
                        + " needs ReceiveMessage, DeleteMessage and GetQueueAttributes besides Start/ListMessageMoveTasks")
                .contains("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes");
        assertThat(actionsOn(statements, getAtt(PipelineResources.ORDERS_QUEUE, "Arn")))
                .as("the move task sends to OrdersQueue with the caller's permissions: grant sqs:SendMessage on it")
                .containsExactly("sqs:SendMessage");
    }

    // ------------------------------------------------------------------------------------------------------------
    // Alarms and outputs
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void alarms_notifyTheTopic_useMetricsTheFunctionsEmit_andHaveARunbookEntry() {
        String runbook = RepoFiles.text(RepoFiles.OPERATIONS_DOC);
        List<String> topics = template.ofType("AWS::SNS::Topic");
        assertThat(topics).as("alarms need an SNS topic to notify").isNotEmpty();
        List<String> alarms = template.ofType("AWS::CloudWatch::Alarm");
        assertThat(alarms).as("template.yaml declares no alarms").isNotEmpty();

        Map<String, Object> confirmationEnv = template.environment(PipelineResources.CONFIRMATION_FUNCTION);
        Set<String> customMetrics = new TreeSet<>();
        for (String id : alarms) {
            Map<String, Object> alarm = template.properties(id);
            assertThat(asList(alarm.get("AlarmActions")))
                    .as("%s notifies nobody: AlarmActions must include the alarm topic", id)
                    .containsAnyElementsOf(topics.stream().map(CloudFormationYaml::ref).toList());
            assertThat(runbook).as("%s has no entry in %s: add what it means and what to do", id, RepoFiles.OPERATIONS_DOC)
                    .contains(id);
            String namespace = String.valueOf(alarm.get("Namespace"));
            if (namespace.startsWith("AWS/")) {
                continue;
            }
            assertThat(alarm.get("Namespace"))
                    .as("%s watches custom metric namespace %s, but the functions emit into POWERTOOLS_METRICS_NAMESPACE = %s",
                            id, namespace, confirmationEnv.get("POWERTOOLS_METRICS_NAMESPACE"))
                    .isEqualTo(confirmationEnv.get("POWERTOOLS_METRICS_NAMESPACE"));
            // Powertools for Java v2 adds the default dimension Service = POWERTOOLS_SERVICE_NAME to every metric
            assertThat(alarm.get("Dimensions"))
                    .as("%s: Powertools metrics carry exactly the dimension Service = POWERTOOLS_SERVICE_NAME (%s)", id,
                            confirmationEnv.get("POWERTOOLS_SERVICE_NAME"))
                    .isEqualTo(List.of(Map.of("Name", "Service", "Value", confirmationEnv.get("POWERTOOLS_SERVICE_NAME"))));
            customMetrics.add(String.valueOf(alarm.get("MetricName")));
        }
        if (!customMetrics.isEmpty()) {
            Set<String> emitted = new TreeSet<>();
            for (String function : template.ofType(StackTemplate.FUNCTION)) {
                Path zip = RepoFiles.root().resolve(String.valueOf(template.effectiveFunctionProperties(function).get("CodeUri")));
                emitted.addAll(new FunctionPackage(zip).textsFound(customMetrics));
            }
            assertThat(emitted).as("alarms watch custom metrics that no packaged function emits (check the names in the"
                    + " Powertools*Metrics classes)").isEqualTo(customMetrics);
        }
        assertThat(alarms).as("the DLQ, the backlog age, both functions' errors and the subscriber DLQ must be watched")
                .contains("OrdersDeadLetterQueueNotEmptyAlarm", "OrdersQueueBacklogAgeAlarm", "ConfirmationFunctionErrorsAlarm",
                        "IntakeFunctionErrorsAlarm", "SubscriberDeadLetterQueueNotEmptyAlarm", "EventPublishRetriesAlarm");
    }

    @Test
    void outputs_nameWhatOperatorsAndSubscribersNeed() {
        Map<String, Object> outputs = map(template.root().get("Outputs"), "Outputs");
        assertThat(outputs).as("template.yaml Outputs (used by docs/operations.md)")
                .containsKeys("ApiUrl", "OrdersQueueUrl", "OrdersQueueArn", "OrdersDeadLetterQueueUrl",
                        "OrdersDeadLetterQueueArn", "OrdersTableName", "EventBusName", "EventBusArn",
                        "OrderConfirmedArchiveName", "SubscriberQueueUrl", "DlqRedriveStateMachineArn");
        String runbook = RepoFiles.text(RepoFiles.OPERATIONS_DOC);
        // the runbook reads outputs with its out() helper: `out ApiUrl`, "$(out DlqRedriveStateMachineArn)"
        Matcher m = Pattern.compile("\\bout ([A-Z][A-Za-z0-9]+)").matcher(runbook);
        int used = 0;
        while (m.find()) {
            used++;
            assertThat(outputs).as("%s reads stack output %s, which template.yaml does not declare", RepoFiles.OPERATIONS_DOC, m.group(1))
                    .containsKey(m.group(1));
        }
        assertThat(used).as("%s reads no stack outputs with out <OutputKey>: is the helper still there?", RepoFiles.OPERATIONS_DOC)
                .isPositive();
    }

    // ------------------------------------------------------------------------------------------------------------
    // helpers
    // ------------------------------------------------------------------------------------------------------------

    private static Set<String> envConstants(Class<?> type) {
        Set<String> names = new TreeSet<>();
        for (Field field : type.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (field.getName().startsWith("ENV_") && field.getType() == String.class && Modifier.isPublic(modifiers)
                    && Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers)) {
                try {
                    names.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return names;
    }

    private static String constantName(Class<?> type, String value) {
        for (Field field : type.getDeclaredFields()) {
            try {
                if (field.getName().startsWith("ENV_") && value.equals(field.get(null))) {
                    return field.getName();
                }
            } catch (IllegalAccessException | NullPointerException e) {
                // not a static constant
            }
        }
        return "?";
    }

    /** Required = initialisation fails, naming the variable, when only that variable is missing. */
    private static boolean isRequired(FunctionWiring wiring, Map<String, String> templateEnv, String variable) {
        Map<String, String> without = new HashMap<>(templateEnv);
        without.remove(variable);
        try {
            wiring.initialise().accept(new Env(without));
            return false;
        } catch (IllegalStateException e) {
            if (e.getMessage() != null && e.getMessage().contains(variable)) {
                return true;
            }
            throw new AssertionError("initialising with " + variable + " unset failed for another reason: " + e.getMessage(), e);
        }
    }

    private static List<Map<String, Object>> statements(Map<String, Object> document, String where) {
        Object raw = document.get("Statement");
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object s : raw instanceof List<?> l ? l : List.of(raw)) {
            statements.add(map(s, where + " statement"));
        }
        return statements;
    }

    /** Inline statements of a SAM function or state machine ({@code Policies: - Statement: [...]}). */
    private static List<Map<String, Object>> inlineStatements(String id) {
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object policy : asList(template.properties(id).get("Policies"))) {
            if (policy instanceof Map<?, ?> p && p.containsKey("Statement")) {
                statements.addAll(statements(map(p, id + " policy"), id));
            }
        }
        return statements;
    }

    /** SAM policy templates of a function: template name to its parameters. */
    private static Map<String, Object> policyTemplates(String id) {
        Map<String, Object> templates = new LinkedHashMap<>();
        for (Object policy : asList(template.properties(id).get("Policies"))) {
            if (policy instanceof Map<?, ?> p && !p.containsKey("Statement")) {
                map(p, id + " policy").forEach(templates::put);
            }
        }
        return templates;
    }

    /** Allowed actions of the statements whose Resource is (or includes) the given reference. */
    private static List<String> actionsOn(List<Map<String, Object>> statements, Object resource) {
        List<String> actions = new ArrayList<>();
        for (Map<String, Object> statement : statements) {
            if ("Allow".equals(statement.get("Effect")) && asList(statement.get("Resource")).contains(resource)) {
                asList(statement.get("Action")).forEach(a -> actions.add(String.valueOf(a)));
            }
        }
        return actions;
    }

    private static List<Object> asList(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> l ? new ArrayList<>(l) : List.of(value);
    }
}
