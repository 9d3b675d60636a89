package dev.orderpipeline.intake;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/** Lambda contexts for invoking the handler outside Lambda. Powertools logging reads them on every invocation. */
final class LambdaContexts {
    static final String AWS_REQUEST_ID = "c6af9ac6-7b61-11e6-9a41-93e812345678";
    private static final String FUNCTION_NAME = "order-pipeline-intake";
    private static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:" + FUNCTION_NAME;
    private static final String LOG_GROUP = "/aws/lambda/" + FUNCTION_NAME;
    private static final String LOG_STREAM = "2026/11/26/[$LATEST]0123456789abcdef0123456789abcdef";

    private LambdaContexts() {
    }

    /** A Mockito mock answering what the Lambda runtime would; unstubbed methods return Mockito's defaults. */
    static Context mocked() {
        Context context = mock(Context.class);
        when(context.getAwsRequestId()).thenReturn(AWS_REQUEST_ID);
        when(context.getFunctionName()).thenReturn(FUNCTION_NAME);
        when(context.getFunctionVersion()).thenReturn("$LATEST");
        when(context.getInvokedFunctionArn()).thenReturn(FUNCTION_ARN);
        when(context.getMemoryLimitInMB()).thenReturn(512);
        when(context.getRemainingTimeInMillis()).thenReturn(10_000);
        when(context.getLogGroupName()).thenReturn(LOG_GROUP);
        when(context.getLogStreamName()).thenReturn(LOG_STREAM);
        return context;
    }

    /**
     * The same answers without Mockito. Used by the integration tests: Mockito's inline mock maker attaches a
     * Java agent on first use, which costs seconds in a fresh JVM.
     */
    static Context plain() {
        return new Context() {
            @Override
            public String getAwsRequestId() {
                return AWS_REQUEST_ID;
            }

            @Override
            public String getLogGroupName() {
                return LOG_GROUP;
            }

            @Override
            public String getLogStreamName() {
                return LOG_STREAM;
            }

            @Override
            public String getFunctionName() {
                return FUNCTION_NAME;
            }

            @Override
            public String getFunctionVersion() {
                return "$LATEST";
            }

            @Override
            public String getInvokedFunctionArn() {
                return FUNCTION_ARN;
            }

            @Override
            public CognitoIdentity getIdentity() {
                return null;
            }

            @Override
            public ClientContext getClientContext() {
                return null;
            }

            @Override
            public int getRemainingTimeInMillis() {
                return 10_000;
            }

            @Override
            public int getMemoryLimitInMB() {
                return 512;
            }

            @Override
            public LambdaLogger getLogger() {
                return new LambdaLogger() {
                    @Override
                    public void log(String message) {
                        System.out.println(message);
                    }

                    @Override
                    public void log(byte[] message) {
                        System.out.println(new String(message, java.nio.charset.StandardCharsets.UTF_8));
                    }
                };
            }
        };
    }
}
