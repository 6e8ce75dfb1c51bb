package io.github.hotpool.tripleguard;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.pipeline.Pipeline;
import io.github.hotpool.pipeline.PipelineStats;
import io.vertx.core.Vertx;
import java.io.PrintWriter;

/** A one-line progress bar on stderr (triples/s, pool occupancy), redrawn four times a second. Not thread-safe. */
final class Progress {

    /** Width of the bar between the brackets, in characters. */
    static final int BAR = 20;
    private static final Progress NONE = new Progress(null, -1, null);

    private final Vertx vertx;
    private final long timer;
    private final PrintWriter err;

    private Progress(Vertx vertx, long timer, PrintWriter err) {
        this.vertx = vertx;
        this.timer = timer;
        this.err = err;
    }

    /**
     * Whether to draw the bar for {@code --progress mode}: {@code auto} only when the JVM has a
     * console (stdin and stdout on a terminal), so pipes and CI logs get no carriage returns.
     *
     * @throws IllegalArgumentException for any other mode, naming it
     */
    static boolean show(String mode, boolean onTerminal) {
        switch (mode) {
            case "always": return true;
            case "never": return false;
            case "auto": return onTerminal;
            default: throw new IllegalArgumentException("--progress " + mode + " is not one of auto, always, never");
        }
    }

    /** One frame: {@code \r[####    ] pool IN/CAP  N triples  R triples/s}; the bar fills with occupancy. */
    static String render(int inUse, int capacity, long triples, double seconds) {
        int filled = capacity <= 0 ? 0 : Math.min(BAR, Math.max(0, BAR * inUse / capacity));
        long rate = (long) (triples / Math.max(1e-3, seconds));
        return "\r[" + "#".repeat(filled) + " ".repeat(BAR - filled) + "] pool " + inUse + "/" + capacity
            + "  " + triples + " triples  " + rate + " triples/s  ";
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
            err.print(render(s.soaInUse(), capacity, s.triples(), (System.nanoTime() - t0) / 1e9));
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
