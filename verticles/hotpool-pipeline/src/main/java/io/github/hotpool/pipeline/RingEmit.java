package io.github.hotpool.pipeline;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.Ring;
import io.github.hotpool.pipeline.stage.SpanStage;
import io.github.hotpool.pipeline.store.ReceiptStore;
import io.github.hotpool.vertx.Span;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Emit stage of the ring pipeline: appends each row's receipts to the {@link ReceiptStore} in row
 * order, makes them durable by group commit on a worker, and settles the inputs whose rows are
 * all durable. Everything runs on this stage's context except the store's blocking writes (one
 * flush at a time).
 */
final class RingEmit extends SpanStage {

    /*
     * Receipts are copied into the store's line buffer, so a span is normally completed (its rows
     * freed for the source) as soon as it is appended. While a flush is on the disk and more than
     * receiptsWriteQueueBytes wait for the next one, spans are held instead, and the watchdog is
     * told so (holdingForOutput): the ring fills, the source pauses its input, and memory stays
     * bounded end to end, however slow the disk. A flush that lands completes the held spans.
     *
     * An input counts as done (its future, hence `run`'s summary) only once the flush holding its
     * last row has landed: forced, under FSYNC and BATCH. Rows are appended in sequence order, so
     * "durable through sequence d" is one number, and the checkpoint's resume mark is the end of
     * the last row the flush holds.
     */

    /** The reason code of rows failed because the receipt store could not write. */
    static final int REASON_STORE = 1;
    /** The reason code of a row the source had claimed when its input was cut (undeploy, a FAIL bad line). */
    static final int REASON_CUT = 2;

    private final GuardState state;
    private ReceiptStore store;
    private final List<Span> held = new ArrayList<>();
    /** Last row appended; last row handed to a flush; last row durable. */
    private long appendedThrough = -1;
    private long flushedThrough = -1;
    private long durableThrough = -1;
    /** Last row appended whose lines count as done (not cut), and that of the last flush started. */
    private long doneThrough = -1;
    private long flushedDoneThrough = -1;
    private GuardInput lastInput;
    private long lastOffset;
    private long lastLine;
    private List<Promise<JsonObject>> flushWaiters = new ArrayList<>();
    private long heldForFile;
    /** Rows appended (not failed) since the last flush started: they are durable only if it lands. */
    private long appendedRows;
    private long openSince;
    private long syncTimer = -1;
    private long idleTimer = -1;

    RingEmit(GuardState state) {
        this.state = state;
    }

    @Override
    protected void init() {
        store = state.store;
        openSince = System.nanoTime();
        long idleMillis = state.options.getLockchain().getCycleIdleMillis();
        if (idleMillis > 0) {
            long idleNanos = idleMillis * 1_000_000L;
            idleTimer = vertx.setPeriodic(Math.max(1, idleMillis / 4), id -> {
                if (EmitVerticle.idleSealDue(store.pending(), openSince, System.nanoTime(), idleNanos)
                        && store.failure() == null) {
                    store.seal();
                    scheduleFlush();
                }
            });
        }
    }

