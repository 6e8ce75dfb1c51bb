package io.github.hotpool.vertx;

import io.github.hotpool.core.AssertionRing;
import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.Ring;
import io.github.hotpool.core.RingOptions;
import io.github.hotpool.core.RingStage;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.ContextInternal;

import java.lang.invoke.VarHandle;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.LongPredicate;

/**
 * A core ring ({@link DeltaRing} or {@link AssertionRing}) owned by one Vert.x event-loop context,
 * whose rows travel its chain of stages as {@link Span}s over the local event bus. Thread-safety:
 * creation, {@link #batcher} and the batcher are on the owner context's thread; {@link #consumer}
 * on the stage's context; the getters and counters on any thread.
 *
 * <p>The producer is the owner context (a {@link SpanBatcher}); the ring's stages must form a
 * chain ({@code RingOptions.chain(...)}), stage {@code k} receiving at {@link #address(int)}.
 * When the ring is full, the batcher arms the ring's wake-up; the terminal stage that frees room
 * posts one pre-allocated task to the owner's event loop (a pending flag keeps a burst of wake-ups
 * to one queued task), which runs the batcher's {@code onRoom} there: nothing is allocated per
 * wake-up, and wake-ups may be spurious.
 *
 * @param <R> the ring type
 */
public final class SpanRing<R extends Ring> {

    private static final Set<Vertx> CODEC_INSTALLED = Collections.newSetFromMap(new WeakHashMap<>());

    // internal API, justified: the ring wakes its stages with nettyEventLoop().execute(task), a
    // pre-allocated Runnable on the owner's loop; Context.runOnContext would allocate per wake-up
    private final ContextInternal context;
    private final R ring;
    private final EventBus eventBus;
    private final String[] addresses;
    /** Numbers span rings in this JVM, for their addresses. */
    private static final java.util.concurrent.atomic.AtomicLong INSTANCES = new java.util.concurrent.atomic.AtomicLong();
    private final Span[] spans;
    private final int mask;
    private final int lastStage;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final Runnable wakeTask = this::onWake;
    private final AtomicLong staleMessages = new AtomicLong();
    private final AtomicLong wakeUps = new AtomicLong();
    private SpanBatcher batcher;
    /** Per stage: the first sequence not yet sent to the next stage; written under {@link #sending}'s flag. */
    private final long[] sentUpTo;
    /** Per stage: 1 while one thread sends that stage's passed spans. */
    private final AtomicIntegerArray sending;
    /** Where spans go: the event bus; tests swap it to measure this class without the bus. */
    private volatile Sink sink;

    /** Sends a span to an address; the event bus, or a test's queue. */
    interface Sink {
        void send(String address, Span span);
    }

    private SpanRing(Context ctx, RingOptions options, BiFunction<Thread, Runnable, R> make) {
        this.context = ContextPools.root(ctx);
        if (!context.nettyEventLoop().inEventLoop()) {
            throw new IllegalStateException("a span ring is created on its owner context's event-loop thread, not on '"
                + Thread.currentThread().getName() + "'");
        }
        checkChain(options);
        Runnable onRoom = this::wake;
        this.ring = make.apply(Thread.currentThread(), onRoom);
        this.eventBus = context.owner().eventBus();
        this.sink = eventBus::send;
        installCodec(context.owner());
        int n = ring.stageCount();
        long instance = INSTANCES.incrementAndGet();
        this.addresses = new String[n];
        for (int k = 0; k < n; k++) {
            // numbered per instance: two rings of the same name in one Vert.x must never share an
            // address, or one ring's spans would be delivered to the other's stages
            addresses[k] = "hotpool.spans." + ring.name() + "." + instance + "." + ring.stageName(k);
        }
        // one span object per sequence that can be held at once: the capacity of a fixed ring; an
        // adaptive ring holds at most the rows of two layouts (the old one until every stage
        // passed the boundary, and the new one), less than twice its maximum
        int table = ring.isAdaptive() ? 2 * ring.maxCapacity() : ring.capacity();
        this.spans = new Span[table];
        for (int i = 0; i < spans.length; i++) {
            spans[i] = new Span(this);
        }
        this.mask = table - 1;
        this.lastStage = n - 1;
        this.sentUpTo = new long[n];
        this.sending = new AtomicIntegerArray(n);
    }

