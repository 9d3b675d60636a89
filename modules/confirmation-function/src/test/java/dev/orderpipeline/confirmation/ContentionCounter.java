package dev.orderpipeline.confirmation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Counts the contention DynamoDB answered, on every attempt the SDK made (including the ones it retried on its own):
 * transactions cancelled or writes refused for a {@code TransactionConflict}, and throttling
 * ({@code ThrottlingError}/{@code ProvisionedThroughputExceeded} reasons, {@code ProvisionedThroughputExceededException},
 * {@code ThrottlingException}), and failed conditions ({@code ConditionalCheckFailed}: in block mode, where no
 * transaction is left to conflict, the copies of one order racing to be stored first are decided by the order put's
 * condition). It reads the answers on the client side, so it counts the same on any endpoint.
 */
final class ContentionCounter implements ExecutionInterceptor {
    final AtomicInteger transactionConflicts = new AtomicInteger();
    final AtomicInteger throttles = new AtomicInteger();
    final AtomicInteger conditionFailures = new AtomicInteger();

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        Optional<InputStream> body = context.responseBody();
        if (context.httpResponse().statusCode() != 400 || body.isEmpty()) {
            return body;
        }
        try (InputStream in = body.get()) {
            byte[] bytes = in.readAllBytes();
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (text.contains("TransactionConflict")) {
                transactionConflicts.incrementAndGet();
            }
            if (text.contains("ConditionalCheckFailed")) {
                conditionFailures.incrementAndGet();
            }
            if (text.contains("ThrottlingError") || text.contains("ProvisionedThroughputExceeded") || text.contains("ThrottlingException")) {
                throttles.incrementAndGet();
            }
            return Optional.of(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return transactionConflicts.get() + " transaction conflicts, " + throttles.get() + " throttles, "
                + conditionFailures.get() + " failed conditions";
    }
}
