package dev.orderpipeline.bench.coldstart.probe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Shared by the probes that run in a fresh JVM on a function's own classpath ({@code lib/*} of its zip) plus the probe
 * classes only. So it may use the JDK and what every function zip holds (aws-lambda-java-core), nothing else; no
 * nested or anonymous classes either, since only the listed class files are copied.
 */
public final class ProbeSupport {
    public static final String MARKER = "COLDSTART-RESULT ";

    private ProbeSupport() {
    }

    /** {@code key=value} arguments after the first (the parent's nanoTime just before it started this JVM). */
    public static Map<String, String> args(String[] args) {
        Map<String, String> map = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            map.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        return map;
    }

    public static String read(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** A Lambda context such as the runtime passes: a fresh request id per invocation. */
    public static Context context(String functionName, int memoryMb) {
        String requestId = UUID.randomUUID().toString();
        LambdaLogger logger = (LambdaLogger) Proxy.newProxyInstance(ProbeSupport.class.getClassLoader(),
                new Class<?>[] {LambdaLogger.class}, (proxy, method, a) -> {
                    if (method.getName().equals("log") && a != null && a.length > 0) {
                        System.out.println(a[0] instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(a[0]));
                    }
                    return null;
                });
        return (Context) Proxy.newProxyInstance(ProbeSupport.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, a) -> switch (method.getName()) {
                    case "getAwsRequestId" -> requestId;
                    case "getFunctionName" -> functionName;
                    case "getFunctionVersion" -> "1";
                    case "getInvokedFunctionArn" -> "arn:aws:lambda:us-east-1:000000000000:function:" + functionName + ":live";
                    case "getLogGroupName" -> "/aws/lambda/" + functionName;
                    case "getLogStreamName" -> "bench";
                    case "getRemainingTimeInMillis" -> 30_000;
                    case "getMemoryLimitInMB" -> memoryMb;
                    case "getLogger" -> logger;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == a[0];
                    case "toString" -> "BenchContext[" + functionName + "]";
                    default -> null;
                });
    }

    /** Whether to run the SnapStart hook before the first call ({@code prime=true}). */
    public static boolean prime(Map<String, String> args) {
        return Boolean.parseBoolean(args.getOrDefault("prime", "false"));
    }

    /** How many further calls to make after the second one, to time a warm call ({@code warm=N}). */
    public static int warmCalls(Map<String, String> args) {
        return Integer.parseInt(args.getOrDefault("warm", "0"));
    }

    /** The median of the given call times (ns), in ms; NaN (JSON null) without any. */
    public static String medianMs(long[] nanos) {
        if (nanos.length == 0) {
            return "null";
        }
        long[] sorted = nanos.clone();
        java.util.Arrays.sort(sorted);
        long median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return ms(median);
    }

    /**
     * One line the parent looks for; times in ms from the parent's spawn, main(), construction, the end of priming
     * (equal to construction when not primed), first and second call, and the median warm call.
     */
    public static void report(String probe, long spawnNanos, long mainNanos, long constructedNanos, long primedNanos,
                              long firstNanos, long secondNanos, String warmMedianMs, String outcome) {
        System.out.flush();
        System.out.println(MARKER + "{\"probe\":\"" + probe + "\""
                + ",\"jvmStartMs\":" + ms(mainNanos - spawnNanos)
                + ",\"initMs\":" + ms(constructedNanos - mainNanos)
                + ",\"primingMs\":" + ms(primedNanos - constructedNanos)
                + ",\"firstInvokeMs\":" + ms(firstNanos - primedNanos)
                + ",\"secondInvokeMs\":" + ms(secondNanos - firstNanos)
                + ",\"warmInvokeMs\":" + warmMedianMs
                + ",\"outcome\":\"" + outcome.replace("\"", "'") + "\"}");
        System.out.flush();
    }

    private static String ms(long nanos) {
        return Double.toString(nanos / 1_000_000.0);
    }
}
