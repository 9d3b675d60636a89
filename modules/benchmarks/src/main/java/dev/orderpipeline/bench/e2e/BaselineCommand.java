package dev.orderpipeline.bench.e2e;

import dev.orderpipeline.bench.common.CommonOptions;
import dev.orderpipeline.local.LocalPipeline;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bench baseline}: only the SDK-only floor (also printed first by {@code bench e2e}). */
@Command(name = "baseline", mixinStandardHelpOptions = true,
        description = "Orders/s of the pipeline's AWS calls issued straight through the SDK against the embedded "
                + "emulators, with no pipeline code: the floor the e2e figures are compared with.")
public final class BaselineCommand implements Callable<Integer> {
    @Mixin
    PipelineOptions pipeline;
    @Mixin
    LoadOptions load;
    @Mixin
    BaselineOptions baseline;
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        try (LocalPipeline running = pipeline.start()) {
            baseline.run(running, pipeline, load, common.resultsLog(), System.out);
        }
        System.out.println("appended to " + common.resultsLog().file());
        return 0;
    }
}
