package dev.orderpipeline.cli;

import picocli.CommandLine.Command;

@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = {"The orders dead-letter queue: messages the confirmation stage failed on three receives in a row "
                + "(unreadable messages, or an outage of DynamoDB or EventBridge). Inspect them, then replay them.",
                "Runbook: docs/operations.md."},
        subcommands = {DlqStatsCommand.class, DlqPeekCommand.class, DlqReplayCommand.class})
final class DlqCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
