package dev.orderpipeline.cli;

import picocli.CommandLine.Command;

@Command(name = "events", mixinStandardHelpOptions = true,
        description = "OrderConfirmed events on the order events bus: follow them, or replay them from the archive.",
        subcommands = {EventsTailCommand.class, EventsReplayCommand.class})
final class EventsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
