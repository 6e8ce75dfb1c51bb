package io.github.hotpool.vertx;

import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.StaleHolderView;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** Leak reports: scans are driven with explicit times, so no test waits for a threshold. */
@ExtendWith(VertxExtension.class)
class LeakWatchTest {

    /** Tests here end with buffers out on purpose: their pools' close reports are checked, not logged. */
    @org.junit.jupiter.api.extension.RegisterExtension
    static final PoolReportCapture REPORTS = PoolReportCapture.expectingClosedWithBuffersOut(6, 6);

    private static final long THRESHOLD_MS = 60_000; // the periodic scan never fires during a test
    private static final long THRESHOLD_NS = THRESHOLD_MS * 1_000_000;
    private final OnContext.Recording reports = new OnContext.Recording();

    @BeforeEach
    void record() {
        ContextPools.reporter = reports;
    }

    @AfterEach
    void restore() {
        ContextPools.reporter = REPORTS.reporter; // the pool closes after this, with the test's Vertx
    }

    private static ContextPool pool(Context ctx, LeakLevel level, long thresholdMs) throws Exception {
        return OnContext.call(ctx, () -> ContextPools.install(ctx, new HotpoolOptions().setLeakLevel(level)
            .setLeakThresholdMillis(thresholdMs)));
    }

    @Test
    void heldPastThreshold_isReportedOnceWithoutSite(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = pool(ctx, LeakLevel.SIMPLE, THRESHOLD_MS);
        int[] found = OnContext.call(ctx, () -> {
            long t0 = System.nanoTime();
            p.acquire(1);
            return new int[] {p.scanLeaks(t0 + THRESHOLD_NS - 1_000_000), p.scanLeaks(t0 + THRESHOLD_NS + 1_000_000),
                p.scanLeaks(t0 + 3 * THRESHOLD_NS)};
        });
        assertThat(found).containsExactly(0, 1, 0);
        assertThat(p.leaksReported()).isEqualTo(1);
        assertThat(reports.leaks).hasSize(1);
        assertThat(reports.leakSites).isEmpty();
    }

    @Test
    void inFlightWithinThresholdThenReleasedElsewhere_isNeverReported(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = pool(ctx, LeakLevel.SIMPLE, THRESHOLD_MS);
        SoaBuffer b = OnContext.call(ctx, () -> p.acquire(1));
        int early = OnContext.call(ctx, () -> p.scanLeaks(System.nanoTime() + THRESHOLD_NS / 2));
        ContextPools.release(b); // a slow but healthy stage on another thread finishes
        int late = OnContext.call(ctx, () -> p.scanLeaks(System.nanoTime() + 10 * THRESHOLD_NS));
        assertThat(early).isZero();
        assertThat(late).isZero();
        assertThat(p.leaksReported()).isZero();
    }

    @Test
    void handleThatLooksReleasedToTheOwner_whileItsLeaseIsOut_isStillReported(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = pool(ctx, LeakLevel.SIMPLE, THRESHOLD_MS);
        int found = OnContext.call(ctx, () -> {
            SoaBuffer b = p.acquire(1);
            StaleHolderView.looksReleased(b, true); // the handle's plain flag is not the lease
            return p.scanLeaks(System.nanoTime() + 2 * THRESHOLD_NS);
        });
        assertThat(found).isEqualTo(1);
        assertThat(reports.leaks).hasSize(1);
    }

    @Test
    void handleThatLooksLeasedToTheOwner_afterARemoteRelease_isNotReported(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = pool(ctx, LeakLevel.SIMPLE, THRESHOLD_MS);
        SoaBuffer b = OnContext.call(ctx, () -> p.acquire(1));
        b.close(); // released on this thread; the owner has not drained the return ring yet
        StaleHolderView.looksReleased(b, false); // what an owner without happens-before could still read
        int found = OnContext.call(ctx, () -> p.scanLeaks(System.nanoTime() + 2 * THRESHOLD_NS));
        StaleHolderView.looksReleased(b, true);
        assertThat(found).isZero();
        assertThat(p.leaksReported()).isZero();
    }

    @Test
    void slotReusedByALaterLease_isReportedAgainForThatLease(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = pool(ctx, LeakLevel.SIMPLE, THRESHOLD_MS);
        int total = OnContext.call(ctx, () -> {
            SoaBuffer b = p.acquire(1);
            int n = p.scanLeaks(System.nanoTime() + 2 * THRESHOLD_NS);
            p.release(b);
            p.acquire(1);
            return n + p.scanLeaks(System.nanoTime() + 2 * THRESHOLD_NS);
        });
        assertThat(total).isEqualTo(2);
        assertThat(reports.leaks).doesNotHaveDuplicates();
    }

    @Test
    void paranoid_reportsTheAcquisitionSite(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = pool(ctx, LeakLevel.PARANOID, THRESHOLD_MS);
        OnContext.call(ctx, () -> {
            p.acquire(1);
            return p.scanLeaks(System.nanoTime() + 2 * THRESHOLD_NS);
        });
        assertThat(reports.leakSites).hasSize(1);
        assertThat(reports.leakSites.get(0).getStackTrace())
            .anyMatch(e -> e.getClassName().equals(LeakWatchTest.class.getName()));
    }

    @Test
    void off_tracksNothing(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = pool(ctx, LeakLevel.OFF, THRESHOLD_MS);
        int n = OnContext.call(ctx, () -> {
            p.acquire(1);
            return p.scanLeaks(System.nanoTime() + 100 * THRESHOLD_NS);
        });
        assertThat(n).isZero();
    }

    @Test
    void periodicScan_reportsARealLeak(Vertx vertx, VertxTestContext tc) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = pool(ctx, LeakLevel.SIMPLE, 20);
        OnContext.call(ctx, () -> p.acquire(1));
        java.util.concurrent.atomic.AtomicBoolean seen = new java.util.concurrent.atomic.AtomicBoolean();
        vertx.setPeriodic(5, id -> {
            if (p.leaksReported() == 1 && seen.compareAndSet(false, true)) {
                tc.completeNow();
                HandleHandoverTest.cancelQuietly(vertx, id);
            }
        });
    }
}
