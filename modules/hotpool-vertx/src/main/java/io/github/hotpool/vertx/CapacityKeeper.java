package io.github.hotpool.vertx;

import io.github.hotpool.core.BufferPool;
import io.vertx.core.internal.ContextInternal;

import java.util.concurrent.RejectedExecutionException;

/**
 * Runs the adaptive capacity policy of one {@link ContextPool}'s core pool on its owner context:
 * a periodic step every {@code capacityCheckMillis}, and an extra step, posted as its own task,
 * as soon as a request has to wait, so that a burst is served by growth without waiting for the
 * next period. Capacity never changes inside an acquire or a release. Does nothing for a fixed
 * pool.
 *
 * <p>Thread-safety: owner-thread confined.
 */
final class CapacityKeeper {

    private final ContextInternal context;
    private final BufferPool pool;
    private final boolean adaptive;
    private final long periodMillis;
    private final Runnable starvedTask = this::onStarved;
    private WaitQueue waits;
    private long timer = -1;
    private boolean starvedPending;
    private boolean stopped;

    private final Runnable onTimerArmed;

    CapacityKeeper(ContextInternal context, BufferPool pool, HotpoolOptions options, Runnable onTimerArmed) {
        this.onTimerArmed = onTimerArmed;
        this.context = context;
        this.pool = pool;
        this.adaptive = pool.options().isAdaptive();
        this.periodMillis = options.getCapacityCheckMillis();
    }

    /** Owner: starts the periodic step (adaptive pools only); {@code waits} is served after growth. */
    void start(WaitQueue waits) {
        this.waits = waits;
        if (adaptive) {
            timer = context.setPeriodic(periodMillis, id -> step());
            onTimerArmed.run();
        }
    }

    /** Owner: one policy step now; serves waiting requests when it grew. */
    int step() {
        if (stopped) {
            return 0;
        }
        int change = pool.maintain(System.nanoTime());
        if (change > 0 && !waits.nobodyWaits()) {
            waits.serve();
        }
        return change;
    }

    /** Owner, when a request has to wait: posts one growth task unless one is pending. */
    void starved() {
        if (!adaptive || starvedPending || stopped) {
            return;
        }
        starvedPending = true;
        try {
            context.nettyEventLoop().execute(starvedTask);
        } catch (RejectedExecutionException e) {
            starvedPending = false; // shutting down: the pool closes and fails its waiters
        }
    }

    /* grows segment by segment while requests still wait and the policy still finds the pool starved */
    private void onStarved() {
        starvedPending = false;
        while (!stopped && !waits.nobodyWaits() && step() > 0) {
            // step() served the queue after each growth; a request still waiting failed an acquire, so starves again
        }
    }

    /** Owner: cancels the periodic step. Idempotent. */
    void stop() {
        stopped = true;
        if (timer >= 0) {
            context.owner().cancelTimer(timer);
            timer = -1;
        }
    }
}
