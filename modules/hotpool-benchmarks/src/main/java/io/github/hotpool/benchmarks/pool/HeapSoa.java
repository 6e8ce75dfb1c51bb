package io.github.hotpool.benchmarks.pool;

import java.util.Arrays;

/**
 * The on-heap equivalent of one pooled SoA buffer, used by the anchor benchmarks: 3 x 8 ids,
 * a length and the predicate-run table, cleared on reuse like a Hotpool buffer is.
 */
final class HeapSoa {

    final long[] lanes = new long[24];
    final long[] runPredicates = new long[8];
    final byte[] runOffsets = new byte[8];
    final byte[] runLengths = new byte[8];
    int length;
    int runCount;
    /** Netty's recycler handle, when this object comes from a Recycler. */
    Object handle;

    /** Writes triple (id, id + 1, id + 2) into lane 0, as the Hotpool variant does; returns the subject read back. */
    long writeTriple(long id) {
        lanes[0] = id;
        lanes[8] = id + 1;
        lanes[16] = id + 2;
        return lanes[0];
    }

    HeapSoa clear() {
        Arrays.fill(lanes, 0L);
        length = 0;
        runCount = 0;
        return this;
    }
}
