package io.github.hotpool.tripleguard;

import io.github.hotpool.pipeline.GuardPipeline;
import io.github.hotpool.pipeline.GuardStats;
import io.github.hotpool.pipeline.Pipeline;
import io.github.hotpool.pipeline.PipelineStats;
import io.github.hotpool.pipeline.ReceiptPipeline;
import java.util.List;
import java.util.function.Supplier;

/**
 * What {@code run} drives: the ring pipeline ({@link GuardPipeline}: files, stdin, the bundled data,
 * HTTP and TCP) or, with {@code --engine handles}, the handle pipeline ({@link Pipeline}: files,
 * stdin and the bundled data), through their common
 * {@link ReceiptPipeline} face, with the counters a summary line and the progress bar show.
 *
 * @param pipeline the pipeline
 * @param counts a snapshot of its counters, on any thread
 */
record Engine(ReceiptPipeline pipeline, Supplier<Counts> counts) {

    /**
     * The counters a summary line shows.
     *
     * @param bytesRead input bytes read, or -1 when the pipeline does not count them
     * @param inFlight rows (ring) or handles (handle pipeline) in flight
     */
    record Counts(long triples, long batches, long receipts, long failed, long badLines, long bytesRead,
                  long inFlight, List<String> recentErrors) {
    }

    /** The ring pipeline. */
    static Engine of(GuardPipeline p) {
        return new Engine(p, () -> {
            GuardStats s = p.stats();
            return new Counts(s.triples(), s.rows(), s.receipts(), s.failedRows(), s.badLines(), s.bytesRead(),
                s.rowsInFlight(), s.recentErrors());
        });
    }

    /** The handle pipeline. */
    static Engine of(Pipeline p) {
        return new Engine(p, () -> {
            PipelineStats s = p.stats();
            return new Counts(s.triples(), s.batches(), s.receipts(), s.failed(), s.badLines(), -1, s.soaInUse(),
                s.recentErrors());
        });
    }
}
