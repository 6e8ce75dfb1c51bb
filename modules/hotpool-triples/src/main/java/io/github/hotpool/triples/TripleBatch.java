package io.github.hotpool.triples;

import io.github.hotpool.core.SoaLayout;

/**
 * Up to {@link SoaLayout#MAX_RUN_LEN} triples of term ids in input order, reused batch after
 * batch (plain heap arrays, allocated once); single-threaded, not thread-safe.
 */
public final class TripleBatch {

    final long[] s = new long[SoaLayout.MAX_RUN_LEN];
    final long[] p = new long[SoaLayout.MAX_RUN_LEN];
    final long[] o = new long[SoaLayout.MAX_RUN_LEN];
    /* the loader's scratch: the SoA row a load writes (S, P, O lines), built here and copied in one go */
    final long[] row = new long[3 * SoaLayout.MAX_RUN_LEN];
    /* the loader's scratch: the distinct predicates of the batch, in order of first appearance */
    final long[] groups = new long[SoaLayout.MAX_RUN_LEN];
    int size;

    /**
     * Appends a triple.
     *
     * @return true when the batch is now full
     * @throws IllegalStateException when it was full already
     */
    public boolean add(long subject, long predicate, long object) {
        if (size == SoaLayout.MAX_RUN_LEN) {
            throw new IllegalStateException("batch already holds MAX_RUN_LEN " + SoaLayout.MAX_RUN_LEN + " triples");
        }
        s[size] = subject;
        p[size] = predicate;
        o[size] = object;
        return ++size == SoaLayout.MAX_RUN_LEN;
    }

    /** Number of triples held, 0..8. */
    public int size() {
        return size;
    }

    /** Empties the batch. */
    public void clear() {
        size = 0;
    }

    /** Subject id of triple {@code i} (0..size-1). */
    public long subject(int i) {
        return s[check(i)];
    }

    /** Predicate id of triple {@code i}. */
    public long predicate(int i) {
        return p[check(i)];
    }

    /** Object id of triple {@code i}. */
    public long object(int i) {
        return o[check(i)];
    }

    private int check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("triple " + i + " outside [0, size " + size + ")");
        }
        return i;
    }
}
