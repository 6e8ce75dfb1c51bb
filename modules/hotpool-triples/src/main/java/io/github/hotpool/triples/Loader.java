package io.github.hotpool.triples;

import static io.github.hotpool.core.SoaLayout.MAX_RUN_LEN;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.SoaLayout;

import io.github.hotpool.core.SoaBuffer;

/**
 * The Load stage's kernel: writes a batch into a pooled SoA buffer grouped by predicate into
 * runs ({@code pred, off, len}). Stateless and thread-safe (the buffer is the caller's, and so is
 * the batch, whose scratch row a load into a buffer writes).
 */
public final class Loader {

    private Loader() {
    }

    /**
     * Writes {@code batch} into {@code buffer}: triples with the same predicate become one run,
     * runs appear in the order their predicate first appears, and triples keep their input
     * order inside a run. Sets the buffer's length to the batch size, replaces its runs and
     * zeroes the lanes past the batch. Allocates nothing.
     *
     * @return the number of runs written
     * @throws IllegalArgumentException when the batch is larger than the buffer's capacity
     */
    public static int loadInto(TripleBatch batch, SoaBuffer buffer) {
        final int n = batch.size;
        final int capacity = buffer.capacity();
        if (n > capacity) {
            throw new IllegalArgumentException(
                    "batch of " + n + " triples exceeds SoA buffer capacity " + capacity);
        }
        final long plan = plan(batch);
        buffer.clearRuns();
        // the whole row is built in the batch's heap scratch, then copied into the buffer at once:
        // one bounds check and one bulk copy instead of a checked store per lane and line
        final long[] row = batch.row;
        int off = 0;
        for (int lane = 0; lane < n; lane++) {
            int i = source(plan, lane);
            row[lane] = batch.s[i];
            row[MAX_RUN_LEN + lane] = batch.p[i];
            row[2 * MAX_RUN_LEN + lane] = batch.o[i];
            if (lane + 1 == n || runStartsAt(plan, lane + 1)) {
                buffer.addRun(batch.p[source(plan, off)], off, lane + 1 - off);
                off = lane + 1;
            }
        }
        for (int k = n; k < MAX_RUN_LEN; k++) {
            row[k] = 0L;
            row[MAX_RUN_LEN + k] = 0L;
            row[2 * MAX_RUN_LEN + k] = 0L;
        }
        buffer.setRow(row);
        buffer.length(n);
        return buffer.runCount();
    }

    /**
     * The same as {@link #loadInto(TripleBatch, SoaBuffer)}, into a Δ-ring row (which always has
     * room for {@link SoaLayout#MAX_RUN_LEN} triples). Allocates nothing.
     *
     * @param batch at most 8 triples
     * @param row the holder's view, positioned at the row
     * @return the number of runs written
     * @throws IllegalArgumentException when the batch holds more than 8 triples
     */
    public static int loadInto(TripleBatch batch, DeltaRing.Row row) {
        final int n = batch.size;
        if (n > SoaLayout.MAX_RUN_LEN) {
            throw new IllegalArgumentException(
                    "batch of " + n + " triples exceeds a ring row's " + SoaLayout.MAX_RUN_LEN + " lanes");
        }
        final long plan = plan(batch);
        row.clearRuns();
        int off = 0;
        for (int lane = 0; lane < n; lane++) {
            int i = source(plan, lane);
            row.set(lane, batch.s[i], batch.p[i], batch.o[i]);
            if (lane + 1 == n || runStartsAt(plan, lane + 1)) {
                row.addRun(batch.p[source(plan, off)], off, lane + 1 - off);
                off = lane + 1;
            }
        }
        for (int k = n; k < SoaLayout.MAX_RUN_LEN; k++) {
            row.set(k, 0L, 0L, 0L);
        }
        row.length(n);
        return row.runCount();
    }

    /*
     * The grouping, computed once for both targets and packed in a long so that it allocates
     * nothing: bits 4k..4k+3 name the batch index that goes to lane k (lanes 0..7, 32 bits), and
     * bit 32 + k is set when a new run starts at lane k. Runs appear in the order their predicate
     * first appears; triples keep their input order inside a run.
     */
    private static long plan(TripleBatch batch) {
        final int n = batch.size;
        final long[] p = batch.p;
        final long[] groups = batch.groups;
        // one pass over the triples: each joins the group of its predicate (groups in order of
        // first appearance, a short search over the few distinct predicates a batch has), its bit
        // set in that group's byte of `members`; then the lanes are dealt out group by group.
        // Against the pairwise scan this replaced (each unplaced triple against every later one),
        // LoadBenchmark.loadInto measured 8-18 % less per batch for 1, 3 and 8 predicates, inside
        // the error bars (docs/benchmarks.md); the loops' branches, not the compares, dominate.
        long members = 0;
        int count = 0;
        for (int i = 0; i < n; i++) {
            final long pred = p[i];
            int g = 0;
            while (g < count && groups[g] != pred) {
                g++;
            }
            if (g == count) {
                groups[count++] = pred;
            }
            members |= 1L << (8 * g + i);
        }
        long plan = 0;
        int lane = 0;
        for (int g = 0; g < count; g++) {
            plan |= 1L << (32 + lane);
            for (int m = (int) (members >>> (8 * g)) & 0xFF; m != 0; m &= m - 1) {
                plan |= (long) Integer.numberOfTrailingZeros(m) << (4 * lane++);
            }
        }
        return plan;
    }

    private static int source(long plan, int lane) {
        return (int) (plan >>> (4 * lane)) & 0xF;
    }

    private static boolean runStartsAt(long plan, int lane) {
        return (plan & 1L << (32 + lane)) != 0;
    }
}
