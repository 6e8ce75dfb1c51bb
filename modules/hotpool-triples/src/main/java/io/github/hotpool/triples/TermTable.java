package io.github.hotpool.triples;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * Bounded id-to-term side table: remembers the canonical N-Triples text of recently parsed
 * terms so that an id can be named again (e.g. to say which subject fired a hook).
 *
 * <p>Direct-mapped: slot = {@code id & (slots - 1)}; a new term evicts whatever held its slot, so the
 * table never grows and its memory is fixed at construction ({@link #memoryBytes()}). Terms
 * longer than {@code maxTermBytes} keep only their first {@code maxTermBytes} bytes.
 *
 * <p>Thread-safety: one writer (the parser's thread) and any number of readers on other
 * threads. {@link #record} allocates nothing; {@link #name} allocates the returned String.
 */
public final class TermTable {

    /*
     * Each slot is a seqlock: the writer makes its version odd, writes id, length and bytes,
     * then makes it even again; a reader copies the slot and retries when the version was odd or
     * changed meanwhile. Readers therefore never see a torn term, and the writer never waits.
     */

    private static final VarHandle VERSION = MethodHandles.arrayElementVarHandle(long[].class);

    private final int mask;
    private final int maxTermBytes;
    private final long[] versions;
    private final long[] ids;
    private final int[] lengths;
    private final byte[] bytes;

    /**
     * A table of {@code slots} entries (a power of 2) of at most {@code maxTermBytes} each.
     */
    public TermTable(int slots, int maxTermBytes) {
        if (slots < 1 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a positive power of 2: slots=" + slots);
        }
        if (maxTermBytes < 8 || (long) slots * maxTermBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxTermBytes " + maxTermBytes
                    + " must be >= 8 and slots x maxTermBytes must fit an array (slots=" + slots + ")");
        }
        this.mask = slots - 1;
        this.maxTermBytes = maxTermBytes;
        this.versions = new long[slots];
        this.ids = new long[slots];
        this.lengths = new int[slots];
        this.bytes = new byte[slots * maxTermBytes];
    }

    /** A reader gives up (the name is then unknown) after this many tries at a slot being written. */
    static final int MAX_READ_TRIES = 1 << 16;

    /** Records canonical bytes {@code src[off, off + len)} for {@code id}; owner thread only. */
    public void record(long id, byte[] src, int off, int len) {
        int slot = (int) id & mask;
        if (ids[slot] == id && lengths[slot] == len) {
            return; // the same term again: the common case for predicates
        }
        long v = (long) VERSION.getOpaque(versions, slot);
        VERSION.setOpaque(versions, slot, v + 1);
        VarHandle.storeStoreFence();
        ids[slot] = id;
        lengths[slot] = len;
        System.arraycopy(src, off, bytes, slot * maxTermBytes, Math.min(len, maxTermBytes));
        VERSION.setRelease(versions, slot, v + 2);
    }

    /**
     * The canonical N-Triples text of {@code id}, or null when the table does not hold it
     * (never seen, or evicted, or its slot is being written for longer than a reader waits). A term cut to {@code maxTermBytes} ends with {@code "…"}.
     * Any thread; allocates the result.
     */
    public String name(long id) {
        byte[] copy = new byte[maxTermBytes];
        int n = read(id, copy);
        if (n == NOT_HELD) {
            return null;
        }
        boolean cut = n < 0;
        String text = new String(copy, 0, cut ? maxTermBytes : n, StandardCharsets.UTF_8);
        return cut ? text + "…" : text;
    }

    /** {@link #copyName}: the table does not hold the id. */
    public static final int NOT_HELD = Integer.MIN_VALUE;

    /**
     * Copies the canonical UTF-8 bytes of {@code id} into {@code dst}, allocation-free. Any thread.
     *
     * @param dst at least {@link #maxTermBytes()} bytes
     * @return the length copied; {@link #NOT_HELD}; or, for a term longer than {@code maxTermBytes},
     *     minus its full length (its first {@code maxTermBytes} bytes are copied)
     */
    public int copyName(long id, byte[] dst) {
        return read(id, dst);
    }

    /** @return the longest name kept, in bytes */
    public int maxTermBytes() {
        return maxTermBytes;
    }

    private int read(long id, byte[] copy) {
        int slot = (int) id & mask;
        for (int tries = 0; ; tries++) {
            if (tries == MAX_READ_TRIES) {
                return NOT_HELD; // a write that never ends (a writer died, or a second one broke the protocol): unknown
            }
            long v1 = (long) VERSION.getAcquire(versions, slot);
            if ((v1 & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            long storedId = ids[slot];
            int len = lengths[slot];
            int n = Math.min(len, maxTermBytes);
            System.arraycopy(bytes, slot * maxTermBytes, copy, 0, n);
            VarHandle.loadLoadFence();
            if ((long) VERSION.getOpaque(versions, slot) != v1) {
                continue;
            }
            if (storedId != id || v1 == 0) {
                return NOT_HELD;
            }
            return len > maxTermBytes ? -len : len;
        }
    }

    /** Number of slots. */
    public int slots() {
        return mask + 1;
    }

    /** Heap bytes held by the table's arrays (excluding object headers). */
    public long memoryBytes() {
        return (long) versions.length * 8 + ids.length * 8L + lengths.length * 4L + bytes.length;
    }
}
