package io.github.hotpool.vertx;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolException;
import io.github.hotpool.core.ReleaseListener;
import io.github.hotpool.core.SoaBuffer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.ContextInternal;

import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The SoA buffer pool of one Vert.x event-loop context, with the context's thread as owner.
 * Obtain it with {@link ContextPools#current()} or {@link ContextPools#of(Context)}.
 *
 * <p>Thread-safety: acquire methods ({@link #acquire}, {@link #tryAcquire}, {@link #acquireAsync},
 * {@link #withSoa}) are owner-thread only and throw {@code WrongThreadException} elsewhere;
 * {@link #park} and {@link #unpark} are owner-thread only too;
 * {@link #release}, {@link #request}, the counters and {@link #closeFuture()} work on any thread.
 */
public final class ContextPool {

    /*
     * Waiting (ExhaustionPolicy.WAIT): a FIFO of waiters on the owner, served head first, so a
     * later request never overtakes an earlier one. The core pool tells this class about every
     * release, on the releasing thread, through wakeOnRelease; that covers releases that bypass
     * this class (SoaBuffer.close() on another event loop) as well, so nothing polls. The listener
     * must not allocate or throw: it only posts one pre-allocated task to the owner's event loop,
     * and the wakePending flag keeps a burst of releases down to one queued task. Releases through
     * releaseLease() on the owner serve the queue at once instead (ownerReleasing tells the
     * listener so). The volatile waiting count plus a full fence on both sides closes the race
     * where a remote release and a new waiter miss each other.
     *
     * Parked nodes (park) wait in a second, intrusive FIFO beside the waiter queue, so parking
     * allocates nothing and needs no timer. Every waiter and parked node takes a number from
     * one arrival counter; serving takes whichever head arrived first, so the two queues
     * together are served in strict arrival order.
     */

    private final ContextInternal context;
    private final BufferPool pool;
    private final HotpoolOptions options;
    private final LeakWatch leaks;
    final LendingTable lending;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private Parking parkedHead;
    private Parking parkedTail;
    private int parkedCount;
    private long arrivals;
    private volatile int waiting;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final Runnable wakeTask = this::onWake;
    private final ReleaseListener wakeOnRelease = this::released;
    private boolean ownerReleasing;
    private final AtomicLong waitsServed = new AtomicLong();
    private final AtomicLong waitNanosTotal = new AtomicLong();
    private final AtomicLong waitsFailed = new AtomicLong();
    private final Promise<Integer> closed = Promise.promise();
    private long leakTimer = -1;
    private boolean isClosed;

    ContextPool(ContextInternal context, HotpoolOptions options, String defaultName) {
        this.context = context;
        this.options = new HotpoolOptions(options).validate();
        this.pool = new BufferPool(this.options.toPoolOptions(defaultName), Thread.currentThread());
        int slots = this.options.getSoaBuffers();
        this.leaks = new LeakWatch(pool, this.options.getLeakLevel(), this.options.getLeakThresholdMillis(), slots);
        this.lending = new LendingTable(slots);
        if (leaks.enabled()) {
            long period = Math.max(1, this.options.getLeakThresholdMillis() / 2);
            leakTimer = context.setPeriodic(period, id -> scanLeaks(System.nanoTime()));
        }
        pool.attachment(this);
        pool.releaseListener(wakeOnRelease);
    }

    /** @return the core pool (owner = this context's event-loop thread) */
    public BufferPool pool() {
        return pool;
    }

    /** @return the (unwrapped, never duplicated) context that owns this pool */
    public Context context() {
        return context;
    }

    /** @return the pool name, also the {@code pool} tag of its meters */
    public String name() {
        return pool.name();
    }

    /** @return a copy of the options this pool was built with */
    public HotpoolOptions options() {
        return new HotpoolOptions(options);
    }

    /**
     * Owner thread: leases a zeroed buffer for {@code size} triples; never waits, whatever the policy.
     *
     * @throws io.github.hotpool.core.PoolExhaustedException when every buffer is in use
     */
    public SoaBuffer acquire(int size) {
        SoaBuffer b = pool.acquire(size);
        leaks.onAcquire(b, System.nanoTime());
        return b;
    }

    /** Owner thread: like {@link #acquire} but null when exhausted; allocation-free. */
    public SoaBuffer tryAcquire(int size) {
        SoaBuffer b = pool.tryAcquire(size);
        if (b != null) {
            leaks.onAcquire(b, System.nanoTime());
        }
        return b;
    }

    /**
     * Owner thread: leases a buffer under the pool's {@link ExhaustionPolicy}: FAIL fails the
     * future at once when exhausted; WAIT queues the request (FIFO, bounded, timed out).
     */
    public Future<SoaBuffer> acquireAsync(int size) {
        SoaBuffer b;
        try {
            b = nobodyWaits() ? tryAcquire(size) : checkSize(size);
        } catch (RuntimeException e) {
            return context.failedFuture(e);
        }
        if (b != null) {
            return context.succeededFuture(b);
        }
        if (options.getExhaustionPolicy() == ExhaustionPolicy.FAIL) {
            try {
                return context.succeededFuture(acquire(size));
            } catch (RuntimeException e) {
                return context.failedFuture(e);
            }
        }
        return enqueue(size);
    }

    /**
     * Owner thread: runs {@code work} on a leased buffer and releases the buffer when the future
     * it returns completes or fails, or when {@code work} throws. Waits under {@link ExhaustionPolicy#WAIT}.
     *
     * @return the future of {@code work}, completed after the buffer went back
     */
    public <T> Future<T> withSoa(int size, Function<SoaBuffer, Future<T>> work) {
        return acquireAsync(size).compose(b -> {
            int gen = b.generation();
            Future<T> f;
            try {
                f = work.apply(b);
            } catch (Throwable t) {
                releaseLease(b, gen);
                return context.failedFuture(t);
            }
            if (f == null) {
                releaseLease(b, gen);
                return context.failedFuture(new IllegalStateException("withSoa work returned a null future"));
            }
            return f.andThen(ar -> releaseLease(b, gen));
        });
    }

    /**
     * Owner thread: waits for a buffer for {@code size} triples without allocating anything and
     * without a timer: {@code node} joins the wait queue and its {@link Parking#onBuffer} runs on
     * this thread with a leased buffer when one is free for it, or with null if the pool closes
     * first. If a buffer is free and nobody waits, the node is served at once, so onBuffer may run
     * before park returns (as a handler on a completed {@link #acquireAsync} future would); on a
     * closed pool onBuffer(null) runs at once. Waiting requests and parked nodes are served
     * together in strict arrival order. A parked node waits as long as it must, whatever the
     * {@link ExhaustionPolicy}, and does not count against {@code maxWaitQueueSize} (the caller
     * bounds how many nodes it makes); {@link #waitQueueSize} and the wait counters include it.
     *
     * @param node a node not parked at the moment; it may be reused for the next wait once served
     * @throws io.github.hotpool.core.InvalidSizeException if size is outside [1, 8]
     * @throws IllegalStateException if {@code node} is parked already, or off the owner thread
     */
    public void park(Parking node, int size) {
        checkOwner("park");
        if (node.parkedOn != null) {
            throw new IllegalStateException("cannot park node " + node + " on pool '" + name()
                + "': it is parked already on pool '" + node.parkedOn.name() + "' for size " + node.size
                + " (unpark it, or wait for onBuffer, before parking it again)");
        }
        SoaBuffer b = isClosed ? checkSize(size) : nobodyWaits() ? tryAcquire(size) : checkSize(size);
        if (b != null || isClosed) {
            deliver(node, b);
            return;
        }
        node.size = size;
        node.since = System.nanoTime();
        node.arrival = arrivals++;
        link(node);
        VarHandle.fullFence();
        serveWaiters(); // a release may have landed between the failed try and the link
    }

    /**
     * Owner thread: takes {@code node} out of this pool's wait queue, allocation-free; its
     * onBuffer will not run for that wait.
     *
     * @return true if it was parked here, false if not (never parked, served already, or parked elsewhere)
     */
    public boolean unpark(Parking node) {
        checkOwner("unpark");
        if (node.parkedOn != this) {
            return false;
        }
        unlink(node);
        return true;
    }

    /**
     * Any thread: gives {@code b} back to this pool (home), allocation-free; on another thread it
     * goes through the core pool's MPSC ring and wakes waiters on the owner.
     */
    public void release(SoaBuffer b) {
        releaseLease(b, b.generation());
    }

    /**
     * Any thread: lends {@code lent} to the consumer at {@code address} by event-bus request and
     * gives it back to this pool when the reply arrives or the request fails (NO_HANDLERS,
     * RECIPIENT_FAILURE, ERROR). On TIMEOUT the buffer is released only once no consumer reads it:
     * a consumer built with {@link LentHandles#handler} releases it itself when its work ends.
     *
     * @param options delivery options (timeout, headers) or null for defaults
     * @return the reply; the buffer is back (or handed to the consumer) before it completes
     */
    public <R> Future<Message<R>> request(String address, SoaBuffer lent, DeliveryOptions options) {
        int slot = lent.slot();
        int gen = lent.generation();
        lending.lend(slot, gen);
        Future<Message<R>> reply;
        try {
            reply = options == null
                ? context.owner().eventBus().request(address, lent)
                : context.owner().eventBus().request(address, lent, options);
        } catch (RuntimeException e) {
            lending.clear(slot, gen);
            releaseLease(lent, gen);
            return context.failedFuture(e);
        }
        return reply.andThen(ar -> settleLent(lent, slot, gen, ar.cause()));
    }

    private void settleLent(SoaBuffer lent, int slot, int gen, Throwable failure) {
        boolean timedOut = failure instanceof ReplyException
            && ((ReplyException) failure).failureType() == ReplyFailure.TIMEOUT;
        if (timedOut && lending.move(slot, gen, LendingTable.ABANDONED)) {
            return; // the consumer is still reading: it releases when it is done
        }
        lending.clear(slot, gen);
        releaseLease(lent, gen);
    }

    /** Gives lease {@code gen} of {@code b} back; a late duplicate can never end a later lease. */
    void releaseLease(SoaBuffer b, int gen) {
        if (!pool.isOwnerThread()) {
            pool.release(b, gen); // wakeOnRelease wakes the owner if requests wait
            return;
        }
        ownerReleasing = true;
        try {
            pool.release(b, gen);
        } finally {
            ownerReleasing = false;
        }
        if (!nobodyWaits()) {
            serveWaiters();
        }
    }

    /** Any thread, after every release of this pool's buffers: wakes the owner if requests wait. */
    private void released(BufferPool from, boolean onOwnerThread) {
        if (onOwnerThread) {
            if (ownerReleasing || nobodyWaits()) {
                return; // releaseLease serves the queue itself right after
            }
        } else {
            VarHandle.fullFence(); // the slot is in the return ring before waiting is read
            if (waiting == 0) {
                return;
            }
        }
        if (wakePending.compareAndSet(false, true)) {
            try {
                context.nettyEventLoop().execute(wakeTask);
            } catch (RejectedExecutionException e) {
                wakePending.set(false); // the event loop is shutting down: its pool closes and fails the waiters
            }
        }
    }

    /** @return requests waiting for a buffer now, parked nodes included; any thread */
    public int waitQueueSize() {
        return waiting;
    }

    /** @return waits that ended with a buffer; any thread */
    public long waitsServed() {
        return waitsServed.get();
    }

    /** @return total time of the served waits in nanoseconds; any thread */
    public long waitNanosTotal() {
        return waitNanosTotal.get();
    }

    /** @return waits that failed (timeout, full queue, pool closed, parked nodes ended by close); any thread */
    public long waitsFailed() {
        return waitsFailed.get();
    }

    /** @return leaks reported so far (each leased buffer at most once); any thread */
    public long leaksReported() {
        return leaks.reported();
    }

    /** @return completes with the number of buffers still out when the pool closed; any thread */
    public Future<Integer> closeFuture() {
        return closed.future();
    }

    @Override
    public String toString() {
        return "ContextPool{" + pool + ", waiting=" + waiting + '}';
    }

    // ---------------------------------------------------------------- waiting (owner thread)

    private Future<SoaBuffer> enqueue(int size) {
        if (waiters.size() >= options.getMaxWaitQueueSize()) {
            waitsFailed.incrementAndGet();
            return context.failedFuture(new PoolException("pool '" + name() + "': wait queue full, "
                + waiters.size() + " requests waiting (maxWaitQueueSize " + options.getMaxWaitQueueSize() + ")"));
        }
        Waiter w = new Waiter(size, context.promise(), System.nanoTime(), arrivals++);
        waiters.addLast(w);
        afterQueueChange();
        w.timer = context.setTimer(options.getWaitTimeoutMillis(), id -> timeout(w));
        VarHandle.fullFence();
        serveWaiters(); // a release may have landed between the failed try and the enqueue
        return w.promise.future();
    }

    private void onWake() {
        wakePending.set(false);
        serveWaiters();
    }

    /** Serves the earliest waiter or parked node while buffers are free; safe to re-enter from a callback. */
    private void serveWaiters() {
        while (!isClosed) {
            Waiter w = waiters.peekFirst();
            Parking p = parkedHead;
            boolean parkedFirst = p != null && (w == null || p.arrival < w.arrival);
            if (!parkedFirst && w == null) {
                break;
            }
            SoaBuffer b = tryAcquire(parkedFirst ? p.size : w.size);
            if (b == null) {
                break;
            }
            if (parkedFirst) {
                unlink(p);
                served(p.since);
                deliver(p, b);
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
        waitsServed.incrementAndGet();
    }

    private boolean nobodyWaits() {
        return parkedHead == null && waiters.isEmpty();
    }

    private void timeout(Waiter w) {
        if (waiters.remove(w)) {
            waitsFailed.incrementAndGet();
            afterQueueChange();
            w.promise.fail(new PoolException("pool '" + name() + "': no SoA buffer came back within waitTimeoutMillis "
                + options.getWaitTimeoutMillis() + " (" + pool.soaInUse() + " of " + options.getSoaBuffers() + " in use)"));
        }
    }

    private void afterQueueChange() {
        waiting = waiters.size() + parkedCount;
    }

    private void link(Parking p) {
        p.parkedOn = this;
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

    private void unlink(Parking p) {
        Parking prev = p.prev;
        Parking next = p.next;
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

    /** Runs a node's callback; a throwing callback must not stop the queue from being served. */
    private void deliver(Parking p, SoaBuffer b) {
        try {
            p.onBuffer(b);
        } catch (Throwable t) {
            context.reportException(t);
        }
    }

    private void checkOwner(String what) {
        if (!pool.isOwnerThread()) {
            throw new IllegalStateException("cannot " + what + " on thread '" + Thread.currentThread().getName()
                + "': pool '" + name() + "' is owned by thread '" + pool.ownerThread().getName() + "'");
        }
    }

    private SoaBuffer checkSize(int size) {
        if (size < 1 || size > io.github.hotpool.core.SoaLayout.MAX_RUN_LEN) {
            pool.tryAcquire(size); // throws the core pool's InvalidSizeException naming the size
        }
        return null;
    }

    // ---------------------------------------------------------------- leak watch and close (owner)

    /** Owner thread: one leak scan at {@code nowNanos}; returns the leaks reported by it. */
    int scanLeaks(long nowNanos) {
        return isClosed ? 0 : leaks.scan(nowNanos, this, ContextPools.reporter);
    }

    /** Owner thread: closes the pool, fails waiters, reports what is still out. */
    void close() {
        if (isClosed) {
            return;
        }
        isClosed = true;
        if (leakTimer >= 0) {
            context.owner().cancelTimer(leakTimer);
        }
        pool.releaseListener(null);
        pool.attachment(null);
        java.util.List<Throwable> sites = leaks.outstandingSites();
        int outstanding = pool.close();
        Waiter w;
        while ((w = waiters.pollFirst()) != null) {
            context.owner().cancelTimer(w.timer);
            waitsFailed.incrementAndGet();
            w.promise.fail(new PoolException("pool '" + name() + "' closed while waiting for a SoA buffer"));
        }
        Parking p;
        while ((p = parkedHead) != null) {
            unlink(p);
            waitsFailed.incrementAndGet();
            deliver(p, null);
        }
        afterQueueChange();
        ContextPools.reporter.closed(this, outstanding, sites);
        closed.complete(outstanding);
    }

    /**
     * A reusable wait for a buffer, for {@link ContextPool#park}: an intrusive queue node that a
     * caller makes once (say per stream) and parks again after each wait ends, so waiting
     * allocates nothing. One wait at a time. Not thread-safe: used on the owner thread of the
     * pool it parks on.
     */
    public abstract static class Parking {
        private ContextPool parkedOn;
        private Parking prev;
        private Parking next;
        private int size;
        private long since;
        private long arrival;

        /**
         * Ends a wait, on the pool's owner thread: {@code b} is a buffer leased to the receiver
         * (which releases it like any other), or null when the pool closed while the node was
         * parked. Should not throw: an exception goes to the context's exception handler, the
         * buffer stays leased, and the queue is served on.
         */
        protected abstract void onBuffer(SoaBuffer b);

        /** @return true while parked on a pool (owner thread) */
        public final boolean isParked() {
            return parkedOn != null;
        }
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
