package dev.orderpipeline.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the local HTTP API authenticates. {@link #none()}: every caller is trusted, as IAM-authenticated back-office
 * services are on AWS. {@link #jwt(String)}: callers send {@code Authorization: Bearer <JWT>} and the token's claims
 * reach the intake function the way API Gateway's JWT authorizer passes them ({@code requestContext.authorizer.jwt}),
 * so the ownership rules run end to end on a laptop.
 *
 * <p><b>Local only, signatures not checked</b>: the token's payload is decoded and trusted as it is; issuer, audience,
 * expiry and signature are not verified. On AWS, API Gateway's JWT authorizer verifies them before intake runs.
 *
 * @param jwtCustomerClaim the claim that names the customer; empty = no authentication
 */
public record LocalAuth(Optional<String> jwtCustomerClaim) {
    public static final String WARNING = "JWT mode is LOCAL ONLY, SIGNATURES NOT CHECKED: any well-formed token is "
            + "believed. On AWS, API Gateway's JWT authorizer verifies issuer, audience, expiry and signature.";
    private static final ObjectMapper JSON = new ObjectMapper();

    public LocalAuth {
        Objects.requireNonNull(jwtCustomerClaim, "jwtCustomerClaim");
    }

    public static LocalAuth none() {
        return new LocalAuth(Optional.empty());
    }

    public static LocalAuth jwt(String customerClaim) {
        return new LocalAuth(Optional.of(customerClaim));
    }

    boolean isJwt() {
        return jwtCustomerClaim.isPresent();
    }

    /**
     * The claims of the bearer token in an {@code authorization} header value, as API Gateway renders them (every
     * value a string); empty when there is no bearer token or its payload is not a JSON object.
     */
    static Optional<Map<String, String>> unverifiedClaims(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String[] parts = authorization.substring(7).trim().split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (payload == null || !payload.isObject()) {
                return Optional.empty();
            }
            Map<String, String> claims = new LinkedHashMap<>();
            payload.fields().forEachRemaining(f -> claims.put(f.getKey(),
                    f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString()));
            return Optional.of(claims);
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }

    static APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer(Map<String, String> claims) {
        return APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(claims).build())
                .build();
    }
}