    /**
     * Owner context's thread: a delta ring owned by {@code ctx} (unwrapped if duplicated).
     *
     * @param ctx an event-loop context; the calling thread must be its thread
     * @param options the ring's shape; its stages must form a chain
     * @return the span ring
     * @throws IllegalArgumentException if the stages are not a chain, or the options are invalid
     * @throws IllegalStateException off the context's thread, or on a context that is not an event loop
     */
    public static SpanRing<DeltaRing> delta(Context ctx, RingOptions options) {
        return new SpanRing<>(ctx, options, (owner, onRoom) -> new DeltaRing(options, owner, onRoom));
    }

    /**
     * Owner context's thread: an assertion ring owned by {@code ctx}; see {@link #delta}.
     *
     * @param ctx an event-loop context; the calling thread must be its thread
     * @param options the ring's shape; its stages must form a chain
     * @return the span ring
     */
    public static SpanRing<AssertionRing> assertion(Context ctx, RingOptions options) {
        return new SpanRing<>(ctx, options, (owner, onRoom) -> new AssertionRing(options, owner, onRoom));
    }

    private static void checkChain(RingOptions options) {
        List<RingStage> stages = options.getStages();
        for (int k = 0; k < stages.size(); k++) {
            List<String> after = stages.get(k).after();
            boolean ok = k == 0 ? after.isEmpty() : after.size() == 1 && after.get(0).equals(stages.get(k - 1).name());
            if (!ok) {
                throw new IllegalArgumentException("spans travel a chain of stages, but stage '" + stages.get(k).name()
                    + "' of ring '" + options.getName() + "' runs after " + after + " (declare the stages with chain(...))");
            }
        }
    }

    /** @return the core ring; its producer is the owner context's thread */
    public R ring() {
        return ring;
    }

    /** @return the owner context (unwrapped) */
    public Context context() {
        return context;
    }

    ContextInternal ownerContext() {
        return context;
    }

    /**
     * @param stage a stage index
     * @return the event-bus address its spans are sent to: {@code hotpool.spans.<ring>.<n>.<stage>}, {@code n} numbering the span rings of this JVM
     */
    public String address(int stage) {
        return addresses[stage];
    }

    /**
     * The size of a table beside the ring indexed by {@code seq & (size - 1)} in which no two rows
     * the ring holds at once share an entry: the ring's capacity when fixed; twice its maximum when
     * adaptive (until every stage passed a resize's boundary the ring holds the old slab's rows and
     * the new one's, fewer than twice the maximum). A power of two.
     *
     * @return the table size
     */
    public int rowTableSize() {
        return spans.length;
    }

    /**
     * Owner thread: the ring's producer side, which collects published rows into spans and sends
     * them to stage 0. One per ring.
     *
     * @param options span size and linger
     * @return the batcher
     * @throws IllegalStateException if the ring has a batcher already, or off the owner thread
     * @throws IllegalArgumentException if the options are invalid or a span would exceed the ring
     */
    public SpanBatcher batcher(SpanOptions options) {
        if (!ring.isOwnerThread()) {
            throw new IllegalStateException("the batcher of ring '" + ring.name() + "' is made on its owner thread '"
                + ring.ownerThread().getName() + "', not on '" + Thread.currentThread().getName() + "'");
        }
        if (batcher != null) {
            throw new IllegalStateException("ring '" + ring.name() + "' has a batcher already: it has one producer");
        }
        batcher = new SpanBatcher(this, options);
        return batcher;
    }

    /**
     * The stage's context: registers {@code work} for the spans sent to stage {@code stage}. The
     * handler gets each span that is current for this stage exactly once; a message whose span is
     * not (a duplicate, a span this stage ended already, one from before a wrap, one for another
     * stage or ring) touches nothing and is counted in {@link #staleMessages()}; a message so late
     * that its span object was reused reads as the newer span, and rings that span's doorbell if
     * it is current here (its own message is then the one counted). {@code work}
     * must end each span with {@link Span#complete()} or {@link Span#fail(int)}, now or later on
     * this context; if it throws, the span is failed with {@link Span#REASON_HANDLER_THREW} and
     * the exception goes on to Vert.x. A stage may have several consumers (instances, each on its own
     * context): the event bus hands each span to one of them, and they may end their spans in any
     * order (see {@link Span}).
     *
     * @param stage a stage name of the ring
     * @param work what the stage does with a span
     * @return the event-bus consumer (unregister it to stop the stage)
     */
    public MessageConsumer<Span> consumer(String stage, Handler<Span> work) {
        int k = ring.stage(stage);
        return eventBus.consumer(addresses[k], (Message<Span> msg) -> {
            Span span = msg.body();
            if (!take(k, span)) {
                return;
            }
            long taken = span.generation(); // this delivery's: every send gives the span a new one
            try {
                work.handle(span);
            } catch (Throwable t) {
                // only this delivery: the handler may have ended it already, and the next stage may
                // hold the span by now (span.fail(reason) would end that stage's delivery, not this one)
                span.fail(taken, Span.REASON_HANDLER_THREW);
                throw t;
            }
        });
    }

