package io.github.hotpool.pipeline.stage;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.Ring;
import io.github.hotpool.vertx.SpanBatcher;
import io.github.hotpool.vertx.SpanRing;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.Arrays;

/**
 * The producer of a {@link StagePipeline}: owns the Δ-ring on its context, pulls rows from the
 * {@link RowSource} into it (or lets a {@link PushSource} write them) through a
 * {@link SpanBatcher}, and runs the watchdog. Everything here runs on this verticle's context.
 */
final class SourceVerticle extends VerticleBase implements RowWriter {

    /** Rows written per event-loop turn before yielding to other tasks on this context. */
    private static final int ROWS_PER_TURN = 256;

    private final StagePipelineOptions options;
    /** Exactly one of these two is set. */
    private final RowSource source;
    private final PushSource push;
    private Runnable pushRoom;
    private final StagePipeline pipeline;
    SpanRing<DeltaRing> spanRing;
    private DeltaRing ring;
    private SpanBatcher batcher;
    private DeltaRing.Row w;
    private final Handler<Void> pumpTask = v -> pump();
    private boolean started;
    private boolean exhausted;
    private boolean stopping;
    private volatile long rowsProduced;
    private volatile long sourceFailedRows;
    private volatile long spansSent;
    private long watchdogTimer = -1;
    /** While the source is exhausted or draining: a short poll for "every row passed the last stage". */
    private long doneTimer = -1;
    private long[] lastCursor;
    private long[] stuckSince;
    private Promise<Void> drained;
    private final Promise<Void> finished = Promise.promise();

    SourceVerticle(StagePipelineOptions options, RowSource source, PushSource push, StagePipeline pipeline) {
        this.options = options;
        this.source = source;
        this.push = push;
        this.pipeline = pipeline;
    }

    @Override
    public Future<?> start() {
        spanRing = SpanRing.delta(context, options.ringOptions());
        ring = spanRing.ring();
        batcher = spanRing.batcher(options.getSpan()).onRoom(push == null ? this::pump : this::pushRoom);
        w = ring.row(Ring.PRODUCER);
        int n = ring.stageCount();
        lastCursor = new long[n];
        stuckSince = new long[n];
        // every stage's clock starts now: from 0, the first tick read System.nanoTime()'s distance
        // from its origin as a stall and failed a span held for less than the timeout
        Arrays.fill(stuckSince, System.nanoTime());
        long period = Math.max(5, Math.min(1000, options.getStageTimeoutMillis() / 4));
        watchdogTimer = vertx.setPeriodic(period, id -> watch());
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        if (watchdogTimer >= 0) {
            vertx.cancelTimer(watchdogTimer);
        }
        if (doneTimer >= 0) {
            vertx.cancelTimer(doneTimer);
        }
        batcher.close();
        // undeployed before the source ran out: whoever waits for finished() must hear of it, not wait on
        finished.tryFail(new IllegalStateException("stage pipeline undeployed before its source ended ("
            + rowsProduced + " rows produced)"));
        return Future.succeededFuture();
    }

    /** This context: begins pulling rows (after every stage consumes). */
    void begin() {
        started = true;
        if (push != null) {
            push.start(this);
        } else {
            pump();
        }
    }

    // ---------------------------------------------------------------- RowWriter (push sources)

    @Override
    public DeltaRing.Row tryClaim() {
        if (stopping) {
            return null;
        }
        long seq = batcher.tryClaim(1);
        return seq == Ring.NO_ROOM ? null : w.at(seq);
    }

    @Override
    public void publish() {
        batcher.publish();
        rowsProduced = rowsProduced + 1;
    }

    @Override
    public void publishFailed(int reason) {
        ring.fail(Ring.PRODUCER, w.sequence(), reason);
        sourceFailedRows = sourceFailedRows + 1;
        publish();
    }

    @Override
    public void flush() {
        batcher.flush();
        spansSent = batcher.spansSent();
    }

