package dev.orderpipeline.domain.port;

import dev.orderpipeline.domain.model.ConfirmedOrder;
import dev.orderpipeline.domain.model.OrderId;
import java.util.Optional;

/** Driven port: reads a confirmed order by id. */
public interface OrderLookup {
    /** @throws OrderStoreUnavailableException when the store could not answer */
    Optional<ConfirmedOrder> findConfirmed(OrderId orderId);
}
