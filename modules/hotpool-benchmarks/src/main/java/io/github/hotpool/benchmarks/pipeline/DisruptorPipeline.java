package io.github.hotpool.benchmarks.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.EventHandlerGroup;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.Ring;
import io.github.hotpool.core.RingOptions;
import io.github.hotpool.triples.Hook;
import java.util.List;
import java.util.function.Supplier;

/**
 * The guard's stage functions on an LMAX Disruptor: the Disruptor sequences and hands off, a
 * {@link DeltaRing} of the same size holds the rows, and a row's Δ-ring sequence is its
 * Disruptor sequence.
 *
 * <pre>
 *   producer (the calling thread)            handler threads (1, 2 or 3 groups, chained)
 *   frame 8 lines, next() = seq,             row.at(seq); load | reflex | emit (the group's steps);
 *   Δ claim = seq, parse into it,   ----->   every 64 rows and at a batch's end: Δ advance(group,
 *   Δ publish, Disruptor publish             seq + 1), then tell the Disruptor (sequence callback)
 * </pre>
 *
 * <p>The producer runs the pipeline source's work (framing with {@link RowLines}, parsing with
 * {@code RowTransform}); handler groups run {@code GuardSteps.load}, {@code reflex} and {@code
 * emit} (into an in-memory {@code ReceiptStore}, flushed every 64 rows and at each batch end):
 * {@code 1} group: load + reflex + emit on one thread (producer and one consumer: the machine's two
 * cores); {@code 2}: load + reflex, then emit; {@code 3}: one thread per step, like the pipeline's
 * three stages. Progress is passed on every 64 rows (the pipeline's span size) or at the end of
 * a Disruptor batch, whichever comes first. The Δ-ring's cursors and the Disruptor's sequences
 * move together: a group advances its Δ cursor before its Disruptor sequence, so when the
 * Disruptor hands the producer slot {@code seq}, Δ row {@code seq} is free (ring sizes equal).
 * A run returns once the last group passed every row; it waits for that by yielding. One run at
 * a time, on the thread that made the pipeline (the Δ-ring's owner).
 */
final class DisruptorPipeline implements AutoCloseable {

    /** Disruptor slots, and Δ-ring rows: the pipeline's ring capacity. */
    static final int RING = 1024;
    /** Rows a handler works through before it passes them on: the pipeline's span size. */
    static final int SPAN = 64;

    /** How the handler threads wait for rows. */
    enum Wait {
        BLOCKING(BlockingWaitStrategy::new),
        LITE_BLOCKING(LiteBlockingWaitStrategy::new),
        YIELDING(YieldingWaitStrategy::new),
        SLEEPING(SleepingWaitStrategy::new);

        private final Supplier<WaitStrategy> make;

        Wait(Supplier<WaitStrategy> make) {
            this.make = make;
        }
    }

    /** A Disruptor slot carries nothing: its row is the Δ-ring row of the same sequence. */
    static final class Slot {
    }

    private static final int LOAD = 1;
    private static final int REFLEX = 2;
    private static final int EMIT = 4;

    private final DeltaRing ring;
    private final GuardTables tables;
    private final RowLines lines;
    private final Disruptor<Slot> disruptor;
    private final RingBuffer<Slot> slots;

    /**
     * @param wait the handlers' wait strategy
     * @param groups handler threads: 1 (load + reflex + emit), 2 (load + reflex | emit) or 3 (load | reflex | emit)
     */
    DisruptorPipeline(List<Hook> hooks, Wait wait, int groups) {
        int[][] plan = switch (groups) {
            case 1 -> new int[][] {{LOAD | REFLEX | EMIT}};
            case 2 -> new int[][] {{LOAD | REFLEX}, {EMIT}};
            case 3 -> new int[][] {{LOAD}, {REFLEX}, {EMIT}};
            default -> throw new IllegalArgumentException("handler groups must be 1, 2 or 3: " + groups);
        };
        String[] names = new String[groups];
        for (int g = 0; g < groups; g++) {
            names[g] = "group" + g;
        }
        ring = new DeltaRing(new RingOptions().setName("disruptor").setCapacity(RING).chain(names));
        tables = new GuardTables(hooks, RING);
        lines = new RowLines(tables.maxLineLength);
        disruptor = new Disruptor<>(Slot::new, RING, DaemonThreadFactory.INSTANCE, ProducerType.SINGLE, wait.make.get());
        EventHandlerGroup<Slot> chain = null;
        for (int g = 0; g < groups; g++) {
            Steps h = new Steps(g, plan[g][0]);
            chain = chain == null ? disruptor.handleEventsWith(h) : chain.then(h);
        }
        slots = disruptor.start();
    }

    /** One handler group: its steps on each row, progress passed per span or batch end. */
    private final class Steps implements EventHandler<Slot> {
        private final int stage;
        private final int steps;
        private final DeltaRing.Row row;
        private Sequence callback;

        Steps(int stage, int steps) {
            this.stage = stage;
            this.steps = steps;
            this.row = ring.row(stage);
        }

        @Override
        public void setSequenceCallback(Sequence sequenceCallback) {
            this.callback = sequenceCallback;
        }

        @Override
        public void onEvent(Slot slot, long seq, boolean endOfBatch) {
            row.at(seq);
            if ((steps & LOAD) != 0) {
                tables.load(row);
            }
            if ((steps & REFLEX) != 0) {
                tables.reflex(row);
            }
            if ((steps & EMIT) != 0) {
                tables.emit(row);
                if (endOfBatch) {
                    tables.flush();
                }
            }
            if (endOfBatch || ((seq + 1) & (SPAN - 1)) == 0) {
                ring.advance(stage, seq + 1); // Δ cursor first: the Disruptor's sequence then frees the slot
                callback.set(seq);
            }
        }
    }

    /** Producer: runs {@code input} through the ring; the chain goes on from the last run. @return triples parsed */
    long run(byte[] input) {
        DeltaRing.Row produced = ring.row(Ring.PRODUCER);
        long triples = 0;
        long end = ring.claimed();
        lines.reset(input);
        while (lines.next()) {
            long seq = slots.next(); // waits (the Disruptor's way) while the slot's last reader is behind
            long row = ring.tryClaim(1);
            if (row != seq) {
                throw new IllegalStateException("Δ-ring claim " + row + " is not Disruptor sequence " + seq);
            }
            triples += tables.parse(lines, produced.at(seq));
            ring.publish(seq + 1);
            slots.publish(seq);
            end = seq + 1;
        }
        while (ring.gating() < end) {
            Thread.yield(); // the tail: at most one ring of rows still in the handlers
        }
        return triples;
    }

    /** After a run: seals the open cycle; @return the chain's head (hex). For checks. */
    String sealAndHead() {
        return tables.sealAndHead(); // the last group passed every row: its writes are visible (gating acquire)
    }

    long badLines() {
        return tables.badLines;
    }

    @Override
    public void close() {
        disruptor.shutdown();
    }
}
