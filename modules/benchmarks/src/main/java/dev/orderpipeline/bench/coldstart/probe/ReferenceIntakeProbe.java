package dev.orderpipeline.bench.coldstart.probe;

import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The floor for intake, on the same classpath: build the same two SDK clients (URLConnection HTTP client, region and
 * endpoint and credentials from the environment), then send the same message twice. No handler, no Powertools, no
 * validation, no JSON.
 */
public final class ReferenceIntakeProbe {
    private ReferenceIntakeProbe() {
    }

    public static void main(String[] args) {
        long main = System.nanoTime();
        long spawn = Long.parseLong(args[0]);
        Map<String, String> a = ProbeSupport.args(args);
        Region region = Region.of(System.getenv("AWS_REGION"));
        SdkHttpClient http = UrlConnectionHttpClient.builder().build();
        SqsClient sqs = SqsClient.builder().region(region).httpClient(http).build();
        DynamoDbClient dynamoDb = DynamoDbClient.builder().region(region).httpClient(http).build();
        long constructed = System.nanoTime();
        send(sqs, a.get("queueUrl"), ProbeSupport.read(a.get("message1")));
        long firstDone = System.nanoTime();
        send(sqs, a.get("queueUrl"), ProbeSupport.read(a.get("message2")));
        long secondDone = System.nanoTime();
        ProbeSupport.report("reference-intake", spawn, main, constructed, constructed, firstDone, secondDone, "null", "ok");
        dynamoDb.close();
        System.exit(0);
    }

    private static void send(SqsClient sqs, String queueUrl, String body) {
        String id = UUID.randomUUID().toString();
        MessageAttributeValue text = MessageAttributeValue.builder().dataType("String").stringValue(id).build();
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body)
                .messageAttributes(Map.of("orderId", text, "submittedAt", text, "correlationId", text)));
    }
}
