package io.github.hotpool.triples;

import io.github.hotpool.core.SoaBuffer;

/**
 * The Load stage's kernel: writes a batch into a pooled SoA buffer grouped by predicate into
 * runs ({@code pred, off, len}). Stateless and thread-safe (the buffer is the caller's).
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
        buffer.clearRuns();
        final long[] s = batch.s;
        final long[] p = batch.p;
        final long[] o = batch.o;
        int placed = 0; // bit i set once triple i is written
        int lane = 0;
        for (int i = 0; i < n; i++) {
            if ((placed & 1 << i) != 0) {
                continue;
            }
            final long pred = p[i];
            final int off = lane;
            for (int j = i; j < n; j++) {
                if ((placed & 1 << j) == 0 && p[j] == pred) {
                    buffer.set(lane++, s[j], pred, o[j]);
                    placed |= 1 << j;
                }
            }
            buffer.addRun(pred, off, lane - off);
        }
        for (int k = n; k < capacity; k++) {
            buffer.set(k, 0L, 0L, 0L);
        }
        buffer.length(n);
        return buffer.runCount();
    }
}