    @Override
    protected void cleanup() {
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
        }
        if (syncTimer >= 0) {
            vertx.cancelTimer(syncTimer); // undeploy flushed already: nothing waits for it
        }
    }

    @Override
    protected void process(Span span) {
        DeltaRing.Row row = rows();
        if (broken()) {
            for (long s = span.first(); s < span.end(); s++) {
                countFailed(s); // every row reaches Emit once: counted emitted or failed, never both
            }
            appendedThrough = span.end() - 1;
            fail(span, REASON_STORE);
            settleInputs(appendedThrough); // an input fails once Emit has passed all its rows
            return;
        }
        int hooks = state.hookCount;
        for (long s = span.first(), end = span.end(); s < end; s++) {
            row.at(s);
            int i = state.index(s);
            GuardInput in = state.rowInput[i];
            if (row.isFailed() && row.failReason() == REASON_CUT && row.failedBy() == Ring.PRODUCER) {
                state.rowsCut = state.rowsCut + 1; // its lines were never done: the resume point stays before them
                appendedThrough = s;
                continue;
            }
            if (row.isFailed()) {
                countFailed(s); // failed upstream, counted there by reason; here for the totals
            } else {
                if (store.pending() == 0) {
                    openSince = System.nanoTime();
                }
                int n = GuardSteps.emit(store, state.hooks, row, state.receipts, state.hookRuns, i * hooks, state.terms);
                state.receiptsChained = state.receiptsChained + n;
                state.rowsEmitted = state.rowsEmitted + 1;
                appendedRows++;
                in.chainedRows++;
                in.chainedThroughLine = state.rowEndLine[i];
            }
            lastInput = in;
            lastOffset = state.rowEndOffset[i];
            lastLine = state.rowEndLine[i];
            appendedThrough = s;
            doneThrough = s;
        }
        if (store.flushing() && store.bufferedBytes() >= state.options.getLockchain().getReceiptsWriteQueueBytes()) {
            held.add(span);
            heldForFile++;
            holdingForOutput(true);
        } else {
            complete(span);
        }
        scheduleFlush();
    }

    private void countFailed(long s) {
        GuardInput in = state.rowInput[state.index(s)];
        state.rowsFailed = state.rowsFailed + 1;
        in.failedRows++;
    }

    /** Starts a flush now, or arms the sync timer, as the durability policy says. */
    private void scheduleFlush() {
        boolean work = store.bufferedBytes() > 0 || appendedThrough > flushedThrough || !flushWaiters.isEmpty();
        if (store.flushing() || !work || broken()) {
            return; // a landing flush calls again
        }
        PipelineOptions o = state.options;
        boolean now = o.getLockchain().flushNow(store, !flushWaiters.isEmpty(), store.bufferedBytes() >= o.getLockchain().getReceiptsWriteQueueBytes());
        if (now) {
            startFlush();
        } else if (syncTimer < 0) {
            syncTimer = vertx.setTimer(o.getLockchain().getSyncMillis(), id -> {
                syncTimer = -1;
                if (!store.flushing()) {
                    startFlush();
                }
            });
        }
    }

    private void startFlush() {
        if (syncTimer >= 0) {
            vertx.cancelTimer(syncTimer);
            syncTimer = -1;
        }
        if (lastInput != null && lastInput.mark != null && appendedThrough > flushedThrough) {
            // durable once this flush lands: the checkpoint may say the input got this far
            store.input(lastInput.mark.at(lastOffset, lastLine, false));
        }
        if (doneThrough > flushedDoneThrough) {
            // and that the chain numbered the batches up to the last row whose lines count as done
            // (a cut row's lines are read again by a later run, under the same number)
            store.batches(state.firstBatch + doneThrough + 1);
            flushedDoneThrough = doneThrough;
        }
        long through = appendedThrough;
        flushedThrough = through;
        long rows = appendedRows;
        appendedRows = 0;
        ReceiptStore.Flush f = store.takeFlush();
        // a waiter that comes while this flush is on the disk belongs to the next flush: never hand
        // this flush the list that later waiters are added to
        List<Promise<JsonObject>> waiters = flushWaiters.isEmpty() ? List.of() : flushWaiters;
        if (!waiters.isEmpty()) {
            flushWaiters = new ArrayList<>();
        }
        if (store.dir() == null) {
            landed(f, through, rows, waiters, null); // in memory: nothing to wait for
            return;
        }
        long delay = state.flushDelayMillis;
        vertx.<Void>executeBlocking(() -> {
            if (delay > 0) {
                Thread.sleep(delay);
            }
            store.write(f);
            return null;
        }).onComplete(ar -> landed(f, through, rows, waiters, ar.cause()));
    }

    /** A flush is on disk (or failed): frees held spans, answers waiters, settles inputs. */
    private void landed(ReceiptStore.Flush f, long through, long rows, List<Promise<JsonObject>> waiters,
                        Throwable failure) {
        store.flushed(f);
        if (failure != null) {
            // the rows of this flush were appended but never became durable: they count as failed
            state.rowsEmitted = state.rowsEmitted - rows;
            state.rowsFailed = state.rowsFailed + rows;
            storeFailed(failure.getMessage());
            for (Span span : held) {
                fail(span, REASON_STORE); // their rows are counted with the flush's below
            }
            // rows appended while this flush was on the disk will never be written either
            state.rowsEmitted = state.rowsEmitted - appendedRows;
            state.rowsFailed = state.rowsFailed + appendedRows;
            appendedRows = 0;
        } else {
            durableThrough = Math.max(durableThrough, through);
            for (Span span : held) {
                complete(span);
            }
        }
        held.clear();
        holdingForOutput(false);
        for (Promise<JsonObject> w : waiters) {
            if (failure == null) {
                w.complete(chainState());
            } else {
                w.fail(failure);
            }
        }
        // after a failure nothing more becomes durable: an input settles, failed, once it ended and
        // Emit has passed every one of its rows (each counted failed or cut), never before
        settleInputs(failure == null ? durableThrough : appendedThrough);
        if (failure == null) {
            scheduleFlush();
        } else {
            List<Promise<JsonObject>> rest = flushWaiters;
            flushWaiters = new ArrayList<>();
            rest.forEach(w -> w.fail(failure));
        }
    }

    /**
     * Completes every input that has ended and whose rows are durable through {@code through}. Not
     * only the oldest: network inputs run side by side, and one held open must not keep the inputs
     * that started after it from completing.
     */
    private void settleInputs(long through) {
        for (java.util.Iterator<GuardInput> it = state.inputs.iterator(); it.hasNext(); ) {
            GuardInput in = it.next();
            if (in.settle(through, state.fatal.get() == null)) {
                it.remove();
                if (in.mark != null && !in.failed()) {
                    store.input(in.mark.at(in.endOffset, in.endLine, true)); // goes with the next flush
                }
            }
        }
    }

    /**
     * @return whether the store failed: nothing more becomes durable. The store's own flag may be
     *     seen before the failed flush lands: the pipeline is failed at once either way, so that no
     *     input settles as done in between
     */
    private boolean broken() {
        if (state.fatal.get() != null) {
            return true;
        }
        java.io.IOException f = store.failure();
        if (f != null) {
            storeFailed(f.getMessage());
            return true;
        }
        return false;
    }

    /** The pipeline cannot go on: every open input fails with the cause (the first cause wins). */
    private void storeFailed(String why) {
        if (state.fatal.compareAndSet(null, why)) {
            state.error(why);
        }
        String reason = "receipt store failed: " + state.fatal.get();
        for (GuardInput in : state.inputs) {
            in.fail(reason);
        }
    }

    /** Any thread: an input ended; settle it if its rows are durable already. */
    void poke() {
        context.runOnContext(v -> settleInputs(broken() ? appendedThrough : durableThrough));
    }

    /**
     * Any thread: seals the open cycle (if it holds receipts) and completes with the chain state
     * ({@code head}, {@code cycles}, {@code receipts}, {@code heldForFile}) once that is durable.
     */
    Future<JsonObject> sealAndFlush() {
        Promise<JsonObject> done = Promise.promise();
        context.runOnContext(v -> {
            if (store.failure() != null) {
                done.fail(store.failure());
                return;
            }
            if (store.pending() > 0) {
                store.seal();
            }
            flushWaiters.add(done);
            scheduleFlush();
        });
        return done.future();
    }


    private JsonObject chainState() {
        return new JsonObject().put("head", HexFormat.of().formatHex(store.head())).put("cycles", store.cycles())
            .put("receipts", store.receipts()).put("heldForFile", heldForFile);
    }
}
