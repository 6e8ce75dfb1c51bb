package io.github.hotpool.vertx;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.NumaTopology;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.WrongThreadException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.ContextInternal;

import java.util.List;
import java.util.function.Function;

/**
 * The SoA buffer pool of one Vert.x event-loop context, with the context's thread as owner.
 * Obtain it with {@link ContextPools#current()} or {@link ContextPools#of(Context)}.
 *
 * <p>This class is the face of four parts, each in its own class: the core {@link BufferPool}
 * (acquire and release), the wait queue of requests and parked nodes ({@code WaitQueue}),
 * lending over the event bus ({@code Lender}), and the leak watch ({@code LeakWatch}); with
 * adaptive capacity on, a capacity keeper ({@code CapacityKeeper}) grows and shrinks the core
 * pool from its own tasks on this context.
 *
 * <p>Thread-safety: acquire methods ({@link #acquire}, {@link #tryAcquire}, {@link #acquireAsync},
 * {@link #withSoa}), {@link #park} and {@link #unpark} are owner-thread only and throw {@link
 * WrongThreadException} elsewhere ({@link #acquireAsync} and {@link #withSoa} fail their future
 * with it); {@link #release}, {@link #request}, the counters and {@link #closeFuture()} work on
 * any thread.
 */
public final class ContextPool {

    private final ContextInternal context;
    private final BufferPool pool;
    private final HotpoolOptions options;
    private final LeakWatch leaks;
    final Lender lending;
    private final WaitQueue waits;
    private final java.util.concurrent.atomic.AtomicLong timersArmed = new java.util.concurrent.atomic.AtomicLong();
    private final CapacityKeeper capacity;
    private final Promise<Integer> closed = Promise.promise();
    private final int ownerCpu;
    private final int numaNode;
    private final io.github.hotpool.core.Affinity.Outcome affinity;
    private boolean isClosed;
    /** Spreads the event loops of pools with spreadOverNumaNodes over this machine's nodes, one slot per thread. */
    static final io.github.hotpool.core.NodeSpreader SPREADER = new io.github.hotpool.core.NodeSpreader(NumaTopology.system());

    ContextPool(ContextInternal context, HotpoolOptions options, String defaultName) {
        this.context = context;
        this.options = new HotpoolOptions(options).validate();
        // pin first (opt-in), so that the slab zeroed next is first-touched on the thread's node
        this.affinity = this.options.isSpreadOverNumaNodes() ? pinOwner() : null;
        // built on the owner event-loop thread (ContextPools checks): the slab is zeroed, first touched, here
        this.pool = new BufferPool(this.options.toPoolOptions(defaultName), Thread.currentThread());
        this.ownerCpu = NumaTopology.cpuOfCurrentThread(java.nio.file.Path.of("/proc"));
        this.numaNode = NumaTopology.system().nodeOfCpu(ownerCpu);
        int slots = pool.maxSoaCapacity();
        this.leaks = new LeakWatch(pool, this.options.getLeakLevel(), this.options.getLeakThresholdMillis(), slots);
        this.lending = new Lender(this, context, slots);
        this.capacity = new CapacityKeeper(context, pool, this.options, this::timerArmed);
        this.waits = new WaitQueue(this, context, this.options, capacity::starved);
        capacity.start(waits);
        leaks.start(context, this);
        pool.attachment(this);
        pool.releaseListener(waits.onRelease);
    }