    @Override
    public void onRoom(Runnable onRoom) {
        this.pushRoom = onRoom;
    }

    @Override
    public long nextSequence() {
        return ring.claimed();
    }

    @Override
    public boolean stopping() {
        return stopping;
    }

    @Override
    public Context context() {
        return context;
    }

    private void pushRoom() {
        Runnable r = pushRoom;
        if (r != null && !stopping) {
            r.run();
        }
    }

    // ---------------------------------------------------------------- pull sources

    private void pump() {
        if (!started || exhausted || stopping) {
            return;
        }
        for (int i = 0; i < ROWS_PER_TURN; i++) {
            if (!source.hasNext()) {
                exhausted = true;
                batcher.flush();
                spansSent = batcher.spansSent();
                pollDone();
                return;
            }
            long seq = batcher.tryClaim(1);
            if (seq == Ring.NO_ROOM) {
                spansSent = batcher.spansSent();
                return; // the batcher's onRoom runs pump() again when the last stage frees rows
            }
            w.at(seq);
            try {
                source.write(w);
            } catch (RuntimeException e) {
                ring.fail(Ring.PRODUCER, seq, Reasons.SOURCE_THREW);
                sourceFailedRows = sourceFailedRows + 1;
            }
            batcher.publish();
            rowsProduced = rowsProduced + 1;
        }
        spansSent = batcher.spansSent();
        context.runOnContext(pumpTask);
    }

    /** The watchdog, every quarter of the stage timeout: finds stages whose cursor is stuck behind work. */
    private void watch() {
        long now = System.nanoTime();
        long timeout = options.getStageTimeoutMillis() * 1_000_000L;
        for (int k = 0; k < lastCursor.length; k++) {
            long c = ring.cursor(k);
            if (c >= ring.available(k) || c != lastCursor[k] || pipeline.holdingForOutput(k)) {
                lastCursor[k] = c;
                stuckSince[k] = now;
                continue;
            }
            if (now - stuckSince[k] >= timeout) {
                stuckSince[k] = now; // one rescue per timeout; the next stall starts a new clock
                pipeline.rescue(k, c);
            }
        }
        spansSent = batcher.spansSent();
        checkDone();
    }

    private void pollDone() {
        if (doneTimer < 0) {
            doneTimer = vertx.setPeriodic(2, id -> checkDone());
        }
        checkDone();
    }

    private void checkDone() {
        boolean idle = ring.gating() == ring.published();
        if (idle && exhausted && !finished.future().isComplete()) {
            finished.complete();
        }
        if (idle && drained != null) {
            drained.tryComplete();
        }
        boolean waiting = (exhausted && !finished.future().isComplete()) || (drained != null && !drained.future().isComplete());
        if (!waiting && doneTimer >= 0) {
            vertx.cancelTimer(doneTimer);
            doneTimer = -1;
        }
    }

    /** This context: stops pulling, sends the open span; the future completes when every row passed the last stage, or fails after the drain timeout. */
    Future<Void> drain() {
        if (push != null && !stopping) {
            stopping = true;
            push.stop();
        }
        stopping = true;
        batcher.close();
        spansSent = batcher.spansSent();
        drained = Promise.promise();
        pollDone();
        long t = vertx.setTimer(Math.max(1, options.getDrainTimeoutMillis()), id -> drained.tryFail(
            "pipeline '" + options.getName() + "': " + (ring.published() - ring.gating())
                + " rows still held by stages after the drain timeout of " + options.getDrainTimeoutMillis() + " ms"));
        return drained.future().onComplete(ar -> vertx.cancelTimer(t));
    }

    Context sourceContext() {
        return context;
    }

    Future<Void> finished() {
        return finished.future();
    }

    long rowsProduced() {
        return rowsProduced;
    }

    long sourceFailedRows() {
        return sourceFailedRows;
    }

    long spansSent() {
        return spansSent;
    }
}
