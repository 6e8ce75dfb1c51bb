package io.github.hotpool.benchmarks.pipeline;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.Ring;
import io.github.hotpool.core.RingOptions;
import io.github.hotpool.triples.Hook;
import java.util.List;

/**
 * The guard's stage functions called one after another on one thread, no hand-off: the
 * single-core cost of the work. Per row: frame up to 8 lines ({@link RowLines}), claim a Δ-ring
 * row, parse into it ({@code RowTransform}), publish it, then {@code GuardSteps.load}, {@code
 * reflex} and {@code emit} (into an in-memory {@code ReceiptStore}, flushed every 64 rows as the
 * pipeline's Emit flushes per span) on the ring's one stage, and pass the row; next row. The
 * Δ-ring (16 rows, one stage) is only the rows' storage and sequence: a row is passed before the
 * next is claimed, so a claim never waits. Owner-thread only: the thread that made it.
 */
final class DirectPipeline {

    private static final int CAPACITY = 16;

    private final DeltaRing ring;
    private final GuardTables tables;
    private final RowLines lines;

    DirectPipeline(List<Hook> hooks) {
        ring = new DeltaRing(new RingOptions().setName("direct").setCapacity(CAPACITY).chain("steps"));
        tables = new GuardTables(hooks, CAPACITY);
        lines = new RowLines(tables.maxLineLength);
    }

    /** Runs {@code input} through the steps; the chain goes on from the last run. @return triples parsed */
    long run(byte[] input) {
        DeltaRing.Row produced = ring.row(Ring.PRODUCER);
        DeltaRing.Row row = ring.row(0);
        long triples = 0;
        lines.reset(input);
        while (lines.next()) {
            long seq = ring.tryClaim(1);
            if (seq == Ring.NO_ROOM) {
                throw new IllegalStateException("direct ring full at " + ring.claimed() + ": a row was not passed");
            }
            triples += tables.parse(lines, produced.at(seq));
            ring.publish(seq + 1);
            row.at(seq);
            tables.load(row);
            tables.reflex(row);
            tables.emit(row);
            ring.advance(0, seq + 1);
        }
        tables.flush();
        return triples;
    }

    /** Seals the open cycle; @return the chain's head (hex). For checks, after the last run. */
    String sealAndHead() {
        return tables.sealAndHead();
    }

    long badLines() {
        return tables.badLines;
    }
}
