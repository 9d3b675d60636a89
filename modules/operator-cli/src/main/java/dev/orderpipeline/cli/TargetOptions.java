package dev.orderpipeline.cli;

import java.net.URI;
import java.nio.file.Path;

/** The global options that choose the pipeline to talk to; null = not given. */
record TargetOptions(String stack, String region, Path localFile, URI apiUrl, URI endpoint, String queueUrl,
                     String dlqUrl, String subscriberQueueUrl) {
}
