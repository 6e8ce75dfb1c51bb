package io.github.hotpool.vertx;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolException;
import io.github.hotpool.core.ReleaseListener;
import io.github.hotpool.core.SoaBuffer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;

import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The requests of one {@link ContextPool} that wait for a SoA buffer: timed waiters under {@link
 * ExhaustionPolicy#WAIT} and parked {@link ContextPool.Parking} nodes, served together in arrival
 * order as buffers come back.
 *
 * <p>Thread-safety: owner-thread confined, except the release listener (any thread) and the
 * counters, which any thread may read.
 */
final class WaitQueue {

    /*
     * A FIFO of waiters on the owner, served head first, so a later request never overtakes an
     * earlier one. The core pool tells this class about every release, on the releasing thread,
     * through onRelease; that covers releases that bypass ContextPool (SoaBuffer.close() on
     * another event loop) as well, so nothing polls. The listener must not allocate or throw: it
     * only posts one pre-allocated task to the owner's event loop, and the wakePending flag keeps a
     * burst of releases down to one queued task. Releases through ContextPool.releaseLease() on the
     * owner serve the queue at once instead (ownerReleasing tells the listener so). The volatile
     * waiting count plus a full fence on both sides closes the race where a remote release and a
     * new waiter miss each other.
     *
     * Parked nodes wait in a second, intrusive FIFO beside the waiter queue, so parking allocates
     * nothing and needs no timer. Every waiter and parked node takes a number from one arrival
     * counter; serving takes whichever head arrived first, so the two queues together are served
     * in strict arrival order.
     *
     * With adaptive capacity, a request that has to wait also asks the pool to grow (onStarved):
     * the growth runs later as its own task on the owner, never inside an acquire.
     */

    private final ContextPool owner;
    private final ContextInternal context;
    private final BufferPool pool;
    private final int maxSize;
    private final long timeoutMillis;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private ContextPool.Parking parkedHead;
    private ContextPool.Parking parkedTail;
    private int parkedCount;
    private long arrivals;
    private volatile int waiting;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final Runnable wakeTask = this::onWake;
    final ReleaseListener onRelease = this::released;
    private boolean ownerReleasing;
    private boolean closed;
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong waitNanosTotal = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Runnable onStarved;

    WaitQueue(ContextPool owner, ContextInternal context, HotpoolOptions options, Runnable onStarved) {
        this.owner = owner;
        this.context = context;
        this.pool = owner.pool();
        this.maxSize = options.getMaxWaitQueueSize();
        this.timeoutMillis = options.getWaitTimeoutMillis();
        this.onStarved = onStarved;
    }

    boolean nobodyWaits() {
        return parkedHead == null && waiters.isEmpty();
    }

    /** Owner: queues a timed request for a buffer of {@code size} (size already checked). */
    Future<SoaBuffer> enqueue(int size) {
        if (waiters.size() >= maxSize) {
            failed.incrementAndGet();
            return context.failedFuture(new PoolException("pool '" + owner.name() + "': wait queue full, "
                + waiters.size() + " requests waiting (maxWaitQueueSize " + maxSize + ")"));
        }
        Waiter w = new Waiter(size, context.promise(), System.nanoTime(), arrivals++);
        waiters.addLast(w);
        afterQueueChange();
        w.timer = context.setTimer(timeoutMillis, id -> timeout(w));
        owner.timerArmed();
        VarHandle.fullFence();
        serve(); // a release may have landed between the failed try and the enqueue
        if (!w.promise.future().isComplete()) {
            onStarved.run();
        }
        return w.promise.future();
    }

    /** Owner: parks {@code node} (checked by the caller: not parked, pool open, nothing free for it). */
    void park(ContextPool.Parking node, int size) {
        node.size = size;
        node.since = System.nanoTime();
        node.arrival = arrivals++;
        link(node);
        VarHandle.fullFence();
        serve(); // a release may have landed between the failed try and the link
        if (node.parkedOn != null) {
            onStarved.run();
        }
    }

    /** Owner: takes {@code node} out of the queue; false if it is not parked here. */
    boolean unpark(ContextPool.Parking node) {
        if (node.parkedOn != owner) {
            return false;
        }
        unlink(node);
        return true;
    }

    /** Owner: marks the start of a release by the owner itself, which serves the queue right after. */
    void ownerReleasing(boolean releasing) {
        ownerReleasing = releasing;
    }

    /** Any thread, after every release of this pool's buffers: wakes the owner if requests wait. */
    private void released(BufferPool from, boolean onOwnerThread) {
        if (onOwnerThread) {
            if (ownerReleasing || nobodyWaits()) {
                return; // ContextPool.releaseLease serves the queue itself right after
            }
        } else {
            VarHandle.fullFence(); // the slot is in the return ring before waiting is read
            if (waiting == 0) {
                return;
            }
        }
        wake();
    }

    /** Any thread: posts one serving task to the owner unless one is pending already. */
    void wake() {
        if (wakePending.compareAndSet(false, true)) {
            try {
                context.nettyEventLoop().execute(wakeTask);
            } catch (RejectedExecutionException e) {
                wakePending.set(false); // the event loop is shutting down: its pool closes and fails the waiters
            }
        }
    }

    private void onWake() {
        wakePending.set(false);
        serve();
    }

    /** Owner: serves the earliest waiter or parked node while buffers are free; safe to re-enter from a callback. */
    void serve() {
        while (!closed) {
            Waiter w = waiters.peekFirst();
            ContextPool.Parking p = parkedHead;
            boolean parkedFirst = p != null && (w == null || p.arrival < w.arrival);
            if (!parkedFirst && w == null) {
                break;
            }
            SoaBuffer b = owner.tryAcquire(parkedFirst ? p.size : w.size);
            if (b == null) {
                break;
            }
            if (parkedFirst) {
                unlink(p);
                served(p.since);
                owner.deliver(p, b);
            } else {
                waiters.pollFirst();
                afterQueueChange();
                context.owner().cancelTimer(w.timer);
                served(w.since);
                w.promise.complete(b);
            }
        }
    }

    private void served(long since) {
        waitNanosTotal.addAndGet(System.nanoTime() - since);
        served.incrementAndGet();
    }

    private void timeout(Waiter w) {
        if (waiters.remove(w)) {
            failed.incrementAndGet();
            afterQueueChange();
            w.promise.fail(new PoolException("pool '" + owner.name() + "': no SoA buffer came back within waitTimeoutMillis "
                + timeoutMillis + " (" + pool.soaInUse() + " of " + pool.soaCapacity() + " in use)"));
        }
    }

    /** Owner: fails every waiter and ends every parked node with null; serves nothing after. */
    void close() {
        closed = true;
        Waiter w;
        while ((w = waiters.pollFirst()) != null) {
            context.owner().cancelTimer(w.timer);
            failed.incrementAndGet();
            w.promise.fail(new PoolException("pool '" + owner.name() + "' closed while waiting for a SoA buffer"));
        }
        ContextPool.Parking p;
        while ((p = parkedHead) != null) {
            unlink(p);
            failed.incrementAndGet();
            owner.deliver(p, null);
        }
        afterQueueChange();
    }

    int size() {
        return waiting;
    }

    long served() {
        return served.get();
    }

    long waitNanosTotal() {
        return waitNanosTotal.get();
    }

    long failed() {
        return failed.get();
    }

    private void afterQueueChange() {
        waiting = waiters.size() + parkedCount;
    }

    private void link(ContextPool.Parking p) {
        p.parkedOn = owner;
        p.prev = parkedTail;
        p.next = null;
        if (parkedTail == null) {
            parkedHead = p;
        } else {
            parkedTail.next = p;
        }
        parkedTail = p;
        parkedCount++;
        afterQueueChange();
    }

    private void unlink(ContextPool.Parking p) {
        ContextPool.Parking prev = p.prev;
        ContextPool.Parking next = p.next;
        if (prev == null) {
            parkedHead = next;
        } else {
            prev.next = next;
        }
        if (next == null) {
            parkedTail = prev;
        } else {
            next.prev = prev;
        }
        p.prev = null;
        p.next = null;
        p.parkedOn = null;
        parkedCount--;
        afterQueueChange();
    }

    private static final class Waiter {
        final int size;
        final Promise<SoaBuffer> promise;
        final long since;
        final long arrival;
        long timer;

        Waiter(int size, Promise<SoaBuffer> promise, long since, long arrival) {
            this.size = size;
            this.promise = promise;
            this.since = since;
            this.arrival = arrival;
        }
    }
}