    /**
     * The stage's thread: takes a delivered span if it is current for {@code stage}.
     *
     * @return true if the caller now holds the span; false (counted) for a stale or duplicated message
     */
    boolean take(int stage, Span span) {
        if (span != null && span.home == this) {
            long s = span.lvStamp();
            if (Span.state(s) == Span.SENT && Span.holder(s) == stage
                && ring.isCurrent(stage, span.first, span.count, ring.epoch())
                && span.casStamp(s, Span.stamp(Span.generation(s), stage, Span.TAKEN))) {
                return true;
            }
        }
        staleMessages.incrementAndGet();
        return false;
    }

    /**
     * Any thread that just ended a span of {@code stage} (set it WAITING): passes every ended span
     * found at the stage's cursor, in order, until the span there is not ended yet. Several
     * threads may drain one stage at once; the PASSING CAS gives each span to one of them.
     */
    void drain(int stage) {
        VarHandle.fullFence(); // the ender's half of the Dekker pair (see Span): WAITING, then read the cursor
        for (;;) {
            long c = ring.cursor(stage);
            Span span = spans[(int) (c & mask)];
            long s = span.lvStamp();
            if (Span.state(s) != Span.WAITING || Span.holder(s) != stage || span.first != c
                || !span.casStamp(s, Span.stamp(Span.generation(s), stage, Span.PASSING))) {
                return;
            }
            pass(span, s);
            VarHandle.fullFence(); // the passer's half: the cursor store, then read the next span's stamp
            if (stage != lastStage) {
                sendPassed(stage);
            }
        }
    }

    /**
     * Sends the spans stage {@code stage} passed and nobody sent yet to the next stage, in
     * sequence order. Passes are ordered by the cursor, but two threads that passed consecutive
     * spans could reach the event bus in either order; so whoever holds the stage's send flag
     * sends every passed span from the stage's send mark up to its cursor, and after dropping the
     * flag looks again (Dekker pair with a passer whose flag CAS failed: cursor store, fence, CAS;
     * against: flag store, fence, cursor load). A span between the send mark and the cursor is
     * passed and unsent, so nobody downstream can end or reuse it meanwhile.
     */
    private void sendPassed(int stage) {
        for (;;) {
            if (!sending.compareAndSet(stage, 0, 1)) {
                return; // the holder of the flag sends it, or sees it when it looks again
            }
            long from = sentUpTo[stage];
            long to = ring.cursor(stage);
            String address = addresses[stage + 1];
            while (from < to) {
                Span span = spans[(int) (from & mask)];
                long end = span.first + span.count; // read before the send: once sent, the span may move on
                sink.send(address, span);
                from = end;
            }
            sentUpTo[stage] = from;
            sending.set(stage, 0);
            VarHandle.fullFence();
            if (ring.cursor(stage) <= from) {
                return;
            }
        }
    }

    /** Advances the holder past the span it claimed (PASSING) and hands it on. Touches nothing after a terminal advance. */
    private void pass(Span span, long s) {
        int stage = Span.holder(s);
        long end = span.first + span.count;
        if (stage == lastStage) {
            span.setStamp(Span.stamp(Span.generation(s), stage, Span.IDLE)); // free before the producer can see the room
            ring.advance(stage, end);
            return;
        }
        span.setStamp(Span.stamp(Span.generation(s) + 1, stage + 1, Span.SENT));
        ring.advance(stage, end); // sent by sendPassed, in order
    }

    /**
     * The watchdog's way to end a span that stalls the ring at this stage's cursor; see
     * {@link #failStuck(int, long, int, LongPredicate, Rescue)}. For a stage with one instance, which
     * holds every span the stage took: on that instance's context.
     *
     * @param stage a stage index
     * @param first the stage's cursor when the stall was seen
     * @param reason the reason code for the failed rows
     * @return the rows of the span ended here, or 0 if nothing was stuck there
     */
    public int failStuck(int stage, long first, int reason) {
        Rescue r = new Rescue();
        return failStuck(stage, first, reason, ANY_HOLDER, r) ? r.rows : 0;
    }

    private static final LongPredicate ANY_HOLDER = generation -> true;

