package io.github.hotpool.pipeline;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
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
    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong resolved = new AtomicLong();
    private final AtomicLong failedBatches = new AtomicLong();
    final AtomicLong triples = new AtomicLong();
    final AtomicLong badLines = new AtomicLong();
    final AtomicLong lines = new AtomicLong();
    final AtomicReference<String> failure = new AtomicReference<>();
    private volatile boolean ended;

    IngestStream(String name, Promise<JsonObject> done) {
        this.name = name;
        this.done = done;
    }

    void issued() {
        issued.incrementAndGet();
    }

    void resolved(boolean ok) {
        if (!ok) {
            failedBatches.incrementAndGet();
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

    boolean failed() {
        return failure.get() != null;
    }

    private void checkDone() {
        if (ended && resolved.get() == issued.get()) {
            String f = failure.get();
            if (f != null) {
                done.tryFail(new IllegalStateException(name + ": " + f));
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
