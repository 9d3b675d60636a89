package dev.orderpipeline.bench.common;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/** CPU and memory of this JVM, which hosts the whole local runtime (and the load generator). */
public final class ProcessMetrics {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ProcessMetrics() {
    }

    /** A point in time: wall clock, process CPU, and the CPU of the threads that {@code generator} selects by name. */
    public record Sample(long wallNanos, long processCpuNanos, long generatorCpuNanos) {
        /** CPU cores in use on average since {@code earlier} (2.0 = both cores of this machine busy). */
        public double coresSince(Sample earlier) {
            long wall = wallNanos - earlier.wallNanos;
            return wall <= 0 ? 0 : (double) (processCpuNanos - earlier.processCpuNanos) / wall;
        }

        public double generatorCoresSince(Sample earlier) {
            long wall = wallNanos - earlier.wallNanos;
            return wall <= 0 ? 0 : (double) (generatorCpuNanos - earlier.generatorCpuNanos) / wall;
        }
    }

    public static Sample sample(Predicate<String> generatorThreads) {
        return new Sample(System.nanoTime(), OS.getProcessCpuTime(), threadCpu(generatorThreads));
    }

    /**
     * CPU of the live threads whose names match. Threads that ended since an earlier sample drop out, so keep the
     * selected threads alive across the samples you compare.
     */
    static long threadCpu(Predicate<String> names) {
        if (!THREADS.isThreadCpuTimeSupported()) {
            return 0;
        }
        long total = 0;
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] != null && names.test(infos[i].getThreadName())) {
                long cpu = THREADS.getThreadCpuTime(ids[i]);
                if (cpu > 0) {
                    total += cpu;
                }
            }
        }
        return total;
    }

    /** Heap in use right after a full GC (what the process really retains), in MiB. */
    public static double heapAfterGcMib() {
        System.gc();
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getUsed() / (1024.0 * 1024.0);
    }

    /** Resident set size from {@code /proc/self/status} (VmRSS), in MiB; NaN where there is no /proc. */
    public static double rssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring("VmRSS:".length()).trim().split("\\s+")[0];
                    return Long.parseLong(kb) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return Double.NaN;
    }

    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }
}
