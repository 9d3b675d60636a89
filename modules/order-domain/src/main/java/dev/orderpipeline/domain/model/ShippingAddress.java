package dev.orderpipeline.domain.model;

import java.util.Objects;

/**
 * Where to ship. Personal data: it is stored with the order but never logged and never put on the
 * {@code OrderConfirmed} event.
 *
 * <p>The constructor checks only presence; lengths, characters and the country code are admission rules
 * ({@link #isValidField}, checked at intake and on the queue), so that a stored address stays readable when they are
 * tightened.
 *
 * @param line2  may be null
 * @param region may be null
 */
public record ShippingAddress(String name, String line1, String line2, String city, String region,
                              String postalCode, String country) {
    public static final int MAX_FIELD_LENGTH = 200;
    public static final int MAX_POSTAL_CODE_LENGTH = 16;

    public ShippingAddress {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(line1, "line1");
        Objects.requireNonNull(city, "city");
        Objects.requireNonNull(postalCode, "postalCode");
        Objects.requireNonNull(country, "country");
    }

    /** Admission rule for a text field: 1..max code points of acceptable text, not only white space. */
    public static boolean isValidField(String value, int max) {
        return Text.isAcceptable(value, 1, max) && !value.isBlank();
    }
}
