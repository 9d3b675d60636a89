package dev.orderpipeline.aws;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Stops every SDK call of the clients it is given to (see {@link AwsClients#forPriming}) at the last step before
 * the HTTP request would leave: the request has been built, marshalled and signed, nothing has been sent.
 *
 * <p>It lets a SnapStart {@code beforeCheckpoint} hook run the functions' real request path, SDK marshalling
 * included, with no effect on any queue, table or bus and no connection carried into the snapshot. The call fails
 * with an {@link SdkClientException}, which the adapters translate as they would an outage. It records the
 * operations it stopped, so a test can tell that priming reached the SDK.
 */
public final class PrimingGuard implements ExecutionInterceptor {
    private final List<String> stopped = new CopyOnWriteArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        stopped.add(operation);
        throw SdkClientException.builder().message("SnapStart priming: " + operation + " stopped before transmission")
                .build();
    }

    /** The operations stopped so far ({@code service.operation}), in order, one entry per attempt. */
    public List<String> stoppedCalls() {
        return List.copyOf(stopped);
    }
}
