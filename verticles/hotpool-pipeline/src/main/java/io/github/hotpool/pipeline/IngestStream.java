package io.github.hotpool.pipeline;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.github.hotpool.pipeline.store.InputMark;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One input stream being ingested (a file, an HTTP body, a TCP connection): counts its batches
 * and completes when the input has ended and every batch it issued was emitted or failed.
 * Thread-safe: batches resolve on any stage's thread.
 */
final class IngestStream {

    final String name;
    final Promise<JsonObject> done;
    /** A resumable input's identity and start (null: not resumable, e.g. HTTP, TCP). */
    final InputMark mark;
    /*
     * Resume progress: batches in issue order with the input offset and line just past each; the
     * prefix whose outcome is final (chained durably, or failed and counted) advances the mark.
     * Guarded by this; the arrays grow only past the most batches ever in flight at once.
     */
    private long[] pendingSeq = new long[16];
    private long[] pendingOffset = new long[16];
    private long[] pendingLine = new long[16];
    private boolean[] pendingDone = new boolean[16];
    private int head;
    private int size;
    private long doneOffset;
    private long doneLine;
    /** First batch cut by a FAIL bad line ({@link #failAt}); guarded by this. */
    private long failedFrom = Long.MAX_VALUE;
    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong resolved = new AtomicLong();
    private final AtomicLong failedBatches = new AtomicLong();
    final AtomicLong triples = new AtomicLong();
    final AtomicLong badLines = new AtomicLong();
    final AtomicLong lines = new AtomicLong();
    final AtomicReference<String> failure = new AtomicReference<>();
    private volatile boolean ended;

    IngestStream(String name, Promise<JsonObject> done) {
        this(name, done, null);
    }

    IngestStream(String name, Promise<JsonObject> done, InputMark mark) {
        this.name = name;
        this.done = done;
        this.mark = mark;
        if (mark != null) {
            doneOffset = mark.offset();
            doneLine = mark.line();
        }
    }

    /** Batch {@code seq} was issued; it ends at input {@code endOffset}, line {@code endLine}. */
    void issued(long seq, long endOffset, long endLine) {
        issued.incrementAndGet();
        if (mark != null) {
            synchronized (this) {
                if (size == pendingSeq.length) {
                    grow();
                }
                int i = (head + size++) & pendingSeq.length - 1;
                pendingSeq[i] = seq;
                pendingOffset[i] = endOffset;
                pendingLine[i] = endLine;
                pendingDone[i] = false;
            }
        }
    }

    private void grow() {
        int n = pendingSeq.length;
        long[] s = new long[n * 2];
        long[] o = new long[n * 2];
        long[] l = new long[n * 2];
        boolean[] d = new boolean[n * 2];
        for (int k = 0; k < size; k++) {
            int i = (head + k) & n - 1;
            s[k] = pendingSeq[i];
            o[k] = pendingOffset[i];
            l[k] = pendingLine[i];
            d[k] = pendingDone[i];
        }
        pendingSeq = s;
        pendingOffset = o;
        pendingLine = l;
        pendingDone = d;
        head = 0;
    }

    /**
     * Batch {@code seq}'s outcome is final (its receipts are about to be durable, or it failed):
     * the resume point moves past every batch before it whose outcome is final too. Idempotent.
     */
    void settled(long seq) {
        if (mark == null) {
            return;
        }
        synchronized (this) {
            int mask = pendingSeq.length - 1;
            for (int k = 0; k < size; k++) {
                int i = (head + k) & mask;
                if (pendingSeq[i] == seq) {
                    pendingDone[i] = true;
                    break;
                }
            }
            while (size > 0 && pendingDone[head]) {
                doneOffset = pendingOffset[head];
                doneLine = pendingLine[head];
                head = (head + 1) & mask;
                size--;
            }
        }
    }

    /** How far this resumable input's outcome is final (null when not resumable). */
    synchronized InputMark progress() {
        return mark == null ? null : mark.at(doneOffset, doneLine, ended && size == 0 && failure.get() == null);
    }

    void resolved(long seq, boolean ok) {
        if (!ok) {
            failedBatches.incrementAndGet();
            settled(seq);
        }
        resolved.incrementAndGet();
        checkDone();
    }

    /** The input has ended (or was cut): completes once every issued batch has resolved. */
    void end() {
        ended = true;
        checkDone();
    }

    /** Marks the stream failed under {@link BadLinePolicy#FAIL}; the first reason wins. */
    void fail(String reason) {
        failure.compareAndSet(null, reason);
    }

    /**
     * Batch {@code seq} holds a bad line under {@link BadLinePolicy#FAIL}: the stream fails, and
     * that batch and every later one are cut at Emit ({@link #cutFrom}) instead of chained, so the
     * resume mark stays before the bad line's batch and a run again meets the bad line again.
     */
    void failAt(long seq, String reason) {
        fail(reason);
        synchronized (this) {
            if (seq < failedFrom) {
                failedFrom = seq;
            }
        }
    }

    /** True when batch {@code seq} comes at or after a batch that failed the stream ({@link #failAt}). */
    synchronized boolean cutFrom(long seq) {
        return seq >= failedFrom;
    }

    /**
     * Emit's: batch {@code seq} was cut (see {@link #failAt}): resolved, but its outcome is not
     * final, so the mark never passes it.
     */
    void cut(long seq) {
        resolved.incrementAndGet();
        checkDone();
    }

    boolean failed() {
        return failure.get() != null;
    }

    private void checkDone() {
        if (ended && resolved.get() == issued.get()) {
            String f = failure.get();
            if (f != null) {
                // a bad line's reason already starts with the input's name and line
                done.tryFail(new IllegalStateException(f.startsWith(name + ":") ? f : name + ": " + f));
            } else {
                done.tryComplete(summary());
            }
        }
    }

    JsonObject summary() {
        return new JsonObject().put("source", name).put("lines", lines.get()).put("triples", triples.get())
            .put("batches", issued.get()).put("failedBatches", failedBatches.get()).put("badLines", badLines.get());
    }

    Future<JsonObject> future() {
        return done.future();
    }
}
