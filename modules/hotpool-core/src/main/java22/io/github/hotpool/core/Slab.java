package io.github.hotpool.core;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/**
 * An aligned off-heap slab of SoA rows ({@link SoaLayout}) or receipt lines ({@link
 * ReceiptLayout}), read and written in native byte order through the fastest lane-access path of
 * the running JDK; this is what kernels read lanes through.
 *
 * <p>This is the Java 22 build of the class, which the JVM loads from the multi-release jar's
 * {@code META-INF/versions/22} on Java 22 and newer: every access goes through a {@code
 * MemorySegment} (the FFM API, final in Java 22) made once per slab, with {@code
 * MemorySegment.ofBuffer}, over the same aligned memory as the slab's direct {@link ByteBuffer}.
 * The segment still checks bounds and liveness, but the JIT hoists and folds those checks where a
 * {@code ByteBuffer} pays them on every access. On Java 17 to 21 the base build of this class uses
 * the {@code ByteBuffer}; both builds have this public API, and {@link #accessPath()} says which
 * one is running. Neither uses {@code sun.misc.Unsafe}.
 *
 * <p>Offsets are bytes from the slab's start; every access is bounds-checked by the JDK (an
 * access outside {@code [0, byteSize())} throws {@link IndexOutOfBoundsException}). The line
 * operations ({@link #liveAndEqualLanes}, {@link #putTriples}, {@link #putReceipt} and the other
 * scans) work on whole lane lines, SoA rows or receipt lines, whose offsets are multiples of 64. Hotpool's own
 * lease and lane checks ({@code -Dhotpool.checks}) live in {@link SoaBuffer} and {@link Receipt},
 * not here.
 *
 * <p>Thread-safety: the object is immutable and may be shared; the memory behind it has no
 * synchronisation of its own. As with a pooled buffer, one thread works on a region at a time and
 * handing a region to another thread must happen-before that thread reads it.
 */
public final class Slab {

    private static final String PATH = "MemorySegment";

    /*
     * Unaligned layouts on purpose: every Hotpool field sits at a multiple of its size in a
     * 64-byte-aligned slab (LayoutTest proves it), so the aligned layouts' per-access alignment
     * check would only repeat that proof, and measured slower in the kernels.
     */
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final MemorySegment ZEROS = MemorySegment.ofArray(new byte[SoaLayout.CACHE_LINE_LENGTH]);

    private final ByteBuffer buffer;
    private final MemorySegment segment;

