package dev.orderpipeline.intake;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads the raw HTTP API (payload 2.0) events under {@code src/test/resources/apigw/} and derives variants of them
 * the way API Gateway would send them (header names lowercased, {@code content-length} kept in step with the body).
 */
final class ApiGatewayEvents {
    private ApiGatewayEvents() {
    }

    static APIGatewayV2HTTPEvent load(String name) {
        return EventLoader.loadApiGatewayHttpEvent("apigw/" + name);
    }

    static APIGatewayV2HTTPEvent withHeader(APIGatewayV2HTTPEvent event, String lowerCaseName, String value) {
        Map<String, String> headers = new LinkedHashMap<>(event.getHeaders());
        headers.put(lowerCaseName, value);
        event.setHeaders(headers);
        return event;
    }

    static APIGatewayV2HTTPEvent withoutHeader(APIGatewayV2HTTPEvent event, String lowerCaseName) {
        Map<String, String> headers = new LinkedHashMap<>(event.getHeaders());
        headers.remove(lowerCaseName);
        event.setHeaders(headers);
        return event;
    }

    static APIGatewayV2HTTPEvent withBody(APIGatewayV2HTTPEvent event, String body) {
        event.setBody(body);
        event.setIsBase64Encoded(false);
        return withHeader(event, "content-length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
    }

    static APIGatewayV2HTTPEvent withBase64Body(APIGatewayV2HTTPEvent event, byte[] body) {
        event.setBody(Base64.getEncoder().encodeToString(body));
        event.setIsBase64Encoded(true);
        return withHeader(event, "content-length", Integer.toString(body.length));
    }

    static APIGatewayV2HTTPEvent withPath(APIGatewayV2HTTPEvent event, String rawPath) {
        event.setRawPath(rawPath);
        event.getRequestContext().getHttp().setPath(rawPath);
        return event;
    }

    static APIGatewayV2HTTPEvent withMethod(APIGatewayV2HTTPEvent event, String method) {
        event.getRequestContext().getHttp().setMethod(method);
        return event;
    }

    static APIGatewayV2HTTPEvent withRequestId(APIGatewayV2HTTPEvent event, String requestId) {
        event.getRequestContext().setRequestId(requestId);
        return event;
    }
}