    /** What one {@link #failStuck(int, long, int, LongPredicate, Rescue)} ended; reusable, one per caller. */
    public static final class Rescue {
        int rows;
        int freshRows;

        /** @return rows of the span ended */
        public int rows() {
            return rows;
        }

        /** @return of those, the rows no stage had failed before (now failed with the rescue's reason) */
        public int freshRows() {
            return freshRows;
        }
    }

    /**
     * The watchdog's way to end a span that stalls the ring at this stage's cursor. If the span
     * starting at {@code first} (the stage's cursor) was sent to the stage and never taken (its
     * message lost, or nobody consumes the address), it is taken now; if it is taken and
     * {@code heldHere} says the calling instance holds that delivery (given its generation), it
     * is ended for the stage. Either way its rows are failed with {@code reason} and it is passed
     * on as {@link Span#fail(int)} does. Anything else (the cursor moved, the span is not sent
     * yet, it is ended and waits behind an earlier one, another instance holds it, it is another
     * stage's) touches nothing. Safe on any thread and against the holder completing the span at
     * the same time: one of them ends it. A stage whose handler still refers to the span must not
     * end it afterwards: its {@link Span#generation()} or {@link Span#stage()} has changed.
     *
     * @param stage a stage index
     * @param first the stage's cursor when the stall was seen
     * @param reason the reason code for the failed rows
     * @param heldHere given a taken delivery's generation, whether the caller holds it (the
     *     instance that took it); must not allocate
     * @param out filled with the rows ended and, of those, the rows failed here first
     * @return true if a span was ended here
     */
    public boolean failStuck(int stage, long first, int reason, LongPredicate heldHere, Rescue out) {
        if (first != ring.cursor(stage)) {
            return false;
        }
        Span span = spans[(int) (first & mask)];
        long s = span.lvStamp();
        if (Span.holder(s) != stage || span.first != first) {
            return false;
        }
        if (Span.state(s) == Span.SENT) {
            if (!ring.isCurrent(stage, span.first, span.count, ring.epoch())
                || !span.casStamp(s, Span.stamp(Span.generation(s), stage, Span.TAKEN))) {
                return false;
            }
        } else if (Span.state(s) != Span.TAKEN || !heldHere.test(Span.generation(s))) {
            return false;
        }
        int n = span.count;
        int fresh = 0;
        for (long seq = first, end = first + n; seq < end; seq++) { // the caller holds the span now: nobody else fails its rows
            if (!ring.isFailed(seq)) {
                fresh++;
            }
        }
        if (!span.fail(reason)) {
            return false;
        }
        out.rows = n;
        out.freshRows = fresh;
        return true;
    }

    /** Owner thread: sends rows [first, first + count) to stage 0 as a new span. */
    void send(long first, int count) {
        Span span = spans[(int) (first & mask)];
        long s = span.lvStamp();
        if (Span.state(s) != Span.IDLE) {
            throw new IllegalStateException("span object for row " + first + " of ring '" + ring.name()
                + "' is still in use: " + span); // gating makes this impossible
        }
        span.first = first;
        span.count = count;
        span.setStamp(Span.stamp(Span.generation(s) + 1, 0, Span.SENT));
        sink.send(addresses[0], span);
    }

    /** Tests: route spans to {@code sink} instead of the event bus. */
    void sinkForTest(Sink sink) {
        this.sink = sink;
    }

    /** A terminal stage's thread (the ring's onRoom): one task to the owner, allocation-free. */
    private void wake() {
        if (wakePending.compareAndSet(false, true)) {
            try {
                context.nettyEventLoop().execute(wakeTask);
            } catch (RejectedExecutionException e) {
                wakePending.set(false); // the owner's event loop is shutting down: nobody to wake
            }
        }
    }

    private void onWake() {
        wakePending.set(false);
        wakeUps.incrementAndGet();
        SpanBatcher b = batcher;
        if (b != null) {
            b.roomCame();
        }
    }

    /** @return messages that named no span current for their stage (duplicates, stale, foreign); any thread */
    public long staleMessages() {
        return staleMessages.get();
    }

    /** @return wake-up tasks run on the owner after the ring had room again; any thread */
    public long wakeUps() {
        return wakeUps.get();
    }

    private static void installCodec(Vertx vertx) {
        synchronized (CODEC_INSTALLED) {
            if (CODEC_INSTALLED.add(vertx)) {
                SpanCodec.install(vertx);
            }
        }
    }

    @Override
    public String toString() {
        return "SpanRing{" + ring + ", stale=" + staleMessages() + '}';
    }
}
