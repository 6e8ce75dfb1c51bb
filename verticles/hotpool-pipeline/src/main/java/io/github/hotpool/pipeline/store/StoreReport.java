package io.github.hotpool.pipeline.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How often each hook fired in an output directory, per lockchain cycle and in total, read from
 * {@code receipts.jsonl} line by line with the store's own strict receipt reader. Memory: one
 * counter per hook per cycle that has receipts. It does not check the chain;
 * {@link StoreVerifier} does. Stateless, thread-safe.
 */
public final class StoreReport {

    /**
     * One hook's totals.
     *
     * @param hookId the hook's id in the receipts
     * @param hook its name (null when the receipts carry none)
     * @param receipts receipts it has: runs of its predicate it was evaluated on
     * @param fired receipts whose result is not 0
     */
    public record HookCount(int hookId, String hook, long receipts, long fired) {
    }

    /**
     * One chain cycle that has receipts.
     *
     * @param chainCycle the cycle ({@code chainCycle} of its receipts)
     * @param receipts its receipts
     * @param fired fired receipts by hook id (hooks that did not fire in it are absent)
     */
    public record CycleCount(long chainCycle, long receipts, Map<Integer, Long> fired) {

        /** Fired receipts of hook {@code hookId} in this cycle. */
        public long firedBy(int hookId) {
            return fired.getOrDefault(hookId, 0L);
        }
    }

    /**
     * A directory's counts.
     *
     * @param receipts receipt lines read
     * @param hooks one entry per hook that has a receipt, by hook id
     * @param cycles one entry per chain cycle that has a receipt, in order
     * @param torn true when the file ends in a line without a line break (a torn write, not counted)
     */
    public record Tally(long receipts, List<HookCount> hooks, List<CycleCount> cycles, boolean torn) {
    }

    private StoreReport() {
    }

    /**
     * Counts the receipts in {@code dir}.
     *
     * @throws IOException when the file cannot be read
     * @throws StoreException naming the line when a line is not a receipt this store writes, or
     *     its cycle comes before the previous line's
     */
    public static Tally tally(Path dir) throws IOException {
        Path file = dir.resolve(ReceiptStore.RECEIPTS);
        Map<Integer, long[]> hooks = new TreeMap<>(); // id -> {receipts, fired}
        Map<Integer, String> names = new TreeMap<>();
        List<CycleCount> cycles = new ArrayList<>();
        ReceiptLine line = new ReceiptLine();
        long receipts = 0;
        boolean torn = false;
        long cycle = -1;
        long cycleReceipts = 0;
        Map<Integer, Long> fired = new TreeMap<>();
        // as verify does: the receipts the checkpoint counts as durable, not bytes a crash left past
        // them (never acknowledged; the next run cuts them) or a live run has not checkpointed yet
        long limit = Long.MAX_VALUE;
        Path cpFile = dir.resolve(ReceiptStore.CHECKPOINT);
        if (Files.isRegularFile(cpFile)) {
            try (var ch = java.nio.channels.FileChannel.open(cpFile)) {
                Checkpoint cp = Checkpoint.read(ch, ReceiptStore.CHECKPOINT);
                if (cp != null) {
                    limit = cp.receiptsBytes();
                }
            }
        }
        try (InputStream in = Files.exists(file) ? Files.newInputStream(file) : InputStream.nullInputStream();
             LineReader r = new LineReader(in, ReceiptStore.RECEIPTS, ReceiptStore.MAX_LINE, limit)) {
            while (r.next()) {
                if (!r.terminated()) {
                    torn = true;
                    break;
                }
                try {
                    line.parse(r.line, 0, r.length);
                } catch (IllegalArgumentException e) {
                    throw new StoreException(ReceiptStore.RECEIPTS + " line " + r.number + ": not a receipt: "
                        + e.getMessage());
                }
                if (line.chainCycle < cycle) {
                    throw new StoreException(ReceiptStore.RECEIPTS + " line " + r.number + ": chainCycle "
                        + line.chainCycle + " follows cycle " + cycle + " (reordered)");
                }
                if (line.chainCycle != cycle) {
                    if (cycle >= 0) {
                        cycles.add(new CycleCount(cycle, cycleReceipts, Collections.unmodifiableMap(fired)));
                    }
                    cycle = line.chainCycle;
                    cycleReceipts = 0;
                    fired = new TreeMap<>();
                }
                long[] h = hooks.computeIfAbsent(line.hookId, id -> new long[2]);
                names.putIfAbsent(line.hookId, line.hook);
                h[0]++;
                if (line.result != 0) {
                    h[1]++;
                    fired.merge(line.hookId, 1L, Long::sum);
                }
                cycleReceipts++;
                receipts++;
            }
        }
        if (cycle >= 0) {
            cycles.add(new CycleCount(cycle, cycleReceipts, Collections.unmodifiableMap(fired)));
        }
        List<HookCount> counts = new ArrayList<>(hooks.size());
        hooks.forEach((id, h) -> counts.add(new HookCount(id, names.get(id), h[0], h[1])));
        return new Tally(receipts, Collections.unmodifiableList(counts), Collections.unmodifiableList(cycles), torn);
    }
}
