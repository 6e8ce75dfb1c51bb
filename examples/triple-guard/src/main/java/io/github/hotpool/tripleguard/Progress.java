package io.github.hotpool.tripleguard;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.pipeline.Pipeline;
import io.github.hotpool.pipeline.PipelineStats;
import io.vertx.core.Vertx;
import java.io.PrintWriter;

/** A one-line progress bar on stderr (triples/s, pool occupancy), redrawn four times a second. Not thread-safe. */
final class Progress {

    private static final Progress NONE = new Progress(null, -1, null);

    private final Vertx vertx;
    private final long timer;
    private final PrintWriter err;

    private Progress(Vertx vertx, long timer, PrintWriter err) {
        this.vertx = vertx;
        this.timer = timer;
        this.err = err;
    }

    static Progress start(Vertx vertx, Pipeline p, PrintWriter err, boolean show) {
        if (!show) {
            return NONE;
        }
        long t0 = System.nanoTime();
        long timer = vertx.setPeriodic(250, id -> {
            PipelineStats s = p.stats();
            int capacity = 0;
            for (BufferPool pool : p.pools()) {
                capacity += pool.options().getSoaBuffers();
            }
            double secs = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
            int filled = capacity == 0 ? 0 : 20 * s.soaInUse() / capacity;
            err.print("\r[" + "#".repeat(filled) + " ".repeat(20 - filled) + "] pool " + s.soaInUse() + "/" + capacity
                + "  " + s.triples() + " triples  " + (long) (s.triples() / secs) + " triples/s  ");
            err.flush();
        });
        return new Progress(vertx, timer, err);
    }

    void stop() {
        if (vertx != null) {
            vertx.cancelTimer(timer);
            err.print("\r" + " ".repeat(78) + "\r");
            err.flush();
        }
    }
}
