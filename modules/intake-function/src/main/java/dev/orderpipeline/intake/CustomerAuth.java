package dev.orderpipeline.intake;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.orderpipeline.aws.Env;
import dev.orderpipeline.domain.model.CustomerId;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who the orders of a request belong to, by the API's authentication mode ({@code AUTH_MODE}, set by
 * {@code template.yaml}):
 * <ul>
 *   <li>{@code iam}: callers are trusted back-office services (SigV4); they act for any customer, and the body's
 *       {@code customerId} says which.</li>
 *   <li>{@code jwt}: callers are end users; the customer is the token claim named by {@code JWT_CUSTOMER_CLAIM}
 *       (default {@code sub}). API Gateway's JWT authorizer has verified the token and passes its claims in
 *       {@code requestContext.authorizer.jwt.claims} (payload 2.0); this class never sees the token itself.</li>
 * </ul>
 */
final class CustomerAuth {
    static final String ENV_AUTH_MODE = "AUTH_MODE";
    static final String ENV_JWT_CUSTOMER_CLAIM = "JWT_CUSTOMER_CLAIM";
    static final String DEFAULT_CLAIM = "sub";
    /** Claim names as identity providers spell them: {@code sub}, {@code custom:customerId}, namespaced URLs. */
    private static final Pattern CLAIM_NAME = Pattern.compile("^[\\x21-\\x7e]{1,256}$");

    /** What the request may do: act for any customer (IAM), act for one, or nothing (a token without the claim). */
    sealed interface Caller {
        record AnyCustomer() implements Caller {
        }

        record Customer(CustomerId id) implements Caller {
        }

        record NoCustomer() implements Caller {
        }
    }

    private final Optional<String> claim;

    private CustomerAuth(Optional<String> claim) {
        this.claim = claim;
    }

    static CustomerAuth iam() {
        return new CustomerAuth(Optional.empty());
    }

    static CustomerAuth jwt(String claim) {
        if (claim == null || !CLAIM_NAME.matcher(claim).matches()) {
            throw new IllegalStateException("environment variable " + ENV_JWT_CUSTOMER_CLAIM
                    + " must be a claim name of 1..256 printable characters");
        }
        return new CustomerAuth(Optional.of(claim));
    }

    static CustomerAuth from(Env env) {
        String mode = env.optional(ENV_AUTH_MODE).orElse("iam").toLowerCase(Locale.ROOT);
        return switch (mode) {
            case "iam" -> iam();
            case "jwt" -> jwt(env.optional(ENV_JWT_CUSTOMER_CLAIM).orElse(DEFAULT_CLAIM));
            default -> throw new IllegalStateException("environment variable " + ENV_AUTH_MODE + " must be iam or jwt");
        };
    }

    Optional<String> claimName() {
        return claim;
    }

    Caller caller(APIGatewayV2HTTPEvent event) {
        if (claim.isEmpty()) {
            return new Caller.AnyCustomer();
        }
        String value = claims(event).get(claim.get());
        return value != null && CustomerId.isValid(value) ? new Caller.Customer(new CustomerId(value)) : new Caller.NoCustomer();
    }

    private static Map<String, String> claims(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getJwt() == null
                || context.getAuthorizer().getJwt().getClaims() == null) {
            return Map.of();
        }
        return context.getAuthorizer().getJwt().getClaims();
    }
}