    /** The owner thread pins itself to its node's CPUs; whatever happens, the application goes on. */
    private static io.github.hotpool.core.Affinity.Outcome pinOwner() {
        io.github.hotpool.core.Affinity.Outcome o;
        try {
            o = SPREADER.pinCurrentThread();
        } catch (RuntimeException | LinkageError e) {
            o = new io.github.hotpool.core.Affinity.Outcome(false, new int[0], "pinning failed: " + e
                + "; the thread goes on unpinned");
        }
        System.getLogger("io.github.hotpool.vertx").log(o.pinned() ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
            "spreadOverNumaNodes: event loop '" + Thread.currentThread().getName() + "' " + o);
        return o;
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
     * @throws WrongThreadException off the owner thread
     */
    public SoaBuffer acquire(int size) {
        SoaBuffer b = pool.acquire(size);
        leaks.onAcquire(b, System.nanoTime());
        return b;
    }

    /**
     * Owner thread: like {@link #acquire} but null when exhausted; allocation-free.
     *
     * @throws WrongThreadException off the owner thread
     */
    public SoaBuffer tryAcquire(int size) {
        SoaBuffer b = pool.tryAcquire(size);
        if (b != null) {
            leaks.onAcquire(b, System.nanoTime());
        }
        return b;
    }

    /**
     * Owner thread: leases a buffer under the pool's {@link ExhaustionPolicy}: FAIL fails the
     * future at once when exhausted; WAIT queues the request (FIFO, bounded, timed out). Off the
     * owner thread the future fails with {@link WrongThreadException}.
     */
    public Future<SoaBuffer> acquireAsync(int size) {
        SoaBuffer b;
        try {
            checkOwner("acquire");
            b = waits.nobodyWaits() ? tryAcquire(size) : checkSize(size);
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
        return waits.enqueue(size);
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
     * @throws IllegalStateException if {@code node} is parked already
     * @throws WrongThreadException off the owner thread
     */
    public void park(Parking node, int size) {
        checkOwner("park");
        if (node.parkedOn != null) {
            throw new IllegalStateException("cannot park node " + node + " on pool '" + name()
                + "': it is parked already on pool '" + node.parkedOn.name() + "' for size " + node.size
                + " (unpark it, or wait for onBuffer, before parking it again)");
        }
        SoaBuffer b = isClosed ? checkSize(size) : waits.nobodyWaits() ? tryAcquire(size) : checkSize(size);
        if (b != null || isClosed) {
            deliver(node, b);
            return;
        }
        waits.park(node, size);
    }

    /**
     * Owner thread: takes {@code node} out of this pool's wait queue, allocation-free; its
     * onBuffer will not run for that wait.
     *
     * @return true if it was parked here, false if not (never parked, served already, or parked elsewhere)
     * @throws WrongThreadException off the owner thread
     */
    public boolean unpark(Parking node) {
        checkOwner("unpark");
        return waits.unpark(node);
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
        return lending.request(address, lent, options);
    }

    /** Gives lease {@code gen} of {@code b} back; a late duplicate can never end a later lease. */
    void releaseLease(SoaBuffer b, int gen) {
        if (!pool.isOwnerThread()) {
            pool.release(b, gen); // the wait queue's release listener wakes the owner if requests wait
            return;
        }
        waits.ownerReleasing(true);
        try {
            pool.release(b, gen);
        } finally {
            waits.ownerReleasing(false);
        }
        if (!waits.nobodyWaits()) {
            waits.serve();
        }
    }

    /** @return requests waiting for a buffer now, parked nodes included; any thread */
    public int waitQueueSize() {
        return waits.size();
    }

    /** @return waits that ended with a buffer; any thread */
    public long waitsServed() {
        return waits.served();
    }

    /** @return total time of the served waits in nanoseconds; any thread */
    public long waitNanosTotal() {
        return waits.waitNanosTotal();
    }

    /** @return waits that failed (timeout, full queue, pool closed, parked nodes ended by close); any thread */
    public long waitsFailed() {
        return waits.failed();
    }

    /**
     * @return the Vert.x timers this pool has armed since it was made: one per timed wait
     *     ({@code acquireAsync}), plus the leak watch's and the adaptive capacity check's periodic
     *     timers when they are on; parking ({@code park}) arms none. Any thread
     */
    public long timersArmed() {
        return timersArmed.get();
    }

    /** Owner thread: every timer the pool's parts arm is counted here ({@link #timersArmed()}). */
    void timerArmed() {
        timersArmed.incrementAndGet();
    }

    /**
     * Owner thread: runs one step of the adaptive capacity policy now (as the periodic check
     * does), and serves waiting requests if the pool grew. A fixed pool does nothing.
     *
     * @return 1 if a segment was added, -1 if one was retired, 0 otherwise
     * @throws WrongThreadException off the owner thread
     */
    public int maintainCapacity() {
        checkOwner("maintain capacity");
        return capacity.step();
    }

    /**
     * @return the CPU the owner thread ran on when it built (and first touched) this pool's slab,
     *     or -1 where that cannot be read (not Linux); the thread may have moved since
     */
    public int ownerCpu() {
        return ownerCpu;
    }

    /**
     * @return the NUMA node of {@link #ownerCpu()} ({@link NumaTopology#system()}), where the
     *     operating system's first-touch policy most likely placed the base slab; -1 when unknown
     */
    public int numaNode() {
        return numaNode;
    }

    /**
     * @return what {@link HotpoolOptions#setSpreadOverNumaNodes spreadOverNumaNodes} did to the
     *     owner thread before the slab was made (pinned to its node's CPUs, or not and why); null
     *     when the option is off
     */
    public io.github.hotpool.core.Affinity.Outcome affinity() {
        return affinity;
    }

    /**
     * The node that holds most placed pages of the mapping that holds the base slab, read now from
     * {@code /proc/self/numa_maps}: the memory's node as the kernel reports it, where
     * {@link #numaNode()} is only the owner's CPU's. Needs the slab's address, which only the Java
     * 22+ build of {@link io.github.hotpool.core.Slab} can read.
     *
     * @return the node, or -1 on Java 17-21, without {@code numa_maps}, or before a page is placed
     */
    public int memoryNode() {
        return NumaTopology.memoryNodeOf(java.nio.file.Path.of("/proc"), pool.soaMemory().address());
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
        return "ContextPool{" + pool + ", waiting=" + waits.size() + '}';
    }

    /** Runs a node's callback; a throwing callback must not stop the queue from being served. */
    void deliver(Parking p, SoaBuffer b) {
        try {
            p.onBuffer(b);
        } catch (Throwable t) {
            context.reportException(t);
        }
    }

    private void checkOwner(String what) {
        if (!pool.isOwnerThread()) {
            throw new WrongThreadException("cannot " + what + " on thread '" + Thread.currentThread().getName()
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
        return isClosed ? 0 : leaks.scanNow(nowNanos, this);
    }

    /** Owner thread: closes the pool, fails waiters, reports what is still out. */
    void close() {
        if (isClosed) {
            return;
        }
        isClosed = true;
        leaks.stop();
        capacity.stop();
        pool.releaseListener(null);
        pool.attachment(null);
        List<Throwable> sites = leaks.outstandingSites();
        int outstanding = pool.close();
        waits.close();
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
        ContextPool parkedOn;
        Parking prev;
        Parking next;
        int size;
        long since;
        long arrival;

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
}
