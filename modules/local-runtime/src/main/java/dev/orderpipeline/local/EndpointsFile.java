package dev.orderpipeline.local;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.domain.json.OrderJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where a running local runtime tells tools (the operator CLI, scripts) how to reach it:
 * {@code ~/.order-pipeline/local-runtime.json} by default, removed again on shutdown.
 */
public final class EndpointsFile {
    public static final String ENV_OVERRIDE = "ORDER_PIPELINE_LOCAL_FILE";

    private EndpointsFile() {
    }

    public static Path defaultPath() {
        String override = System.getenv(ENV_OVERRIDE);
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return Path.of(System.getProperty("user.home"), ".order-pipeline", "local-runtime.json");
    }

    /** The JSON document a tool reads: every endpoint and resource name of the running pipeline. */
    public static ObjectNode describe(LocalPipeline pipeline) {
        Provisioned r = pipeline.resources();
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("apiUrl", pipeline.httpApiUrl().toString());
        json.put("awsEndpoint", pipeline.awsEndpoint().toString());
        json.put("region", pipeline.region());
        json.put("stack", r.stack());
        json.put("ordersQueueUrl", r.ordersQueueUrl());
        json.put("ordersQueueArn", r.ordersQueueArn());
        json.put("deadLetterQueueUrl", r.deadLetterQueueUrl());
        json.put("deadLetterQueueArn", r.deadLetterQueueArn());
        json.put("subscriberQueueUrl", r.subscriberQueueUrl());
        json.put("subscriberDeadLetterQueueUrl", r.subscriberDeadLetterQueueUrl());
        json.put("tableName", r.tableName());
        json.put("eventBusName", r.eventBusName());
        json.put("eventBusArn", pipeline.archive().eventBusArn());
        json.put("orderConfirmedArchiveName", pipeline.archive().archiveName());
        json.put("orderConfirmedArchiveArn", pipeline.archive().archiveArn());
        json.put("orderHistoryQueueUrl", pipeline.historyResources().queueUrl());
        json.put("orderHistoryDeadLetterQueueUrl", pipeline.historyResources().deadLetterQueueUrl());
        json.put("pid", ProcessHandle.current().pid());
        return json;
    }

    static void write(Path file, LocalPipeline pipeline) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, OrderJson.write(describe(pipeline)), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
