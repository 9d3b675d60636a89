package dev.orderpipeline.domain.model;

import java.util.Locale;
import java.util.Set;

/** ISO 3166-1 alpha-2 codes as the JDK knows them. */
public final class CountryCodes {
    private static final Set<String> ALPHA_2 = Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA2);

    private CountryCodes() {
    }

    public static boolean isIsoAlpha2(String code) {
        return code != null && ALPHA_2.contains(code);
    }
}
