package dev.orderpipeline.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OrderIdTest {
    private static final CustomerId ALICE = new CustomerId("alice");
    private static final CustomerId BOB = new CustomerId("bob");
    private static final IdempotencyKey KEY = new IdempotencyKey("checkout-7f3a");

    @Test
    void fromIdempotencyKey_whenCalledTwiceWithSameCustomerAndKey_givesSameId() {
        OrderId first = OrderId.fromIdempotencyKey(ALICE, KEY);
        OrderId second = OrderId.fromIdempotencyKey(new CustomerId("alice"), new IdempotencyKey("checkout-7f3a"));

        assertThat(second).isEqualTo(first);
    }

    @Test
    void fromIdempotencyKey_whenCustomersDiffer_givesDifferentIds() {
        assertThat(OrderId.fromIdempotencyKey(BOB, KEY)).isNotEqualTo(OrderId.fromIdempotencyKey(ALICE, KEY));
    }

    @Test
    void fromIdempotencyKey_whenKeysDiffer_givesDifferentIds() {
        assertThat(OrderId.fromIdempotencyKey(ALICE, new IdempotencyKey("checkout-7f3b")))
                .isNotEqualTo(OrderId.fromIdempotencyKey(ALICE, KEY));
    }

    @Test
    void fromIdempotencyKey_whenCustomerAndKeySplitDifferently_givesDifferentIds() {
        // "ab" + "c" must not collide with "a" + "bc"
        OrderId first = OrderId.fromIdempotencyKey(new CustomerId("ab"), new IdempotencyKey("c"));
        OrderId second = OrderId.fromIdempotencyKey(new CustomerId("a"), new IdempotencyKey("bc"));

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void fromIdempotencyKey_whenDerived_isCanonicalNameBasedUuid() {
        OrderId id = OrderId.fromIdempotencyKey(ALICE, KEY);

        assertThat(OrderId.isValid(id.value())).isTrue();
        assertThat(UUID.fromString(id.value()).version()).isEqualTo(3);
        assertThat(id.toString()).isEqualTo(id.value());
    }

    @Test
    void random_whenCalledRepeatedly_givesDistinctRandomUuids() {
        Set<OrderId> ids = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            ids.add(OrderId.random());
        }

        assertThat(ids).hasSize(1_000);
        assertThat(ids).allSatisfy(id -> assertThat(UUID.fromString(id.value()).version()).isEqualTo(4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not-a-uuid", "3F2504E0-4F89-11D3-9A0C-0305E82C3301", "3f2504e04f8911d39a0c0305e82c3301",
            "{3f2504e0-4f89-11d3-9a0c-0305e82c3301}", " 3f2504e0-4f89-11d3-9a0c-0305e82c3301",
            "3f2504e0-4f89-11d3-9a0c-0305e82c330", "3f2504e0-4f89-11d3-9a0c-0305e82c3301\n"})
    void constructor_whenValueIsNotLowerCaseCanonicalUuid_rejectsIt(String value) {
        assertThat(OrderId.isValid(value)).isFalse();
        assertThatThrownBy(() -> new OrderId(value)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constructor_whenValueIsNull_rejectsIt() {
        assertThat(OrderId.isValid(null)).isFalse();
        assertThatThrownBy(() -> new OrderId(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void constructor_whenValueIsCanonical_acceptsIt() {
        assertThat(new OrderId("3f2504e0-4f89-11d3-9a0c-0305e82c3301").value()).isEqualTo("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
    }
}
