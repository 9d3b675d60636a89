package dev.orderpipeline.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderpipeline.domain.model.ConfirmedOrder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The HTTP client of SnapStart priming's SDK clients ({@link AwsClients#forPriming}): the SDK's own
 * {@link UrlConnectionHttpClient} over connections that never open a socket. Every request is answered in-process
 * with a success response of the real service's wire protocol (AWS JSON 1.0 for SQS and DynamoDB, 1.1 for
 * EventBridge), valid enough for the SDK to unmarshal and verify it as it would the service's:
 * <ul>
 *   <li>SQS {@code SendMessage}: a message id and the MD5 digests of body and attributes, which the SQS client
 *       checks against what it sent;</li>
 *   <li>DynamoDB, as a table that holds only the orders given to {@link #answering} (written by the store's own
 *       item writer): {@code GetItem} answers the item under the requested key, or none; {@code PutItem} and
 *       {@code TransactWriteItems} succeed; {@code UpdateItem} answers what its {@code SET}/{@code ADD} of plain
 *       values leaves on an absent item (a block reservation gets the first block). Responses carry the
 *       {@code x-amz-crc32} header DynamoDB sends;</li>
 *   <li>EventBridge {@code PutEvents}: an event id per entry, no failed entry.</li>
 * </ul>
 * So priming runs the success path (marshalling, signing, the HTTP client's request writing and response reading,
 * unmarshalling and checksums, the adapters' success handling) while nothing leaves the process: no DNS lookup, no
 * socket, no write anywhere. An operation it has no answer for gets a 400 JSON error, so that priming fails loudly
 * in the tests rather than priming the wrong path. It records the {@code X-Amz-Target} of every request, so a test
 * can tell which operations priming reached.
 *
 * <p>Only the JDK's socket-level HTTP classes stay cold: reaching them takes a connection.
 */
public final class PrimingHttpClient implements SdkHttpClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DYNAMODB = "DynamoDB_20120810.";
    /** {@code #name = :value} in a SET clause, {@code #name :value} in an ADD clause. */
    private static final Pattern ASSIGNMENT = Pattern.compile("(#?\\w+)\\s*=?\\s*(:\\w+)(?=\\s*(?:,|$|SET|ADD|REMOVE|DELETE))");
    /** Fixed, like every answer: nothing random is created before a snapshot. */
    private static final String ID = "00000000-0000-4000-8000-00000000beef";

    private final SdkHttpClient http = UrlConnectionHttpClient.create(this::connection);
    private final List<ObjectNode> items;
    private final List<String> calls = new CopyOnWriteArrayList<>();

    private PrimingHttpClient(List<ObjectNode> items) {
        this.items = List.copyOf(items);
    }

    /** Answers as an empty table, queue and bus would. */
    public static PrimingHttpClient create() {
        return answering(List.of());
    }

    /** Answers as a table holding these confirmed orders, each as the order store writes it. */
    public static PrimingHttpClient answering(List<ConfirmedOrder> storedOrders) {
        List<ObjectNode> items = new ArrayList<>();
        for (ConfirmedOrder order : storedOrders) {
            ObjectNode item = JSON.createObjectNode();
            DynamoDbOrderStore.toItem(order).forEach((name, value) -> item.set(name, wire(value)));
            items.add(item);
        }
        return new PrimingHttpClient(items);
    }

    /** The {@code X-Amz-Target} of every request answered so far, in order, e.g. {@code AmazonSQS.SendMessage}. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return http.prepareRequest(request);
    }

    @Override
    public String clientName() {
        return http.clientName();
    }

    @Override
    public void close() {
        http.close();
    }

    private HttpURLConnection connection(URI uri) {
        try {
            return new InProcessConnection(uri);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(uri.toString(), e);
        }
    }

    /** A connection that keeps the request in memory and answers it from {@link #answer}; connect() opens nothing. */
    private final class InProcessConnection extends HttpURLConnection {
        private final Map<String, List<String>> requestHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private final ByteArrayOutputStream requestBody = new ByteArrayOutputStream();
        private Answer answer;

        InProcessConnection(URI uri) throws MalformedURLException {
            super(uri.toURL()); // stores the URL; resolves nothing
        }

        @Override
        public void setRequestProperty(String key, String value) {
            requestHeaders.put(key, new ArrayList<>(List.of(value)));
        }

        @Override
        public void addRequestProperty(String key, String value) {
            requestHeaders.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }

        @Override
        public String getRequestProperty(String key) {
            List<String> values = requestHeaders.get(key);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        @Override
        public Map<String, List<String>> getRequestProperties() {
            return Collections.unmodifiableMap(requestHeaders);
        }

        @Override
        public void connect() {
            // nothing to open
        }

        @Override
        public void disconnect() {
        }

        @Override
        public boolean usingProxy() {
            return false;
        }

        @Override
        public OutputStream getOutputStream() {
            return requestBody;
        }

        @Override
        public int getResponseCode() {
            return answer().status();
        }

        @Override
        public String getResponseMessage() {
            return answer().status() == 200 ? "OK" : "Bad Request";
        }

        @Override
        public InputStream getInputStream() throws IOException {
            if (answer().status() >= 400) {
                throw new IOException("HTTP " + answer().status()); // as the JDK's connection does; the SDK reads getErrorStream()
            }
            return new ByteArrayInputStream(answer().body());
        }

        @Override
        public InputStream getErrorStream() {
            return answer().status() >= 400 ? new ByteArrayInputStream(answer().body()) : null;
        }

        @Override
        public Map<String, List<String>> getHeaderFields() {
            return answer().headers();
        }

        @Override
        public String getHeaderField(String name) {
            List<String> values = answer().headers().get(name);
            return values == null ? null : values.get(0);
        }

        private Answer answer() {
            if (answer == null) {
                String target = String.valueOf(getRequestProperty("X-Amz-Target"));
                calls.add(target);
                answer = PrimingHttpClient.this.answer(target, getRequestProperty("Content-Type"), requestBody.toByteArray());
            }
            return answer;
        }
    }

    private record Answer(int status, byte[] body, Map<String, List<String>> headers) {
    }

    private Answer answer(String target, String contentType, byte[] requestBody) {
        JsonNode request = parse(requestBody);
        ObjectNode body = JSON.createObjectNode();
        int status = 200;
        switch (target) {
            case "AmazonSQS.SendMessage" -> {
                body.put("MessageId", ID);
                body.put("MD5OfMessageBody", md5Hex(request.path("MessageBody").asText().getBytes(StandardCharsets.UTF_8)));
                if (request.path("MessageAttributes").size() > 0) {
                    body.put("MD5OfMessageAttributes", md5OfAttributes(request.get("MessageAttributes")));
                }
            }
            case DYNAMODB + "GetItem" -> storedItem(request.path("Key")).ifPresent(item -> body.set("Item", item));
            case DYNAMODB + "PutItem", DYNAMODB + "TransactWriteItems" -> {
                // accepted: nothing is stored
            }
            case DYNAMODB + "UpdateItem" -> {
                if (request.path("ReturnValues").asText("NONE").endsWith("_NEW")) {
                    body.set("Attributes", updatedOnAbsentItem(request));
                }
            }
            case "AWSEvents.PutEvents" -> {
                body.put("FailedEntryCount", 0);
                ArrayNode entries = body.putArray("Entries");
                request.path("Entries").forEach(e -> entries.addObject().put("EventId", ID));
            }
            default -> {
                status = 400;
                body.put("__type", "UnknownOperationException");
                body.put("message", "SnapStart priming has no answer for " + target);
            }
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Content-Type", List.of(contentType == null ? "application/x-amz-json-1.0" : contentType));
        headers.put("Content-Length", List.of(Integer.toString(bytes.length)));
        headers.put("x-amzn-RequestId", List.of(ID));
        if (target.startsWith(DYNAMODB)) {
            CRC32 crc = new CRC32();
            crc.update(bytes);
            headers.put("x-amz-crc32", List.of(Long.toString(crc.getValue())));
        }
        return new Answer(status, bytes, Collections.unmodifiableMap(headers));
    }

    private Optional<ObjectNode> storedItem(JsonNode key) {
        for (ObjectNode item : items) {
            boolean matches = key.size() > 0;
            for (Map.Entry<String, JsonNode> field : key.properties()) {
                matches &= field.getValue().equals(item.get(field.getKey()));
            }
            if (matches) {
                return Optional.of(item);
            }
        }
        return Optional.empty();
    }

    private static ObjectNode updatedOnAbsentItem(JsonNode request) {
        ObjectNode attributes = JSON.createObjectNode();
        JsonNode names = request.path("ExpressionAttributeNames");
        JsonNode values = request.path("ExpressionAttributeValues");
        Matcher m = ASSIGNMENT.matcher(request.path("UpdateExpression").asText());
        while (m.find()) {
            JsonNode value = values.get(m.group(2));
            if (value != null) {
                attributes.set(names.path(m.group(1)).asText(m.group(1)), value);
            }
        }
        return attributes;
    }

    /** The digest the SQS client recomputes: per attribute, by name, length-prefixed name, type and value. */
    private static String md5OfAttributes(JsonNode attributes) {
        List<String> names = new ArrayList<>();
        attributes.properties().forEach(p -> names.add(p.getKey()));
        Collections.sort(names);
        MessageDigest md5 = md5();
        for (String name : names) {
            JsonNode attribute = attributes.get(name);
            if (!attribute.has("StringValue")) {
                throw new IllegalArgumentException("priming answers String message attributes only, not " + name);
            }
            lengthAndBytes(md5, name);
            lengthAndBytes(md5, attribute.path("DataType").asText());
            md5.update((byte) 1); // the string value's type index
            lengthAndBytes(md5, attribute.get("StringValue").asText());
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    private static void lengthAndBytes(MessageDigest md5, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        md5.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        md5.update(bytes);
    }

    private static String md5Hex(byte[] bytes) {
        return HexFormat.of().formatHex(md5().digest(bytes));
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("SnapStart priming expected a JSON request body", e);
        }
    }

    /** An attribute value in DynamoDB's JSON wire format. */
    private static JsonNode wire(AttributeValue value) {
        ObjectNode node = JSON.createObjectNode();
        if (value.s() != null) {
            node.put("S", value.s());
        } else if (value.n() != null) {
            node.put("N", value.n());
        } else if (value.bool() != null) {
            node.put("BOOL", value.bool());
        } else if (Boolean.TRUE.equals(value.nul())) {
            node.put("NULL", true);
        } else if (value.hasM()) {
            ObjectNode map = node.putObject("M");
            value.m().forEach((k, v) -> map.set(k, wire(v)));
        } else if (value.hasL()) {
            ArrayNode list = node.putArray("L");
            value.l().forEach(v -> list.add(wire(v)));
        } else if (value.hasSs()) {
            ArrayNode set = node.putArray("SS");
            value.ss().forEach(set::add);
        } else {
            throw new IllegalArgumentException("priming cannot answer the attribute value " + value);
        }
        return node;
    }
}
