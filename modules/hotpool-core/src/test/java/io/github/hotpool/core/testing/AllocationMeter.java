package io.github.hotpool.core.testing;

import java.lang.management.ManagementFactory;

/**
 * Measures heap bytes allocated by the calling thread around a piece of work, for
 * zero-allocation tests. Shared with other modules' tests through hotpool-core's test-jar.
 *
 * <p>Use it on a warmed-up loop: {@link #allocatedBytes(int, Runnable)} runs the body a number of
 * times so the JIT compiles it (and escape analysis settles), then measures several more runs and
 * reports the smallest figure, which filters out one-off noise such as a deoptimisation or a
 * lazily initialised JDK structure. A result of 0 means no run of the steady state allocated.
 *
 * <p>Only the calling thread's allocations are counted (from
 * {@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}); work on other threads
 * must be measured on those threads. Thread-safe.
 */
public final class AllocationMeter {

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final int MEASURED_RUNS = 5;

    static {
        if (!THREADS.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot count per-thread allocated bytes");
        }
        THREADS.setThreadAllocatedMemoryEnabled(true);
        // the first call may initialise JDK internals; keep that out of every measurement
        THREADS.getCurrentThreadAllocatedBytes();
    }

    private AllocationMeter() {
    }

    /** @return bytes the calling thread has allocated so far */
    public static long threadAllocatedBytes() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /**
     * Runs {@code body} {@code warmups} times, then measures it several times.
     *
     * @param warmups runs before measuring (each run should itself loop many times)
     * @param body the work
     * @return the fewest bytes one measured run allocated on this thread
     */
    public static long allocatedBytes(int warmups, Runnable body) {
        for (int i = 0; i < warmups; i++) {
            body.run();
        }
        long least = Long.MAX_VALUE;
        for (int i = 0; i < MEASURED_RUNS; i++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            body.run();
            long after = THREADS.getCurrentThreadAllocatedBytes();
            least = Math.min(least, after - before);
        }
        return least;
    }
}
