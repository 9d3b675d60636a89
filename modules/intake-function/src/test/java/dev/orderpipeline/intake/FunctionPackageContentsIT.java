package dev.orderpipeline.intake;

import dev.orderpipeline.testsupport.FunctionPackageContract;

/**
 * {@code target/intake-function.zip}: the shared package checks, with EventBridge as the SDK client intake never calls
 * (it never publishes events; the client is excluded in this module's pom).
 */
class FunctionPackageContentsIT extends FunctionPackageContract {
    FunctionPackageContentsIT() {
        super("intake-function", "eventbridge");
    }
}
