package io.github.hotpool.pipeline;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.SoaLayout;
import io.github.hotpool.pipeline.store.ReceiptStore;
import io.github.hotpool.triples.Hook;
import io.github.hotpool.triples.HookKernels;
import io.github.hotpool.triples.HookOp;
import io.github.hotpool.triples.Loader;
import io.github.hotpool.triples.TermTable;
import io.github.hotpool.triples.TripleBatch;
import java.util.List;

/**
 * The stage functions of the ring pipeline, one per stage after the source's
 * {@link RowTransform}: the stages of {@link GuardPipeline} call them, and so do the benchmarks
 * (a direct, single-threaded run and the Disruptor variant), so that every variant does the same
 * work. Stateless; each caller owns the scratch objects it passes. Allocation-free.
 */
public final class GuardSteps {

    private GuardSteps() {
    }

    /**
     * Load: regroups the row's lanes by predicate into runs ({@code pred, off, len}) in place.
     *
     * @param scratch the caller's batch, overwritten
     * @param row a row holding up to 8 triples in input order
     */
    public static void load(TripleBatch scratch, DeltaRing.Row row) {
        scratch.clear();
        for (int i = 0, n = row.length(); i < n; i++) {
            scratch.add(row.subject(i), row.predicate(i), row.object(i));
        }
        Loader.loadInto(scratch, row);
    }

    /**
     * Reflex: evaluates every hook on the run of its predicate in {@code row} and writes its receipt
     * {@code receipts[first + h]} (hook h, 0-based): cycle id = the row's sequence, shard 0, hook id;
     * a hook whose predicate is absent gets a cleared receipt (no {@code PREDICATE_MATCH} flag).
     *
     * @param runs beside each receipt, the run its hook was evaluated on ({@code off << 8 | len}, or -1)
     * @param scratch a buffer the row's lanes are copied into for the kernels
     * @param constructOut CONSTRUCT8's output buffer
     */
    public static void reflex(List<Hook> hooks, DeltaRing.Row row, Receipt[] receipts, int[] runs, int first,
                              SoaBuffer scratch, SoaBuffer constructOut) {
        reflex(hooks, row, receipts, runs, first, scratch, constructOut, 0);
    }

    /**
     * {@link #reflex(List, DeltaRing.Row, Receipt[], int[], int, SoaBuffer, SoaBuffer)} with batch
     * numbers that start at {@code firstBatch}: cycle id = {@code firstBatch} + the row's sequence
     * (a run that extends a chain numbers on from the chain's last batch).
     */
    public static void reflex(List<Hook> hooks, DeltaRing.Row row, Receipt[] receipts, int[] runs, int first,
                              SoaBuffer scratch, SoaBuffer constructOut, long firstBatch) {
        copy(row, scratch);
        long seq = firstBatch + row.sequence();
        for (int h = 0, n = hooks.size(); h < n; h++) { // indexed: the list's iterator would allocate
            Hook hook = hooks.get(h);
            Receipt r = receipts[first + h].clear().cycleId(seq).hookId(hook.id());
            int run = runOf(scratch, hook.predicate());
            runs[first + h] = run < 0 ? -1 : scratch.runOffset(run) << 8 | scratch.runLength(run);
            if (run < 0) {
                continue; // predicate absent from this row: the receipt stays unmatched and is not emitted
            }
            evaluate(hook, scratch, run, r, constructOut);
        }
    }

    /**
     * Runs {@code hook}'s kernel on run {@code run} of {@code b} into {@code r}: CONSTRUCT8 into
     * {@code constructOut} (emptied first), every other op by {@link HookKernels#eval}.
     */
    public static void evaluate(Hook hook, SoaBuffer b, int run, Receipt r, SoaBuffer constructOut) {
        if (hook.op() == HookOp.CONSTRUCT8) {
            constructOut.length(0);
            HookKernels.construct8(hook, b, run, constructOut, r);
        } else {
            HookKernels.eval(hook, b, run, r);
        }
    }

    /**
     * Emit: appends the receipts of {@code row} whose hook's predicate occurred to {@code store}
     * (with the live subjects of the run the hook fired on), in hook order.
     *
     * @param terms names of subject ids for the store's names file, or null
     * @return the receipts appended
     */
    public static int emit(ReceiptStore store, List<Hook> hooks, DeltaRing.Row row, Receipt[] receipts, int[] runs,
                           int first, TermTable terms) {
        int emitted = 0;
        for (int h = 0, n = hooks.size(); h < n; h++) {
            Receipt r = receipts[first + h];
            if ((r.flags() & HookKernels.FLAG_PREDICATE_MATCH) == 0) {
                continue;
            }
            Hook hook = hooks.get(h);
            store.beginReceipt(r, hook.name());
            if (r.result() != 0) {
                subjects(store, row, runs[first + h], terms);
            }
            store.endReceipt();
            emitted++;
        }
        return emitted;
    }

    /** Adds the live subjects of the run the hook fired on (their ids are chained; names go beside). */
    private static void subjects(ReceiptStore store, DeltaRing.Row row, int run, TermTable terms) {
        if (run < 0) {
            return;
        }
        for (int i = run >>> 8, end = i + (run & 0xFF); i < end; i++) {
            long s = row.subject(i);
            if (s != 0) {
                store.subject(s);
                if (terms != null) {
                    store.name(s, terms); // copied as bytes, and only when not written lately
                }
            }
        }
    }

    /** Copies a row's lanes, length and runs into a pool buffer, for the kernels' buffer API. */
    static void copy(DeltaRing.Row row, SoaBuffer b) {
        for (int i = 0; i < SoaLayout.MAX_RUN_LEN; i++) {
            b.set(i, row.subject(i), row.predicate(i), row.object(i));
        }
        b.length(row.length()).clearRuns();
        for (int r = 0, n = row.runCount(); r < n; r++) {
            b.addRun(row.runPredicate(r), row.runOffset(r), row.runLength(r));
        }
    }

    /** Runs have distinct predicates (Load groups by predicate), so at most one matches. */
    static int runOf(SoaBuffer b, long predicate) {
        for (int r = 0, n = b.runCount(); r < n; r++) {
            if (b.runPredicate(r) == predicate) {
                return r;
            }
        }
        return -1;
    }
}
