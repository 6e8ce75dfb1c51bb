package io.github.hotpool.core;

import java.nio.ByteBuffer;

/**
 * An aligned off-heap slab of SoA rows ({@link SoaLayout}) or receipt lines ({@link
 * ReceiptLayout}), read and written in native byte order through the fastest lane-access path of
 * the running JDK; this is what kernels read lanes through.
 *
 * <p>This is the Java 17 build of the class: every access goes through the slab's direct {@link
 * ByteBuffer}, which checks each index. {@code hotpool-core} is a multi-release jar: on Java 22
 * and newer, when the jar was built on JDK 22 or newer, the JVM loads a second build of this class
 * from {@code META-INF/versions/22} that reads the same memory through a {@code MemorySegment}
 * created once per slab (the FFM API, final in Java 22). Both builds have this public API;
 * {@link #accessPath()} says which one is running. Neither uses {@code sun.misc.Unsafe}.
 *
 * <p>Offsets are bytes from the slab's start; every access is bounds-checked by the JDK (an
 * access outside {@code [0, byteSize())} throws {@link IndexOutOfBoundsException}). Hotpool's own
 * lease and lane checks ({@code -Dhotpool.checks}) live in {@link SoaBuffer} and {@link Receipt},
 * not here.
 *
 * <p>Thread-safety: the object is immutable and may be shared; the memory behind it has no
 * synchronisation of its own. As with a pooled buffer, one thread works on a region at a time and
 * handing a region to another thread must happen-before that thread reads it.
 */
public final class Slab {

    private static final String PATH = "ByteBuffer";
    private static final byte[] ZEROS = new byte[SoaLayout.BUFFER_LENGTH];

    private final ByteBuffer buffer;

    Slab(ByteBuffer aligned) {
        this.buffer = aligned;
    }

    /**
     * Allocates a zeroed slab of {@code bytes} bytes whose first byte is 64-byte aligned.
     * The memory is freed when the slab (and every view of it) becomes unreachable.
     *
     * @param bytes size in bytes, 0 .. {@link Integer#MAX_VALUE} - 126
     * @return the slab
     * @throws IllegalArgumentException if {@code bytes} is negative or too large
     */
    public static Slab allocate(long bytes) {
        return new Slab(AlignedMemory.allocate(bytes, "Slab.allocate(" + bytes + ")"));
    }

    /**
     * The lane-access path of this build of the class, fixed when the class is loaded.
     *
     * @return {@code "ByteBuffer"} (this build) or {@code "MemorySegment"} (the Java 22 build)
     */
    public static String accessPath() {
        return PATH;
    }

    /** @param offset byte offset @return the 64-bit value at {@code offset} */
    public long getLong(int offset) {
        return buffer.getLong(offset);
    }

    /** @param offset byte offset @param value the 64-bit value to store at {@code offset} */
    public void putLong(int offset, long value) {
        buffer.putLong(offset, value);
    }

    /** @param offset byte offset @return the 32-bit value at {@code offset} */
    public int getInt(int offset) {
        return buffer.getInt(offset);
    }

    /** @param offset byte offset @param value the 32-bit value to store at {@code offset} */
    public void putInt(int offset, int value) {
        buffer.putInt(offset, value);
    }

    /** @return the slab's length in bytes */
    public int byteSize() {
        return buffer.capacity();
    }

    /** @return the same memory as a direct, native-order {@link ByteBuffer} (shared, not a copy) */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Zeroes {@code [offset, offset + length)}: a bounds check and a bulk copy per 192 bytes. */
    void zero(int offset, int length) {
        for (int done = 0; done < length; done += ZEROS.length) {
            buffer.put(offset + done, ZEROS, 0, Math.min(ZEROS.length, length - done));
        }
    }

    // ------------------------------------------------------------------ line scans and records

    /*
     * A lane line is the 64-byte line of 8 lanes at a multiple of 64 (SoaLayout); bit j of a
     * scan's answer stands for lane j. Each scan reads the whole line with no loop and no branch
     * (eight loads, unrolled by hand) and leaves the lane tests to LaneBits.
     */

    /**
     * Scans one lane line for live lanes and for one id.
     *
     * @param line byte offset of the line, a multiple of 64
     * @param value the id to compare with
     * @return lanes that are not 0 in bits 0-7, lanes equal to {@code value} in bits 8-15
     */
    public int liveAndEqualLanes(int line, long value) {
        final ByteBuffer b = buffer;
        final long l0 = b.getLong(line), l1 = b.getLong(line + 8), l2 = b.getLong(line + 16), l3 = b.getLong(line + 24);
        final long l4 = b.getLong(line + 32), l5 = b.getLong(line + 40), l6 = b.getLong(line + 48), l7 = b.getLong(line + 56);
        return LaneBits.nonZero(l0, l1, l2, l3, l4, l5, l6, l7) | LaneBits.equal(value, l0, l1, l2, l3, l4, l5, l6, l7) << 8;
    }

    /**
     * @param line byte offset of a lane line, a multiple of 64
     * @return its lanes that are not 0 (bit j = lane j)
     */
    public int nonZeroLanes(int line) {
        final ByteBuffer b = buffer;
        final long l0 = b.getLong(line), l1 = b.getLong(line + 8), l2 = b.getLong(line + 16), l3 = b.getLong(line + 24);
        final long l4 = b.getLong(line + 32), l5 = b.getLong(line + 40), l6 = b.getLong(line + 48), l7 = b.getLong(line + 56);
        return LaneBits.nonZero(l0, l1, l2, l3, l4, l5, l6, l7);
    }

