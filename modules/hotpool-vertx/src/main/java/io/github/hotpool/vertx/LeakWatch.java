package io.github.hotpool.vertx;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.SoaBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Age tracking of leased SoA buffers for one pool: finds buffers held longer than the threshold,
 * on a periodic timer of the pool's context that {@link #start} sets and {@link #stop} cancels.
 * Owner-thread confined, except {@link #reported()} which any thread may read.
 */
final class LeakWatch {

    /*
     * Per slot: the handle (the pool pre-allocates one per slot, so the same object comes back on
     * every lease), the acquire time and generation, and the generation already reported so a leak
     * is reported once. Whether that lease is still out comes from BufferPool.isLeased, an
     * acquire-ordered read of the slot's state word: the handle's own isReleased()/generation()
     * are plain fields written by whichever thread released, so the owner could see them stale.
     * Releases on other threads stay untouched: no release-side work is needed here.
     */
    private final BufferPool pool;
    private final LeakLevel level;
    private final long thresholdNanos;
    private final SoaBuffer[] handles;
    private final long[] acquiredAt;
    private final int[] generation;
    private final int[] reportedGeneration;
    private final Throwable[] sites;
    private final AtomicLong reported = new AtomicLong();
    private io.vertx.core.internal.ContextInternal timerContext;
    private long timer = -1;
    private boolean stopped;

    LeakWatch(BufferPool pool, LeakLevel level, long thresholdMillis, int slots) {
        this.pool = pool;
        this.level = level;
        this.thresholdNanos = thresholdMillis * 1_000_000L;
        boolean on = level != LeakLevel.OFF;
        this.handles = new SoaBuffer[on ? slots : 0];
        this.acquiredAt = new long[on ? slots : 0];
        this.generation = new int[on ? slots : 0];
        this.reportedGeneration = new int[on ? slots : 0];
        this.sites = new Throwable[level == LeakLevel.PARANOID ? slots : 0];
        java.util.Arrays.fill(reportedGeneration, -1);
    }

    boolean enabled() {
        return level != LeakLevel.OFF;
    }

    long thresholdNanos() {
        return thresholdNanos;
    }

    /** Owner thread: scans every half threshold on {@code context}'s timer, when enabled. */
    void start(io.vertx.core.internal.ContextInternal context, ContextPool home) {
        if (!enabled()) {
            return;
        }
        long period = Math.max(1, thresholdNanos / 2_000_000L);
        timerContext = context;
        timer = context.setPeriodic(period, id -> scanNow(System.nanoTime(), home));
        home.timerArmed();
    }

    /** Owner thread: one scan now unless stopped; returns the leaks it reported. */
    int scanNow(long nowNanos, ContextPool home) {
        return stopped ? 0 : scan(nowNanos, home, ContextPools.reporter);
    }

    /** Owner thread: cancels the timer; later scans report nothing. Idempotent. */
    void stop() {
        stopped = true;
        if (timer >= 0) {
            timerContext.owner().cancelTimer(timer);
            timer = -1;
        }
    }

    /** Owner thread, on every acquire: allocation-free unless PARANOID. */
    void onAcquire(SoaBuffer b, long nowNanos) {
        if (level == LeakLevel.OFF) {
            return;
        }
        int slot = b.slot();
        handles[slot] = b;
        acquiredAt[slot] = nowNanos;
        generation[slot] = b.generation();
        if (level == LeakLevel.PARANOID) {
            sites[slot] = new Throwable("SoA buffer " + slot + " generation " + b.generation() + " acquired here");
        }
    }

    /**
     * Owner thread: reports every buffer held at least the threshold at {@code nowNanos} and not
     * reported before.
     */
    int scan(long nowNanos, ContextPool pool, PoolReporter reporter) {
        int found = 0;
        for (int slot = 0; slot < acquiredAt.length; slot++) {
            if (!stillOut(slot)) {
                continue;
            }
            long held = nowNanos - acquiredAt[slot];
            if (held >= thresholdNanos && reportedGeneration[slot] != generation[slot]) {
                reportedGeneration[slot] = generation[slot];
                reported.incrementAndGet();
                found++;
                reporter.leak(pool, slot, generation[slot], held, level == LeakLevel.PARANOID ? sites[slot] : null);
            }
        }
        return found;
    }

    /** Owner thread: acquisition sites of the buffers still out (PARANOID), for the close report. */
    List<Throwable> outstandingSites() {
        List<Throwable> out = new ArrayList<>();
        for (int slot = 0; slot < sites.length; slot++) {
            if (stillOut(slot) && sites[slot] != null) {
                out.add(sites[slot]);
            }
        }
        return out;
    }

    long reported() {
        return reported.get();
    }

    private boolean stillOut(int slot) {
        SoaBuffer h = handles[slot];
        if (h == null || acquiredAt[slot] == 0) {
            return false;
        }
        if (!pool.isLeased(h, generation[slot])) {
            acquiredAt[slot] = 0;
            if (sites.length > 0) {
                sites[slot] = null;
            }
            return false;
        }
        return true;
    }
}
