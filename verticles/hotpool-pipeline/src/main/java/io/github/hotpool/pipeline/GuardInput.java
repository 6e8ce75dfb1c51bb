package io.github.hotpool.pipeline;

import io.github.hotpool.pipeline.store.InputMark;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One input of a {@link GuardPipeline} (a file or a buffer): its counters, the rows it produced
 * and its completion, which comes once the input has ended and Emit has made every one of its rows
 * durable (chained, or failed and counted). Counters are written by the source's thread; the
 * outcome by Emit's; read anywhere.
 */
final class GuardInput {

    final String name;
    /** A resumable input's identity and start (null: not resumable). */
    final InputMark mark;
    final Promise<JsonObject> done;
    /** First row of this input: the ring's next sequence when it started. */
    volatile long firstSeq = -1;
    /** Last row of this input once it ended ({@code firstSeq - 1} when it had none); -1 before. */
    volatile long lastSeq = -1;
    volatile boolean ended;
    /** Last row published so far (source thread). */
    volatile long lastRowSeq = -1;
    /** Input offset and line where it ended (the resume point of a completed input). */
    volatile long endOffset;
    volatile long endLine;
    volatile long lines;
    volatile long triples;
    volatile long rows;
    volatile long badLines;
    /** Rows failed (by any stage), written by Emit. */
    volatile long failedRows;
    /** Rows chained, and the input line the last of them ended at; written by Emit. */
    volatile long chainedRows;
    volatile long chainedThroughLine;
    final AtomicReference<String> failure = new AtomicReference<>();

    GuardInput(String name, InputMark mark, Promise<JsonObject> done) {
        this.name = name;
        this.mark = mark;
        this.done = done;
    }

    /** Fails the input (under {@link BadLinePolicy#FAIL}, or a read error); the first reason wins. */
    void fail(String reason) {
        failure.compareAndSet(null, reason);
    }

    boolean failed() {
        return failure.get() != null;
    }

    /**
     * Emit's thread: every row through {@code durableThrough} is durable; completes the input if it
     * is done. A failed input's message says what of it was chained before, when {@code durable}
     * (the store has not failed): a sender that retries knows what not to send again.
     */
    boolean settle(long durableThrough, boolean durable) {
        if (!ended || durableThrough < lastSeq) {
            return false;
        }
        String f = failure.get();
        if (f != null) {
            // a bad line's reason already starts with the input's name and line
            String what = f.startsWith(name + ":") ? f : name + ": " + f;
            if (durable && chainedRows > 0) {
                what += "; chained before it failed: " + chainedRows + " rows, through line " + chainedThroughLine
                    + (failedRows > 0 ? " (" + failedRows + " rows failed, not chained)" : "");
            } else if (durable) {
                what += "; nothing of it was chained";
            }
            done.tryFail(new IllegalStateException(what));
        } else {
            done.tryComplete(summary());
        }
        return true;
    }

    JsonObject summary() {
        return new JsonObject().put("source", name).put("lines", lines).put("triples", triples)
            .put("batches", rows).put("failedBatches", failedRows).put("badLines", badLines);
    }
}