    /**
     * @param line byte offset of a lane line, a multiple of 64
     * @param value the id to compare with
     * @return its lanes equal to {@code value} (bit j = lane j)
     */
    public int equalLanes(int line, long value) {
        final ByteBuffer b = buffer;
        final long l0 = b.getLong(line), l1 = b.getLong(line + 8), l2 = b.getLong(line + 16), l3 = b.getLong(line + 24);
        final long l4 = b.getLong(line + 32), l5 = b.getLong(line + 40), l6 = b.getLong(line + 48), l7 = b.getLong(line + 56);
        return LaneBits.equal(value, l0, l1, l2, l3, l4, l5, l6, l7);
    }

    /**
     * @param line byte offset of a lane line, a multiple of 64
     * @param value the id to compare with, unsigned
     * @return its lanes greater than {@code value} as unsigned 64-bit values (bit j = lane j)
     */
    public int aboveLanes(int line, long value) {
        final ByteBuffer b = buffer;
        final long l0 = b.getLong(line), l1 = b.getLong(line + 8), l2 = b.getLong(line + 16), l3 = b.getLong(line + 24);
        final long l4 = b.getLong(line + 32), l5 = b.getLong(line + 40), l6 = b.getLong(line + 48), l7 = b.getLong(line + 56);
        return LaneBits.beyond(value, true, l0, l1, l2, l3, l4, l5, l6, l7);
    }

    /**
     * @param line byte offset of a lane line, a multiple of 64
     * @param value the id to compare with, unsigned
     * @return its lanes less than {@code value} as unsigned 64-bit values (bit j = lane j)
     */
    public int belowLanes(int line, long value) {
        final ByteBuffer b = buffer;
        final long l0 = b.getLong(line), l1 = b.getLong(line + 8), l2 = b.getLong(line + 16), l3 = b.getLong(line + 24);
        final long l4 = b.getLong(line + 32), l5 = b.getLong(line + 40), l6 = b.getLong(line + 48), l7 = b.getLong(line + 56);
        return LaneBits.beyond(value, false, l0, l1, l2, l3, l4, l5, l6, l7);
    }

    /**
     * Writes a whole SoA row at {@code row} ({@link SoaLayout}): lane {@code j} gets the triple
     * (subject lane {@code j} of the line at {@code subjectLine} of {@code subjects}, {@code
     * predicate}, {@code object}) when {@code mask} selects it, and zeros (an empty lane) when it
     * does not; with no branch per lane. This is how CONSTRUCT8 writes a run's triples.
     *
     * @param row byte offset of the target row, a multiple of 64
     * @param subjects the slab holding the subjects (may be this one; the lines must not overlap)
     * @param subjectLine byte offset of the subject line, a multiple of 64
     * @param mask lanes to fill (bit j = lane j); bits above 7 are ignored
     * @param predicate the predicate id of every filled lane
     * @param object the object id of every filled lane
     */
    public void putTriples(int row, Slab subjects, int subjectLine, int mask, long predicate, long object) {
        for (int j = 0; j < SoaLayout.MAX_RUN_LEN; j++) {
            final long on = -(long) (mask >>> j & 1); // all ones or all zeros: a select without a branch
            final int at = j * SoaLayout.LANE_BYTES;
            buffer.putLong(row + SoaLayout.S_OFFSET + at, subjects.buffer.getLong(subjectLine + at) & on);
            buffer.putLong(row + SoaLayout.P_OFFSET + at, predicate & on);
            buffer.putLong(row + SoaLayout.O_OFFSET + at, object & on);
        }
    }

    /**
     * Writes what a hook kernel owns in the receipt line at {@code line} ({@link ReceiptLayout}):
     * cycleId, hookId, lanes, flags, spanId, aHash and result; shardId, ticks and actualTicks keep
     * their values.
     *
     * @param line byte offset of the receipt line, a multiple of 64
     */
    public void putReceipt(int line, long cycleId, int hookId, int lanes, int flags, long spanId, long aHash,
                           long result) {
        buffer.putLong(line + ReceiptLayout.CYCLE_ID_OFFSET, cycleId);
        putKernelFields(line, hookId, lanes, flags, spanId, aHash, result);
    }

    /** Receipt.record's stores: the kernel's fields of one receipt line, cycleId aside. */
    void putKernelFields(int line, int hookId, int lanes, int flags, long spanId, long aHash, long result) {
        buffer.putInt(line + ReceiptLayout.HOOK_ID_OFFSET, hookId);
        buffer.putInt(line + ReceiptLayout.LANES_OFFSET, lanes);
        buffer.putInt(line + ReceiptLayout.FLAGS_OFFSET, flags);
        buffer.putLong(line + ReceiptLayout.SPAN_ID_OFFSET, spanId);
        buffer.putLong(line + ReceiptLayout.A_HASH_OFFSET, aHash);
        buffer.putLong(line + ReceiptLayout.RESULT_OFFSET, result);
    }

    /**
     * Writes one triple into lane {@code lane} of the SoA row at {@code row} ({@link SoaLayout}).
     *
     * @param row byte offset of the row, a multiple of 64
     * @param lane 0..7
     */
    void putTriple(int row, int lane, long s, long p, long o) {
        final int at = lane * SoaLayout.LANE_BYTES;
        buffer.putLong(row + SoaLayout.S_OFFSET + at, s);
        buffer.putLong(row + SoaLayout.P_OFFSET + at, p);
        buffer.putLong(row + SoaLayout.O_OFFSET + at, o);
    }

    @Override
    public String toString() {
        return "Slab[" + PATH + ", " + byteSize() + " bytes]";
    }
}
