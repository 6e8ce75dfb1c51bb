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

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

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
        this.spans = new Span[ring.capacity()];
        for (int i = 0; i < spans.length; i++) {
            spans[i] = new Span(this);
        }
        this.mask = ring.capacity() - 1;
        this.lastStage = n - 1;
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
     * the exception goes on to Vert.x. One consumer per stage: a stage's cursor has one thread.
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
            try {
                work.handle(span);
            } catch (Throwable t) {
                span.fail(Span.REASON_HANDLER_THREW);
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

    /** Holder's thread: ends a taken span (stamp s), then every waiting successor it unblocks. */
    void complete(Span span, long s) {
        int stage = Span.holder(s);
        if (ring.cursor(stage) != span.first) {
            span.setStamp(Span.stamp(Span.generation(s), stage, Span.WAITING)); // an earlier span is still out
            return;
        }
        long end = pass(span, s);
        for (;;) {
            // only this thread puts a span of this stage in WAITING or takes it out: the stamp says whose it is
            Span next = spans[(int) (end & mask)];
            long ns = next.lvStamp();
            if (Span.state(ns) != Span.WAITING || Span.holder(ns) != stage || next.first != end) {
                return;
            }
            end = pass(next, ns);
        }
    }

    /** Advances the holder past the span and hands it on; returns its end. Touches nothing after a terminal advance. */
    private long pass(Span span, long s) {
        int stage = Span.holder(s);
        long end = span.first + span.count;
        if (stage == lastStage) {
            span.setStamp(Span.stamp(Span.generation(s), stage, Span.IDLE)); // free before the producer can see the room
            ring.advance(stage, end);
            return end;
        }
        span.setStamp(Span.stamp(Span.generation(s) + 1, stage + 1, Span.SENT));
        ring.advance(stage, end);
        sink.send(addresses[stage + 1], span);
        return end;
    }

    /**
     * The stage's thread (its consumer's context): the watchdog's way to end a span that stalls
     * the ring at this stage's cursor. If the span starting at {@code first} (the stage's cursor)
     * was sent to the stage and never taken (its message lost, or nobody consumes the address), it
     * is taken now; if the stage holds it, it is ended for the stage. Either way its rows are
     * failed with {@code reason} and it is passed on as {@link Span#fail(int)} does. Anything
     * else (the cursor moved, the span is not sent yet, it waits behind an earlier one, it is
     * another stage's) touches nothing. A stage whose handler still refers to the span must not
     * end it afterwards: its {@link Span#generation()} or {@link Span#stage()} has changed.
     *
     * @param stage a stage index
     * @param first the stage's cursor when the stall was seen
     * @param reason the reason code for the failed rows
     * @return the rows of the span ended here, or 0 if nothing was stuck there
     */
    public int failStuck(int stage, long first, int reason) {
        if (first != ring.cursor(stage)) {
            return 0;
        }
        Span span = spans[(int) (first & mask)];
        long s = span.lvStamp();
        if (Span.holder(s) != stage || span.first != first) {
            return 0;
        }
        if (Span.state(s) == Span.SENT) {
            if (!ring.isCurrent(stage, span.first, span.count, ring.epoch())
                || !span.casStamp(s, Span.stamp(Span.generation(s), stage, Span.TAKEN))) {
                return 0;
            }
        } else if (Span.state(s) != Span.TAKEN) {
            return 0;
        }
        int n = span.count;
        return span.fail(reason) ? n : 0;
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
