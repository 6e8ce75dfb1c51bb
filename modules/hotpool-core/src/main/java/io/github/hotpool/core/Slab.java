package io.github.hotpool.core;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

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

    private static final String PATH = "ByteBuffer";
    private static final byte[] ZEROS = new byte[SoaLayout.BUFFER_LENGTH];
    private static final int ROW_LONGS = SoaLayout.BUFFER_LENGTH / Long.BYTES;

    private final ByteBuffer buffer;
    /*
     * The same memory as 64-bit cells: on Java 17 a native-order LongBuffer reads and writes a
     * cell in one aligned access, where ByteBuffer.getLong takes the unaligned, byte-order-aware
     * path; used wherever an offset is a multiple of 8, which every lane and every long field of
     * a receipt is.
     */
    private final LongBuffer longs;
    /* and as 32-bit cells, for the int fields of a receipt line, likewise */
    private final IntBuffer ints;

    static {
        if (ReceiptLayout.FLAGS_OFFSET != ReceiptLayout.LANES_OFFSET + Integer.BYTES || ReceiptLayout.LANES_OFFSET % Long.BYTES != 0) {
            throw new ExceptionInInitializerError("lanes and flags must share one aligned long of the receipt line");
        }
    }

    Slab(ByteBuffer aligned) {
        this.buffer = aligned;
        this.longs = aligned.asLongBuffer();
        this.ints = aligned.asIntBuffer();
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

    /**
     * How the line scans ({@link #liveAndEqualLanes} and the others) test a line's lanes, fixed
     * when the class is loaded.
     *
     * @return always {@code "scalar"} in this Java 17 build; the Java 22+ build says {@code
     *     "vector"} when it runs with {@code --add-modules jdk.incubator.vector} on a CPU with
     *     native 256-bit vectors
     */
    public static String lineScans() {
        return "scalar";
    }

    /**
     * The native address of the slab's first byte, for tools that look the memory up elsewhere
     * (the NUMA node of its pages in {@code /proc/self/numa_maps}).
     *
     * @return -1 in this build: Java 17 code cannot read a direct buffer's address without {@code
     *     sun.misc.Unsafe}; the Java 22 build answers the address
     */
    public long address() {
        return -1;
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
     * (eight loads, unrolled by hand) and leaves the lane tests to LaneBits. Line and row
     * offsets must be multiples of 64 (an IllegalArgumentException says so otherwise).
     */

    /**
     * Scans one lane line for live lanes and for one id.
     *
     * @param line byte offset of the line, a multiple of 64
     * @param value the id to compare with
     * @return lanes that are not 0 in bits 0-7, lanes equal to {@code value} in bits 8-15
     */
    public int liveAndEqualLanes(int line, long value) {
        final LongBuffer b = longs;
        final int c = cell(line);
        final long l0 = b.get(c), l1 = b.get(c + 1), l2 = b.get(c + 2), l3 = b.get(c + 3);
        final long l4 = b.get(c + 4), l5 = b.get(c + 5), l6 = b.get(c + 6), l7 = b.get(c + 7);
        return LaneBits.nonZero(l0, l1, l2, l3, l4, l5, l6, l7)
            | LaneBits.equal(value, l0, l1, l2, l3, l4, l5, l6, l7) << 8;
    }

    /**
     * Scans the S and O lines of one SoA row ({@link SoaLayout}) at once, for ops that test both.
     *
     * @param row byte offset of the row (its S line), a multiple of 64
     * @param subject the subject id to compare with
     * @param object the object id to compare with
     * @return lanes whose subject is not 0 in bits 0-7; lanes whose subject equals {@code subject}
     *     and whose object equals {@code object} in bits 8-15
     */
    public int subjectAndObjectLanes(int row, long subject, long object) {
        return liveAndEqualLanes(row + SoaLayout.S_OFFSET, subject)
            & (0xFF | equalLanes(row + SoaLayout.O_OFFSET, object) << 8);
    }

    /**
     * Like {@link #subjectAndObjectLanes}, for lanes whose object differs.
     *
     * @param row byte offset of the row (its S line), a multiple of 64
     * @param subject the subject id to compare with
     * @param object the object id to compare with
     * @return lanes whose subject is not 0 in bits 0-7; lanes whose subject equals {@code subject}
     *     and whose object does not equal {@code object} in bits 8-15
     */
    public int subjectNotObjectLanes(int row, long subject, long object) {
        return liveAndEqualLanes(row + SoaLayout.S_OFFSET, subject)
            & ~(equalLanes(row + SoaLayout.O_OFFSET, object) << 8);
    }

    /**
     * @param line byte offset of a lane line, a multiple of 64
     * @return its lanes that are not 0 (bit j = lane j)
     */
    public int nonZeroLanes(int line) {
        final LongBuffer b = longs;
        final int c = cell(line);
        final long l0 = b.get(c), l1 = b.get(c + 1), l2 = b.get(c + 2), l3 = b.get(c + 3);
        final long l4 = b.get(c + 4), l5 = b.get(c + 5), l6 = b.get(c + 6), l7 = b.get(c + 7);
        return LaneBits.nonZero(l0, l1, l2, l3, l4, l5, l6, l7);
    }

    /**
     * @param line byte offset of a lane line, a multiple of 64
     * @param value the id to compare with
     * @return its lanes equal to {@code value} (bit j = lane j)
     */
    public int equalLanes(int line, long value) {
        final LongBuffer b = longs;
        final int c = cell(line);
        final long l0 = b.get(c), l1 = b.get(c + 1), l2 = b.get(c + 2), l3 = b.get(c + 3);
        final long l4 = b.get(c + 4), l5 = b.get(c + 5), l6 = b.get(c + 6), l7 = b.get(c + 7);
        return LaneBits.equal(value, l0, l1, l2, l3, l4, l5, l6, l7);
    }

    /**
     * @param line byte offset of a lane line, a multiple of 64
     * @param value the id to compare with, unsigned
     * @return its lanes greater than {@code value} as unsigned 64-bit values (bit j = lane j)
     */
    public int aboveLanes(int line, long value) {
        final LongBuffer b = longs;
        final int c = cell(line);
        final long l0 = b.get(c), l1 = b.get(c + 1), l2 = b.get(c + 2), l3 = b.get(c + 3);
        final long l4 = b.get(c + 4), l5 = b.get(c + 5), l6 = b.get(c + 6), l7 = b.get(c + 7);
        return LaneBits.beyond(value, true, l0, l1, l2, l3, l4, l5, l6, l7);
    }

    /**
     * @param line byte offset of a lane line, a multiple of 64
     * @param value the id to compare with, unsigned
     * @return its lanes less than {@code value} as unsigned 64-bit values (bit j = lane j)
     */
    public int belowLanes(int line, long value) {
        final LongBuffer b = longs;
        final int c = cell(line);
        final long l0 = b.get(c), l1 = b.get(c + 1), l2 = b.get(c + 2), l3 = b.get(c + 3);
        final long l4 = b.get(c + 4), l5 = b.get(c + 5), l6 = b.get(c + 6), l7 = b.get(c + 7);
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
        final LongBuffer from = subjects.longs;
        final int c = subjects.cell(subjectLine);
        final long l0 = from.get(c), l1 = from.get(c + 1), l2 = from.get(c + 2), l3 = from.get(c + 3);
        final long l4 = from.get(c + 4), l5 = from.get(c + 5), l6 = from.get(c + 6), l7 = from.get(c + 7);
        // all the loads first, then one line after the other: a load after a store would repeat its checks
        final int r = cell(row);
        putMasked(r + SoaLayout.S_OFFSET / 8, mask, l0, l1, l2, l3, l4, l5, l6, l7);
        putMasked(r + SoaLayout.P_OFFSET / 8, mask, predicate, predicate, predicate, predicate, predicate, predicate,
            predicate, predicate);
        putMasked(r + SoaLayout.O_OFFSET / 8, mask, object, object, object, object, object, object, object, object);
    }

    /** Lane j of the line at cell {@code c} gets {@code lj} when {@code mask} selects it, else 0. */
    private void putMasked(int c, int mask, long l0, long l1, long l2, long l3, long l4, long l5, long l6, long l7) {
        final LongBuffer b = longs;
        b.put(c, l0 & -(long) (mask & 1)); // all ones or all zeros: a select without a branch
        b.put(c + 1, l1 & -(long) (mask >>> 1 & 1));
        b.put(c + 2, l2 & -(long) (mask >>> 2 & 1));
        b.put(c + 3, l3 & -(long) (mask >>> 3 & 1));
        b.put(c + 4, l4 & -(long) (mask >>> 4 & 1));
        b.put(c + 5, l5 & -(long) (mask >>> 5 & 1));
        b.put(c + 6, l6 & -(long) (mask >>> 6 & 1));
        b.put(c + 7, l7 & -(long) (mask >>> 7 & 1));
    }

    /**
     * The cell index of a line's or a row's first byte.
     *
     * @throws IllegalArgumentException if the offset is not a multiple of 64, as every lane line,
     *     SoA row and receipt line is
     */
    private int cell(int offset) {
        if ((offset & (SoaLayout.CACHE_LINE_LENGTH - 1)) != 0) {
            throw notALine(offset);
        }
        return offset >> 3;
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
        longs.put(cell(line) + ReceiptLayout.CYCLE_ID_OFFSET / 8, cycleId);
        putKernelFields(line, hookId, lanes, flags, spanId, aHash, result);
    }

    /** Receipt.recordKeyed: the cycle id read, the span id made from it and the key, the kernel's fields stored. */
    void putKernelFieldsKeyed(int line, int hookId, int lanes, int flags, long spanKey, long aHash, long result) {
        final long spanId = ReceiptLayout.spanId(longs.get(cell(line) + ReceiptLayout.CYCLE_ID_OFFSET / 8), spanKey);
        putKernelFields(line, hookId, lanes, flags, spanId, aHash, result);
    }

    /** Receipt.record's stores: the kernel's fields of one receipt line, cycleId aside. */
    void putKernelFields(int line, int hookId, int lanes, int flags, long spanId, long aHash, long result) {
        final int c = cell(line);
        ints.put((line + ReceiptLayout.HOOK_ID_OFFSET) >> 2, hookId);
        longs.put(c + ReceiptLayout.LANES_OFFSET / 8, LaneBits.pair(lanes, flags)); // two adjacent ints, one store
        longs.put(c + ReceiptLayout.SPAN_ID_OFFSET / 8, spanId);
        longs.put(c + ReceiptLayout.A_HASH_OFFSET / 8, aHash);
        longs.put(c + ReceiptLayout.RESULT_OFFSET / 8, result);
    }

    /**
     * Writes a whole SoA row at {@code row} ({@link SoaLayout}) from {@code lanes}: its S line
     * from {@code lanes[0..8)}, its P line from {@code lanes[8..16)} and its O line from {@code
     * lanes[16..24)}, with one bounds check and one bulk copy of 192 bytes instead of 24 single
     * stores. This is how the loader writes a batch.
     *
     * @param row byte offset of the row, a multiple of 64
     * @param lanes at least 24 values
     * @throws IndexOutOfBoundsException when the row lies past the end of the slab or {@code lanes}
     *     is shorter than 24
     */
    void putRow(int row, long[] lanes) {
        longs.put(cell(row), lanes, 0, ROW_LONGS);
    }

    /**
     * Writes one triple into lane {@code lane} of the SoA row at {@code row} ({@link SoaLayout}).
     *
     * @param row byte offset of the row, a multiple of 64
     * @param lane 0..7
     */
    void putTriple(int row, int lane, long s, long p, long o) {
        final int c = cell(row) + lane;
        longs.put(c + SoaLayout.S_OFFSET / 8, s);
        longs.put(c + SoaLayout.P_OFFSET / 8, p);
        longs.put(c + SoaLayout.O_OFFSET / 8, o);
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
