package io.github.hotpool.vertx;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For a test class whose tests end with buffers still out on purpose: while the class runs, the
 * pools' close reports ("closed with N SoA buffers still out") are recorded instead of logged,
 * and after its last test they must be exactly what the class declares (how many pools closed
 * with buffers out, and how many buffers in all), or the class fails. The Vertx instances the
 * tests get are closed after each test, so the check waits for the reports, up to 10 s.
 */
final class PoolReportCapture implements BeforeAllCallback, AfterAllCallback {

    private final int pools;
    private final int buffers;
    /** The close reports with buffers out, as "pool name: N". */
    final List<String> closedWithBuffersOut = new CopyOnWriteArrayList<>();
    private final List<Integer> outstanding = new CopyOnWriteArrayList<>();
    private PoolReporter before;

    /** The reporter in force while the class runs; a class that sets its own per test restores this one. */
    final PoolReporter reporter = new PoolReporter() {
        @Override
        public void leak(ContextPool pool, int slot, int generation, long heldNanos, Throwable site) {
            closedWithBuffersOut.add(pool.name() + ": unexpected leak report for buffer " + slot);
        }

        @Override
        public void closed(ContextPool pool, int n, List<Throwable> sites) {
            if (n > 0) {
                closedWithBuffersOut.add(pool.name() + ": " + n);
                outstanding.add(n);
            }
        }
    };

    private PoolReportCapture(int pools, int buffers) {
        this.pools = pools;
        this.buffers = buffers;
    }

    /** Expects {@code pools} pools to report closing with buffers out, {@code buffers} in all. */
    static PoolReportCapture expectingClosedWithBuffersOut(int pools, int buffers) {
        return new PoolReportCapture(pools, buffers);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        before = ContextPools.reporter;
        ContextPools.reporter = reporter;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (outstanding.size() < pools && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            int total = outstanding.stream().mapToInt(Integer::intValue).sum();
            if (closedWithBuffersOut.size() != pools || total != buffers) {
                throw new AssertionError(context.getDisplayName() + ": expected " + pools + " pools to close with "
                    + buffers + " SoA buffers out in all, got " + closedWithBuffersOut);
            }
        } finally {
            ContextPools.reporter = before;
        }
    }
}
