package dev.orderpipeline.confirmation;

import dev.orderpipeline.testsupport.FunctionPackageContract;

/**
 * {@code target/confirmation-function.zip}: the shared package checks, with SQS as the SDK client confirmation never
 * calls (the event source mapping deletes the messages; the client is excluded in this module's pom).
 */
class FunctionPackageContentsIT extends FunctionPackageContract {
    FunctionPackageContentsIT() {
        super("confirmation-function", "sqs");
    }
}
