package dev.orderpipeline.domain.model;

import java.util.Objects;

/**
 * Where to ship. Personal data: it is stored with the order but never logged and never put on the
 * {@code OrderConfirmed} event.
 *
 * @param line2  may be null
 * @param region may be null
 */
public record ShippingAddress(String name, String line1, String line2, String city, String region,
                              String postalCode, String country) {
    public static final int MAX_FIELD_LENGTH = 200;
    public static final int MAX_POSTAL_CODE_LENGTH = 16;

    public ShippingAddress {
        requireText(name, "name", MAX_FIELD_LENGTH);
        requireText(line1, "line1", MAX_FIELD_LENGTH);
        optionalText(line2, "line2", MAX_FIELD_LENGTH);
        requireText(city, "city", MAX_FIELD_LENGTH);
        optionalText(region, "region", MAX_FIELD_LENGTH);
        requireText(postalCode, "postalCode", MAX_POSTAL_CODE_LENGTH);
        Objects.requireNonNull(country, "country");
        if (!CountryCodes.isIsoAlpha2(country)) {
            throw new IllegalArgumentException("country must be an ISO 3166-1 alpha-2 code");
        }
    }

    private static void requireText(String value, String field, int max) {
        Objects.requireNonNull(value, field);
        optionalText(value, field, max);
    }

    private static void optionalText(String value, String field, int max) {
        if (value != null && (value.isBlank() || value.length() > max || Text.hasControlCharacters(value))) {
            throw new IllegalArgumentException(field + " must be 1.." + max + " characters without control characters");
        }
    }
}
