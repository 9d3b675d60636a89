package dev.orderpipeline.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class LocalAuthTest {
    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void unverifiedClaims_whenBearerTokenIsWellFormed_rendersEveryClaimAsApiGatewayDoes() {
        String token = b64("{\"alg\":\"none\"}") + "." + b64("{\"sub\":\"c-1\",\"exp\":1795690800,\"groups\":[\"a\"]}") + ".";

        assertThat(LocalAuth.unverifiedClaims("Bearer " + token)).hasValueSatisfying(claims -> assertThat(claims)
                .containsEntry("sub", "c-1").containsEntry("exp", "1795690800").containsEntry("groups", "[\"a\"]"));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "Basic dXNlcjpwYXNz", "Bearer", "Bearer abc", "Bearer a.b", "Bearer a.!!!.c",
            "Bearer e30.WzFd.sig" /* payload is an array */, "Bearer e30.bm90IGpzb24.sig" /* not JSON */})
    void unverifiedClaims_whenThereIsNoReadableBearerToken_isEmpty(String authorization) {
        assertThat(LocalAuth.unverifiedClaims(authorization)).isEmpty();
    }
}