    Slab(ByteBuffer aligned) {
        this.buffer = aligned;
        this.segment = MemorySegment.ofBuffer(aligned);
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
     * @return {@code "MemorySegment"} (this build) or {@code "ByteBuffer"} (the Java 17 build)
     */
    public static String accessPath() {
        return PATH;
    }

    /** @param offset byte offset @return the 64-bit value at {@code offset} */
    public long getLong(int offset) {
        return segment.get(LONG, offset);
    }

    /** @param offset byte offset @param value the 64-bit value to store at {@code offset} */
    public void putLong(int offset, long value) {
        segment.set(LONG, offset, value);
    }

    /** @param offset byte offset @return the 32-bit value at {@code offset} */
    public int getInt(int offset) {
        return segment.get(INT, offset);
    }

    /** @param offset byte offset @param value the 32-bit value to store at {@code offset} */
    public void putInt(int offset, int value) {
        segment.set(INT, offset, value);
    }

    /** @return the slab's length in bytes */
    public int byteSize() {
        return buffer.capacity();
    }

    /** @return the same memory as a direct, native-order {@link ByteBuffer} (shared, not a copy) */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Zeroes {@code [offset, offset + length)}: a bulk copy per 64 bytes, no allocation at any JIT tier. */
    void zero(int offset, int length) {
        for (int done = 0; done < length; done += SoaLayout.CACHE_LINE_LENGTH) {
            MemorySegment.copy(ZEROS, 0, segment, offset + done, Math.min(SoaLayout.CACHE_LINE_LENGTH, length - done));
        }
    }

    // ------------------------------------------------------------------ line scans and records

    /*
     * A lane line is the 64-byte line of 8 lanes at a multiple of 64 (SoaLayout); bit j of a
     * scan's answer stands for lane j. Each scan reads the whole line with no loop and no branch
     * (eight loads, unrolled by hand) and leaves the lane tests to LaneBits. Line and row
     * offsets must be multiples of 64 (an IllegalArgumentException says so otherwise).
     *
     * Each access goes through a slice of the slab's segment, made in the method that uses it and
     * never escaping it, so that C2's escape analysis replaces the slice by its fields: the
     * accesses sit at constant offsets in a segment of constant length, their bounds checks fold
     * away, and what is left is one check per line. Until C2 has compiled such a method (the
     * interpreter and C1 do no escape analysis), each call allocates its slice, about 40 bytes;
     * the zero-allocation tests measure the steady state, as they always have. Reading the slab's
     * segment at eight computed offsets instead measured about twice as slow as a ByteBuffer on
     * Temurin 25.
     */

    /**
     * Scans one lane line for live lanes and for one id.
     *
     * @param line byte offset of the line, a multiple of 64
     * @param value the id to compare with
     * @return lanes that are not 0 in bits 0-7, lanes equal to {@code value} in bits 8-15
     */
    public int liveAndEqualLanes(int line, long value) {
        checkLine(line);
        final MemorySegment l = segment.asSlice(line, SoaLayout.LANE_LENGTH);
        final long l0 = l.get(LONG, 0), l1 = l.get(LONG, 8), l2 = l.get(LONG, 16), l3 = l.get(LONG, 24);
        final long l4 = l.get(LONG, 32), l5 = l.get(LONG, 40), l6 = l.get(LONG, 48), l7 = l.get(LONG, 56);
        return LaneBits.nonZero(l0, l1, l2, l3, l4, l5, l6, l7)
            | LaneBits.equal(value, l0, l1, l2, l3, l4, l5, l6, l7) << 8;
    }

    /**
     * @param line byte offset of a lane line, a multiple of 64
     * @return its lanes that are not 0 (bit j = lane j)
     */
    public int nonZeroLanes(int line) {
        checkLine(line);
        final MemorySegment l = segment.asSlice(line, SoaLayout.LANE_LENGTH);
        final long l0 = l.get(LONG, 0), l1 = l.get(LONG, 8), l2 = l.get(LONG, 16), l3 = l.get(LONG, 24);
        final long l4 = l.get(LONG, 32), l5 = l.get(LONG, 40), l6 = l.get(LONG, 48), l7 = l.get(LONG, 56);
        return LaneBits.nonZero(l0, l1, l2, l3, l4, l5, l6, l7);
    }

    /**
     * @param line byte offset of a lane line, a multiple of 64
     * @param value the id to compare with
     * @return its lanes equal to {@code value} (bit j = lane j)
     */
    public int equalLanes(int line, long value) {
        checkLine(line);
        final MemorySegment l = segment.asSlice(line, SoaLayout.LANE_LENGTH);
        final long l0 = l.get(LONG, 0), l1 = l.get(LONG, 8), l2 = l.get(LONG, 16), l3 = l.get(LONG, 24);
        final long l4 = l.get(LONG, 32), l5 = l.get(LONG, 40), l6 = l.get(LONG, 48), l7 = l.get(LONG, 56);
        return LaneBits.equal(value, l0, l1, l2, l3, l4, l5, l6, l7);
    }

    /**
     * @param line byte offset of a lane line, a multiple of 64
     * @param value the id to compare with, unsigned
     * @return its lanes greater than {@code value} as unsigned 64-bit values (bit j = lane j)
     */
    public int aboveLanes(int line, long value) {
        checkLine(line);
        final MemorySegment l = segment.asSlice(line, SoaLayout.LANE_LENGTH);
        final long l0 = l.get(LONG, 0), l1 = l.get(LONG, 8), l2 = l.get(LONG, 16), l3 = l.get(LONG, 24);
        final long l4 = l.get(LONG, 32), l5 = l.get(LONG, 40), l6 = l.get(LONG, 48), l7 = l.get(LONG, 56);
        return LaneBits.beyond(value, true, l0, l1, l2, l3, l4, l5, l6, l7);
    }

    /**
     * @param line byte offset of a lane line, a multiple of 64
     * @param value the id to compare with, unsigned
     * @return its lanes less than {@code value} as unsigned 64-bit values (bit j = lane j)
     */
    public int belowLanes(int line, long value) {
        checkLine(line);
        final MemorySegment l = segment.asSlice(line, SoaLayout.LANE_LENGTH);
        final long l0 = l.get(LONG, 0), l1 = l.get(LONG, 8), l2 = l.get(LONG, 16), l3 = l.get(LONG, 24);
        final long l4 = l.get(LONG, 32), l5 = l.get(LONG, 40), l6 = l.get(LONG, 48), l7 = l.get(LONG, 56);
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
        checkLine(subjectLine);
        final MemorySegment from = subjects.segment.asSlice(subjectLine, SoaLayout.LANE_LENGTH);
        checkLine(row);
        final MemorySegment to = segment.asSlice(row, SoaLayout.BUFFER_LENGTH);
        for (int j = 0; j < SoaLayout.MAX_RUN_LEN; j++) {
            final long on = -(long) (mask >>> j & 1); // all ones or all zeros: a select without a branch
            final int at = j * SoaLayout.LANE_BYTES;
            to.set(LONG, SoaLayout.S_OFFSET + at, from.get(LONG, at) & on);
            to.set(LONG, SoaLayout.P_OFFSET + at, predicate & on);
            to.set(LONG, SoaLayout.O_OFFSET + at, object & on);
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
        checkLine(line);
        final MemorySegment l = segment.asSlice(line, ReceiptLayout.RECEIPT_LENGTH);
        l.set(LONG, ReceiptLayout.CYCLE_ID_OFFSET, cycleId);
        l.set(INT, ReceiptLayout.HOOK_ID_OFFSET, hookId);
        l.set(INT, ReceiptLayout.LANES_OFFSET, lanes);
        l.set(INT, ReceiptLayout.FLAGS_OFFSET, flags);
        l.set(LONG, ReceiptLayout.SPAN_ID_OFFSET, spanId);
        l.set(LONG, ReceiptLayout.A_HASH_OFFSET, aHash);
        l.set(LONG, ReceiptLayout.RESULT_OFFSET, result);
    }

    /** Receipt.record's stores: the kernel's fields of one receipt line, cycleId aside. */
    void putKernelFields(int line, int hookId, int lanes, int flags, long spanId, long aHash, long result) {
        checkLine(line);
        final MemorySegment l = segment.asSlice(line, ReceiptLayout.RECEIPT_LENGTH);
        l.set(INT, ReceiptLayout.HOOK_ID_OFFSET, hookId);
        l.set(INT, ReceiptLayout.LANES_OFFSET, lanes);
        l.set(INT, ReceiptLayout.FLAGS_OFFSET, flags);
        l.set(LONG, ReceiptLayout.SPAN_ID_OFFSET, spanId);
        l.set(LONG, ReceiptLayout.A_HASH_OFFSET, aHash);
        l.set(LONG, ReceiptLayout.RESULT_OFFSET, result);
    }

    /**
     * Writes one triple into lane {@code lane} of the SoA row at {@code row} ({@link SoaLayout}).
     *
     * @param row byte offset of the row, a multiple of 64
     * @param lane 0..7
     */
    void putTriple(int row, int lane, long s, long p, long o) {
        checkLine(row);
        final MemorySegment l = segment.asSlice(row, SoaLayout.BUFFER_LENGTH);
        final int at = lane * SoaLayout.LANE_BYTES;
        l.set(LONG, SoaLayout.S_OFFSET + at, s);
        l.set(LONG, SoaLayout.P_OFFSET + at, p);
        l.set(LONG, SoaLayout.O_OFFSET + at, o);
    }

    private static void checkLine(int offset) {
        if ((offset & (SoaLayout.CACHE_LINE_LENGTH - 1)) != 0) {
            throw notALine(offset);
        }
    }

    static IllegalArgumentException notALine(int offset) {
        return new IllegalArgumentException("offset " + offset + " is not a multiple of " + SoaLayout.CACHE_LINE_LENGTH
            + ": lane lines, SoA rows and receipt lines start on a cache line");
    }

    @Override
    public String toString() {
        return "Slab[" + PATH + ", " + byteSize() + " bytes]";
    }
}
