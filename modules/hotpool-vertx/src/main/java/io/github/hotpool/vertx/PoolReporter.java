package io.github.hotpool.vertx;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * Where a {@link ContextPool} reports leaks and what was still out when it closed. The default
 * writes to the {@code io.github.hotpool.vertx} {@link System.Logger}; tests substitute their own.
 * Implementations must be thread-safe (pools on every event loop share one).
 */
interface PoolReporter {

    void leak(ContextPool pool, int slot, int generation, long heldNanos, Throwable site);

    void closed(ContextPool pool, int outstanding, List<Throwable> sites);

    PoolReporter LOGGING = new PoolReporter() {
        private final Logger log = System.getLogger("io.github.hotpool.vertx");

        @Override
        public void leak(ContextPool pool, int slot, int generation, long heldNanos, Throwable site) {
            log.log(Level.WARNING, "SoA buffer " + slot + " (generation " + generation + ") of pool '" + pool.name()
                + "' held for " + heldNanos / 1_000_000 + " ms, over leakThresholdMillis "
                + pool.options().getLeakThresholdMillis()
                + (site == null ? " (leakLevel PARANOID records where it was acquired)" : ""), site);
        }

        @Override
        public void closed(ContextPool pool, int outstanding, List<Throwable> sites) {
            if (outstanding == 0) {
                return;
            }
            log.log(Level.WARNING, "pool '" + pool.name() + "' closed with " + outstanding
                + " SoA buffers still out; releasing them later is harmless");
            for (Throwable site : sites) {
                log.log(Level.DEBUG, "still out when pool '" + pool.name() + "' closed", site);
            }
        }
    };
}
