package io.github.hotpool.tripleguard;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.pipeline.Pipeline;
import io.github.hotpool.pipeline.PipelineStats;
import io.vertx.core.Vertx;
import java.io.PrintWriter;

/** A one-line progress bar on stderr (bytes read of the input, rate, ETA, rows in flight), redrawn four times a second. Not thread-safe. */
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

    /**
     * One frame. With a known input size: {@code \r[####    ] 42%  N MB/M MB  R MB/s  ETA 3s  T triples
     * in flight F}, the bar filling with the bytes read; otherwise a spinner, the triples and their rate.
     */
    static String render(long bytesRead, long size, long triples, long inFlight, double seconds, int frame) {
        double s = Math.max(1e-3, seconds);
        long rate = (long) (triples / s);
        if (size > 0 && bytesRead >= 0) {
            long done = Math.min(bytesRead, size);
            int filled = (int) Math.min(BAR, BAR * done / size);
            double mbps = done / s / 1e6;
            long eta = done == 0 ? -1 : (long) Math.ceil((size - done) / (done / s));
            return "\r[" + "#".repeat(filled) + " ".repeat(BAR - filled) + "] " + (100 * done / size) + "%  "
                + mb(done) + "/" + mb(size) + " MB  " + String.format(java.util.Locale.ROOT, "%.1f", mbps) + " MB/s  ETA "
                + (eta < 0 ? "?" : eta + "s") + "  " + triples + " triples  in flight " + inFlight + "  ";
        }
        return "\r" + "|/-\\".charAt(frame & 3) + " " + triples + " triples  " + rate + " triples/s  in flight "
            + inFlight + "  ";
    }

    private static long mb(long bytes) {
        return bytes / 1_000_000;
    }

    /** @param size the input's size in bytes, or -1 when unknown (a spinner then) */
    static Progress start(Vertx vertx, Engine p, long size, PrintWriter err, boolean show) {
        if (!show) {
            return NONE;
        }
        long t0 = System.nanoTime();
        int[] frame = {0};
        long timer = vertx.setPeriodic(250, id -> {
            Engine.Counts c = p.counts().get();
            err.print(render(c.bytesRead(), size, c.triples(), c.inFlight(), (System.nanoTime() - t0) / 1e9, frame[0]++));
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
