package dev.orderpipeline.domain.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * SHA-256 over a canonical, length-prefixed rendering of a submission's content.
 *
 * <p>{@code submittedAt} is deliberately left out: a client retry with the same {@code Idempotency-Key}
 * is enqueued with a later {@code submittedAt} but is the same order. Attribute order does not matter.
 */
public final class OrderFingerprint {
    private OrderFingerprint() {
    }

    public static String of(OrderSubmission s) {
        StringBuilder b = new StringBuilder(256);
        field(b, "v1");
        field(b, s.customerId().value());
        field(b, s.currency().code());
        field(b, Integer.toString(s.lines().size()));
        for (OrderLine line : s.lines()) {
            field(b, line.sku().value());
            field(b, Integer.toString(line.quantity()));
            field(b, line.unitPrice().toDecimalString());
        }
        if (s.shippingAddress().isPresent()) {
            ShippingAddress a = s.shippingAddress().get();
            field(b, "address");
            for (String part : new String[] {a.name(), a.line1(), a.line2(), a.city(), a.region(), a.postalCode(), a.country()}) {
                field(b, part == null ? "\u0000" : part);
            }
        } else {
            field(b, "no-address");
        }
        Map<String, String> sorted = new TreeMap<>(s.attributes());
        field(b, Integer.toString(sorted.size()));
        sorted.forEach((k, v) -> {
            field(b, k);
            field(b, v);
        });
        return HexFormat.of().formatHex(sha256(b.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static void field(StringBuilder b, String value) {
        b.append(value.length()).append(':').append(value).append(';');
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
