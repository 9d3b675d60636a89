package dev.orderpipeline.cli;

import dev.orderpipeline.local.EndpointsFile;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code orders}: the operator CLI of the order pipeline. The options declared here are global (inherited by every
 * subcommand, so {@code orders dlq stats --stack prod} and {@code orders --stack prod dlq stats} both work) and say
 * which pipeline to talk to; see {@link Target}.
 *
 * <p>Exit codes: 0 success, 1 the operation failed (a rejected order, a failed move task, an AWS error),
 * 2 usage or configuration (bad option, no local runtime, unknown stack). Errors are one line on stderr,
 * {@code orders: …}; {@code --debug} adds the stack trace.
 */
@Command(name = "orders", mixinStandardHelpOptions = true, versionProvider = OrdersCli.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
                "Operator CLI of the order pipeline: submit and look up orders, inspect and replay the orders "
                        + "dead-letter queue, follow and replay OrderConfirmed events.",
                "",
                "Targets the running local runtime (./run-local) by default, or a deployed stack with --stack NAME."},
        subcommands = {SubmitCommand.class, StatusCommand.class, DlqCommand.class, EventsCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 the operation failed, 2 usage or configuration error.",
                "Documentation: docs/cli.md"})
public final class OrdersCli implements Runnable {
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    static {
        // the SDK logs through SLF4J and the CLI ships no logging backend: keep SLF4J's "no providers" notice off stderr
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
    }

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--stack", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Target a deployed CloudFormation stack: endpoints come from its outputs (DescribeStacks), "
                    + "AWS credentials from the default chain (AWS_PROFILE, environment, SSO, instance role). "
                    + "API requests are SigV4-signed for IAM auth (service execute-api).")
    String stack;

    @Option(names = "--region", scope = ScopeType.INHERIT, paramLabel = "REGION",
            description = "Region of the stack (default: AWS_REGION, then AWS_DEFAULT_REGION); for the local runtime, "
                    + "the region it runs with.")
    String region;

    @Option(names = "--local-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Where the running local runtime publishes its endpoints (default: "
                    + "$" + EndpointsFile.ENV_OVERRIDE + ", else ~/.order-pipeline/local-runtime.json).")
    Path localFile;

    @Option(names = "--api-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Base URL of the orders API (overrides the target's).")
    URI apiUrl;

    @Option(names = "--endpoint", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "AWS endpoint for SQS, EventBridge, CloudFormation and Step Functions (overrides the target's; "
                    + "e.g. LocalStack).")
    URI endpoint;

    @Option(names = "--queue-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Orders queue URL (overrides the target's).")
    String queueUrl;

    @Option(names = "--dlq-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Orders dead-letter queue URL (overrides the target's).")
    String dlqUrl;

    @Option(names = "--subscriber-queue-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "OrderConfirmed subscriber queue URL (overrides the target's).")
    String subscriberQueueUrl;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean debug;

    private final Map<String, String> environment;
    private Target target;

    public OrdersCli() {
        this(System.getenv());
    }

    /** For tests: the environment variables the CLI reads (AWS_REGION, AWS_DEFAULT_REGION). */
    OrdersCli(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public static void main(String[] args) {
        System.exit(newCommandLine(new OrdersCli()).execute(args));
    }

    /** The configured command line: one-line errors on stderr, exit codes 1 and 2. */
    static CommandLine newCommandLine(OrdersCli cli) {
        CommandLine commandLine = new CommandLine(cli);
        commandLine.registerConverter(java.time.Duration.class, new Converters.DurationConverter());
        commandLine.registerConverter(java.time.Instant.class, new Converters.InstantConverter());
        commandLine.setParameterExceptionHandler(OrdersCli::usageError);
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> failure(cli, e, cmd));
        return commandLine;
    }

    @Override
    public void run() {
        // `orders` alone: show what there is
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The pipeline this invocation talks to, resolved once, on first use (so --help never needs a runtime). */
    Target target() {
        if (target == null) {
            TargetOptions options = new TargetOptions(stack, region, localFile != null ? localFile : EndpointsFile.defaultPath(),
                    apiUrl, endpoint, queueUrl, dlqUrl, subscriberQueueUrl);
            target = Target.resolve(options, environment);
        }
        return target;
    }

    boolean targetsStack() {
        return stack != null;
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("orders: " + oneLine(e.getMessage()) + " (see: " + cmd.getCommandSpec().qualifiedName() + " --help)");
        err.flush();
        return EXIT_USAGE;
    }

    private static int failure(OrdersCli cli, Exception e, CommandLine cmd) {
        PrintWriter err = cmd.getErr();
        int code;
        String message;
        if (e instanceof CliException c) {
            code = c.exitCode();
            message = c.getMessage();
        } else if (e instanceof CommandLine.ParameterException p) {
            code = EXIT_USAGE;
            message = p.getMessage() + " (see: " + p.getCommandLine().getCommandSpec().qualifiedName() + " --help)";
        } else if (e instanceof SdkException s) {
            code = EXIT_FAILED;
            message = AwsErrors.describe(s);
        } else {
            code = EXIT_FAILED;
            message = "unexpected error: " + e + " (run again with --debug for the stack trace)";
        }
        err.println("orders: " + oneLine(message));
        if (cli.debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    static String oneLine(String message) {
        return message == null ? "(no message)" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = OrdersCli.class.getPackage().getImplementationVersion();
            return new String[] {"orders " + (v == null ? "(development build)" : v)};
        }
    }
}
