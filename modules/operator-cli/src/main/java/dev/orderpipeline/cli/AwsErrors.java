package dev.orderpipeline.cli;

import java.net.ConnectException;
import java.net.UnknownHostException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns SDK exceptions into the one line an operator can act on. */
final class AwsErrors {
    private AwsErrors() {
    }

    static String describe(SdkException e) {
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            var d = s.awsErrorDetails();
            return d.serviceName() + " refused the request: " + d.errorCode() + ": " + d.errorMessage()
                    + " (HTTP " + s.statusCode() + ", request id " + s.requestId() + ")";
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return "the AWS call timed out (" + e.getMessage() + "); check the endpoint and your network, then retry";
        }
        if (e instanceof SdkClientException) {
            if (hasCause(e, ConnectException.class)) {
                return "cannot connect to the AWS endpoint (" + rootMessage(e) + "); is the local runtime still running, "
                        + "or is --endpoint right?";
            }
            if (hasCause(e, UnknownHostException.class)) {
                return "unknown host (" + rootMessage(e) + "); check --endpoint and --region";
            }
            String message = String.valueOf(e.getMessage());
            if (message.contains("Unable to load credentials")) {
                return "no AWS credentials found: configure them (aws configure, AWS_PROFILE, aws sso login) before "
                        + "targeting a stack";
            }
            return "the AWS SDK failed: " + firstSentence(message);
        }
        return "AWS call failed: " + firstSentence(String.valueOf(e.getMessage()));
    }

    static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String firstSentence(String message) {
        // the SDK's credential errors list every provider it tried on many lines; the first says it all
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }
}
