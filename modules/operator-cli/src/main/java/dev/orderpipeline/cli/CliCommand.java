package dev.orderpipeline.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the target of the top command, and the output streams. */
abstract class CliCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    OrdersCli root() {
        return (OrdersCli) spec.root().userObject();
    }

    Target target() {
        return root().target();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** A non-fatal notice on stderr (progress and errors stay off stdout, which scripts read). */
    void note(String line) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("orders: " + line);
        err.flush();
    }

    CliException usage(String message) {
        return CliException.usage(message + " (see: " + spec.qualifiedName() + " --help)");
    }
}
