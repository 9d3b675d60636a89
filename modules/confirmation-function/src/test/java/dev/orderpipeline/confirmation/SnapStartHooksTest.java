package dev.orderpipeline.confirmation;

import dev.orderpipeline.testsupport.SnapStartHooksContract;

/** Powertools' SnapStart hook on this function's classpath (the check and its reasons: {@link SnapStartHooksContract}). */
class SnapStartHooksTest extends SnapStartHooksContract {
}
