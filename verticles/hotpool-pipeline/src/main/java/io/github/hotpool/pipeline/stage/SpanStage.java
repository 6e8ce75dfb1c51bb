package io.github.hotpool.pipeline.stage;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.vertx.Span;
import io.github.hotpool.vertx.SpanRing;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * A stage of a {@link StagePipeline}: a verticle that works on the Δ-ring rows of each span its
 * ring stage receives. Subclass it and implement {@link #process(Span)}, or subclass
 * {@link RowStage} to work on one row at a time. The pipeline makes as many instances of a stage as
 * it declares ({@link StageSpec#instances()}) with the factory registered for it, binds each to the
 * ring and deploys each on its own event-loop context; {@link #process} runs there only, one span
 * at a time. The event bus hands each span of the stage to one instance; instances end their
 * spans in any order, and the stage's cursor still passes them on in sequence order, so the next
 * stage sees rows in order. Instances share the ring and the stage's counters, nothing else: a
 * stage with several instances keeps any scratch state per instance (its own fields), and state
 * shared between instances must be safe across threads.
 *
 * <p><b>RAII.</b> {@code process} ends every span it gets, exactly once, now or later on this
 * context: {@link #complete(Span)} passes the rows on to the next stage (from the last stage they
 * go back to the source), {@link #fail(Span, int)} marks them failed first. If {@code process}
 * throws, every row of a span it still holds is failed with {@link Reasons#STAGE_THREW}, counted,
 * and the exception goes on to Vert.x. End spans through these two methods rather than
 * {@link Span#complete()} / {@link Span#fail(int)}: they count the failures, and refuse (answer
 * false) a span that is no longer this delivery (the watchdog ended it, or its object was reused).
 *
 * <p>Rows failed upstream still arrive ({@code row.isFailed()}); skip their work and pass them on.
 */
public abstract class SpanStage extends VerticleBase {

    private SpanRing<DeltaRing> spanRing;
    private DeltaRing ring;
    private int stage = -1;
    private String stageName;
    private StageCounters counters;
    private long[] takenGeneration;
    private int mask;
    private MessageConsumer<Span> consumer;
    private volatile boolean holdingForOutput;
    private DeltaRing.Row rows;
    /** The watchdog's test: whether this instance took the delivery of that generation at the cursor. */
    private int rescueIndex = -1;
    private final SpanRing.Rescue rescue = new SpanRing.Rescue();
    private final java.util.function.LongPredicate heldHere = this::tookAtRescueIndex;

    /** Called by the pipeline before deploying this verticle. */
    final void bind(SpanRing<DeltaRing> spanRing, int stage, StageCounters counters) {
        if (this.spanRing != null) {
            throw new IllegalStateException("stage verticle " + getClass().getName() + " is bound already (to stage '"
                + stageName + "'): a factory must make a new instance on each call");
        }
        this.spanRing = spanRing;
        this.ring = spanRing.ring();
        this.stage = stage;
        this.stageName = ring.stageName(stage);
        this.counters = counters;
        this.takenGeneration = new long[spanRing.rowTableSize()];
        java.util.Arrays.fill(takenGeneration, -1);
        this.mask = takenGeneration.length - 1;
        this.rows = ring.newRow(stage); // one per instance: a view has a position
    }

    @Override
    public final Future<?> start() {
        if (spanRing == null) {
            return Future.failedFuture(new IllegalStateException(getClass().getName()
                + " is deployed by a StagePipeline, not on its own"));
        }
        try {
            init();
        } catch (Exception e) {
            return Future.failedFuture(e);
        }
        consumer = spanRing.consumer(stageName, this::onSpan);
        return consumer.completion();
    }

    @Override
    public final Future<?> stop() {
        try {
            cleanup();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return consumer == null ? Future.succeededFuture() : consumer.unregister();
    }

    /** This context, once, when the stage is undeployed (after the pipeline drained): cancel timers, close what {@link #init()} opened (default: nothing). */
    protected void cleanup() {
    }

    /** This context, once, before the first span: set up the stage's state (default: nothing). */
    protected void init() throws Exception {
    }

    /**
     * This context: works on the span's rows ({@code span.first()} to {@code span.end() - 1},
     * through {@link #rows()}) and ends it with {@link #complete(Span)} or {@link #fail(Span, int)},
     * now or later on this context.
     *
     * @param span the rows this stage holds
     * @throws Exception to fail every row of the span (counted under {@link Reasons#STAGE_THREW})
     */
    protected abstract void process(Span span) throws Exception;

    /** The stage's thread: a delivery the ring says is current for this stage. */
    final void onSpan(Span span) {
        takenGeneration[(int) (span.first() & mask)] = span.generation();
        counters.span(span.count());
        try {
            process(span);
        } catch (Throwable t) {
            fail(span, Reasons.STAGE_THREW);
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException("stage '" + stageName + "' failed a span of " + span.count() + " rows", t);
        }
    }

    private boolean mine(Span span) {
        return span.ring() == ring && span.stage() == stage
            && span.generation() == takenGeneration[(int) (span.first() & mask)];
    }

    /**
     * This context: passes the span's rows on. Allocation-free apart from the event-bus send.
     *
     * @param span a span this stage received
     * @return true if this call ended it; false if it was ended already or is no longer this stage's
     */
    protected final boolean complete(Span span) {
        return mine(span) && span.complete();
    }

    /**
     * This context: fails every row of the span not failed already with {@code reason}, counts
     * them under this stage and reason, and passes the span on.
     *
     * @param span a span this stage received
     * @param reason 0..65535; the framework's codes are in {@link Reasons}
     * @return true if this call ended it
     */
    protected final boolean fail(Span span, int reason) {
        if (!mine(span)) {
            return false;
        }
        long fresh = 0;
        for (long s = span.first(), end = span.end(); s < end; s++) {
            if (!ring.isFailed(s)) {
                fresh++;
            }
        }
        if (!span.fail(reason)) {
            return false;
        }
        counters.failed(reason, fresh);
        return true;
    }

    /**
     * This context: fails one row this stage holds (not failed already) and counts it.
     *
     * @param row this stage's view ({@link #rows()}) at the row
     * @param reason 0..65535
     */
    protected final void fail(DeltaRing.Row row, int reason) {
        if (!row.isFailed()) {
            row.fail(reason);
            counters.failed(reason, 1);
        }
    }

    /** @return this instance's reusable view of the ring's rows; position it with {@code at(seq)} */
    protected final DeltaRing.Row rows() {
        return rows;
    }

    /**
     * This context: tells the watchdog that this stage keeps its spans on purpose, waiting for
     * its output to drain (back-pressure), so that a slow disk is not taken for a stuck stage.
     * Set it back to false once the output drained.
     *
     * @param holding whether the stage is holding spans for its output
     */
    protected final void holdingForOutput(boolean holding) {
        this.holdingForOutput = holding;
    }

    /** @return whether the stage said it holds spans for its output; any thread */
    final boolean holdingForOutput() {
        return holdingForOutput;
    }

    /** @return the Δ-ring */
    protected final DeltaRing ring() {
        return ring;
    }

    /** @return this stage's name */
    public final String stageName() {
        return stageName;
    }

    /** @return this stage's index in the ring (its position in the pipeline) */
    protected final int stageIndex() {
        return stage;
    }

    /** @return the stage's context once deployed */
    final Context stageContext() {
        return context;
    }

    private boolean tookAtRescueIndex(long generation) {
        return rescueIndex >= 0 && takenGeneration[rescueIndex] == generation;
    }

    /**
     * The watchdog's rescue, on this context: ends the span stuck at {@code first} if it was sent
     * and never taken, or if this instance holds it; counts it.
     */
    final void rescue(long first) {
        rescueIndex = (int) (first & mask);
        boolean ended = spanRing.failStuck(stage, first, Reasons.STUCK, heldHere, rescue);
        rescueIndex = -1;
        if (ended) {
            counters.stuck(rescue.rows(), rescue.freshRows());
        }
    }

    /** @return this stage's consumer, for tests that simulate an address nobody consumes */
    final MessageConsumer<Span> consumer() {
        return consumer;
    }
}
