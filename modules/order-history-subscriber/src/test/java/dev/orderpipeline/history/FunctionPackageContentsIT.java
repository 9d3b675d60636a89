package dev.orderpipeline.history;

import dev.orderpipeline.testsupport.FunctionPackageContract;

/**
 * {@code target/order-history-subscriber.zip}: the shared package checks, with SQS as an SDK client the subscriber
 * never calls (the event source mapping receives and deletes; SQS and EventBridge are excluded in this module's pom).
 */
class FunctionPackageContentsIT extends FunctionPackageContract {
    FunctionPackageContentsIT() {
        super("order-history-subscriber", "sqs");
    }
}
