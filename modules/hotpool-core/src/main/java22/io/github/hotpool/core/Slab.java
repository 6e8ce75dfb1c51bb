package io.github.hotpool.core;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
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
 * No slice is ever made: the line operations read and write that one segment at offsets computed
 * from the line, through static final layout {@code VarHandle}s whose bounds check covers a whole
 * line or row, so the accesses of one line repeat one identical check that the JIT can fold, and
 * nothing is allocated at any JIT tier, the interpreter included. On Java 17 to 21 the base build
 * of this class uses the {@code ByteBuffer}; both builds have this public API, and {@link
 * #accessPath()} says which one is running. Neither uses {@code sun.misc.Unsafe}.
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
     * Unaligned layouts for the single accesses on purpose: every Hotpool field sits at a
     * multiple of its size in a 64-byte-aligned slab (LayoutTest proves it), so the aligned
     * layouts' per-access alignment check would only repeat that proof.
     */
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final int ROW_LONGS = SoaLayout.BUFFER_LENGTH / Long.BYTES;
    private static final MemorySegment ZEROS = MemorySegment.ofArray(new byte[SoaLayout.BUFFER_LENGTH]);

    /* the line operations' layouts: a lane line (8 longs), a receipt line as 16 ints, an SoA row (3 lane lines) */
    private static final SequenceLayout LINE = MemoryLayout.sequenceLayout(SoaLayout.MAX_RUN_LEN, ValueLayout.JAVA_LONG);
    private static final SequenceLayout INT_LINE = MemoryLayout.sequenceLayout(
        ReceiptLayout.RECEIPT_LENGTH / Integer.BYTES, ValueLayout.JAVA_INT).withByteAlignment(Long.BYTES);
    private static final SequenceLayout ROW = MemoryLayout.sequenceLayout(3, LINE);
    /** (segment, long line base, long lane) -> long: lane {@code lane} of the line at the base */
    private static final VarHandle LANE = exact(LINE.varHandle(MemoryLayout.PathElement.sequenceElement()));
    /** (segment, long line base, long cell) -> int: int cell {@code cell} of the line at the base */
    private static final VarHandle INT_CELL = exact(INT_LINE.varHandle(MemoryLayout.PathElement.sequenceElement()));
    /** (segment, long row base, long line, long lane) -> long: lane {@code lane} of line {@code line} of the row */
    private static final VarHandle ROW_LANE = exact(ROW.varHandle(MemoryLayout.PathElement.sequenceElement(),
        MemoryLayout.PathElement.sequenceElement()));

    private static final long S_LINE = SoaLayout.S_OFFSET / SoaLayout.LANE_LENGTH;
    private static final long P_LINE = SoaLayout.P_OFFSET / SoaLayout.LANE_LENGTH;
    private static final long O_LINE = SoaLayout.O_OFFSET / SoaLayout.LANE_LENGTH;
    private static final long CYCLE_ID_CELL = ReceiptLayout.CYCLE_ID_OFFSET / Long.BYTES;
    private static final long SPAN_ID_CELL = ReceiptLayout.SPAN_ID_OFFSET / Long.BYTES;
    private static final long A_HASH_CELL = ReceiptLayout.A_HASH_OFFSET / Long.BYTES;
    private static final long RESULT_CELL = ReceiptLayout.RESULT_OFFSET / Long.BYTES;
    private static final long HOOK_ID_CELL = ReceiptLayout.HOOK_ID_OFFSET / Integer.BYTES;
    private static final long LANES_AND_FLAGS_CELL = ReceiptLayout.LANES_OFFSET / Long.BYTES;

    static {
        if (ReceiptLayout.FLAGS_OFFSET != ReceiptLayout.LANES_OFFSET + Integer.BYTES || ReceiptLayout.LANES_OFFSET % Long.BYTES != 0) {
            throw new ExceptionInInitializerError("lanes and flags must share one aligned long of the receipt line");
        }
    }

    /**
     * Line scans on the Vector API ({@link VectorLines}): only when the JVM was started with the
     * incubating module {@code jdk.incubator.vector} ({@code --add-modules jdk.incubator.vector}),
     * 256-bit long vectors are native and {@code -Dhotpool.vector=false} does not turn them off.
     * A static final, so the JIT keeps only one of the two paths of every scan.
     */
    private static final boolean VECTOR = vectorScans();

    private final ByteBuffer buffer;
    private final MemorySegment segment;

    private static boolean vectorScans() {
        if (!Boolean.parseBoolean(System.getProperty("hotpool.vector", "true"))
            || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false; // VectorLines is then never loaded
        }
        try {
            return VectorLines.usable();
        } catch (LinkageError e) {
            return false;
        }
    }

    /* a call whose types differ from the handle's throws instead of adapting (which is slow and may allocate) */
    private static VarHandle exact(VarHandle handle) {
        return handle.withInvokeExactBehavior();
    }

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

    /**
     * How the line scans ({@link #liveAndEqualLanes} and the others) test a line's lanes, fixed
     * when the class is loaded.
     *
     * @return {@code "vector"} when this Java 22+ build runs with {@code --add-modules
     *     jdk.incubator.vector} on a CPU with native 256-bit vectors (and {@code -Dhotpool.vector}
     *     is not {@code false}); {@code "scalar"} otherwise, and always in the Java 17 build
     */
    public static String lineScans() {
        return VECTOR ? "vector" : "scalar";
    }

    /**
     * The native address of the slab's first byte, for tools that look the memory up elsewhere
     * (the NUMA node of its pages in {@code /proc/self/numa_maps}).
     *
     * @return the address ({@code MemorySegment.address()}) in this build; -1 in the Java 17 build,
     *     which cannot read it without {@code sun.misc.Unsafe}
     */
    public long address() {
        return segment.address();
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

    /**
     * Zeroes {@code [offset, offset + length)}: a bulk copy per 192 bytes (one for an SoA row, one
     * for a receipt line), no allocation at any JIT tier; with vector line scans, a whole receipt
     * line or SoA row is zeroed with vector stores instead (one 512-bit or two 256-bit stores per
     * line, against one bulk copy whose fixed setup dominates at these sizes).
     */
    void zero(int offset, int length) {
        if (VECTOR && (length == ReceiptLayout.RECEIPT_LENGTH || length == SoaLayout.BUFFER_LENGTH)
            && (offset & (SoaLayout.CACHE_LINE_LENGTH - 1)) == 0) {
            VectorLines.zero(segment, offset, length); // a receipt line or an SoA row: 1-6 vector stores
            return;
        }
        for (int done = 0; done < length; done += SoaLayout.BUFFER_LENGTH) {
            MemorySegment.copy(ZEROS, 0, segment, offset + done, Math.min(SoaLayout.BUFFER_LENGTH, length - done));
        }
    }

    // ------------------------------------------------------------------ line scans and records

    /*
     * A lane line is the 64-byte line of 8 lanes at a multiple of 64 (SoaLayout); bit j of a
     * scan's answer stands for lane j. Each scan reads the whole line with no loop and no branch
     * (eight loads, unrolled by hand) and leaves the lane tests to LaneBits. Line and row
     * offsets must be multiples of 64 (an IllegalArgumentException says so otherwise).
     *
     * Every access goes to the slab's one segment, at the line's offset, through a VarHandle
     * derived from a layout of the whole line (LINE, INT_LINE) or row (ROW): such a handle checks
     * that the whole enclosing layout lies inside the segment, B + 64 <= S (or B + 192 <= S),
     * for the base offset B, and then the lane index against its constant bound. So the eight
     * loads of a scan make the same bounds check eight times, with the same inputs, for the JIT to
     * fold into one; the lane index checks fold away because the indices are constants. Stores
     * are dearer: measured, the segment's state seems to be read again after each off-heap store
     * (eight zero stores per line lost to one bulk copy, so zero() copies; docs/benchmarks.md). Nothing is
     * allocated at any tier: no slice is made, so there is nothing for escape analysis to remove
     * and the interpreter and C1 allocate nothing either (SlabAllocationTest runs with C2 off).
     */

    /**
     * Scans one lane line for live lanes and for one id.
     *
     * @param line byte offset of the line, a multiple of 64
     * @param value the id to compare with
     * @return lanes that are not 0 in bits 0-7, lanes equal to {@code value} in bits 8-15
     */
    public int liveAndEqualLanes(int line, long value) {
        final MemorySegment m = segment;
        final long b = checkLine(line);
        if (VECTOR) {
            return VectorLines.liveAndEqual(m, b, value);
        }
        final long l0 = (long) LANE.get(m, b, 0L), l1 = (long) LANE.get(m, b, 1L);
        final long l2 = (long) LANE.get(m, b, 2L), l3 = (long) LANE.get(m, b, 3L);
        final long l4 = (long) LANE.get(m, b, 4L), l5 = (long) LANE.get(m, b, 5L);
        final long l6 = (long) LANE.get(m, b, 6L), l7 = (long) LANE.get(m, b, 7L);
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
        if (VECTOR) {
            return VectorLines.subjectAndObject(segment, checkLine(row), subject, object);
        }
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
        if (VECTOR) {
            return VectorLines.subjectNotObject(segment, checkLine(row), subject, object);
        }
        return liveAndEqualLanes(row + SoaLayout.S_OFFSET, subject)
            & ~(equalLanes(row + SoaLayout.O_OFFSET, object) << 8);
    }

    /**
     * @param line byte offset of a lane line, a multiple of 64
     * @return its lanes that are not 0 (bit j = lane j)
     */
    public int nonZeroLanes(int line) {
        final MemorySegment m = segment;
        final long b = checkLine(line);
        if (VECTOR) {
            return VectorLines.nonZero(m, b);
        }
        final long l0 = (long) LANE.get(m, b, 0L), l1 = (long) LANE.get(m, b, 1L);
        final long l2 = (long) LANE.get(m, b, 2L), l3 = (long) LANE.get(m, b, 3L);
        final long l4 = (long) LANE.get(m, b, 4L), l5 = (long) LANE.get(m, b, 5L);
        final long l6 = (long) LANE.get(m, b, 6L), l7 = (long) LANE.get(m, b, 7L);
        return LaneBits.nonZero(l0, l1, l2, l3, l4, l5, l6, l7);
    }

    /**
     * @param line byte offset of a lane line, a multiple of 64
     * @param value the id to compare with
     * @return its lanes equal to {@code value} (bit j = lane j)
     */
    public int equalLanes(int line, long value) {
        final MemorySegment m = segment;
        final long b = checkLine(line);
        if (VECTOR) {
            return VectorLines.equal(m, b, value);
        }
        final long l0 = (long) LANE.get(m, b, 0L), l1 = (long) LANE.get(m, b, 1L);
        final long l2 = (long) LANE.get(m, b, 2L), l3 = (long) LANE.get(m, b, 3L);
        final long l4 = (long) LANE.get(m, b, 4L), l5 = (long) LANE.get(m, b, 5L);
        final long l6 = (long) LANE.get(m, b, 6L), l7 = (long) LANE.get(m, b, 7L);
        return LaneBits.equal(value, l0, l1, l2, l3, l4, l5, l6, l7);
    }

    /**
     * @param line byte offset of a lane line, a multiple of 64
     * @param value the id to compare with, unsigned
     * @return its lanes greater than {@code value} as unsigned 64-bit values (bit j = lane j)
     */
    public int aboveLanes(int line, long value) {
        final MemorySegment m = segment;
        final long b = checkLine(line);
        if (VECTOR) {
            return VectorLines.above(m, b, value);
        }
        final long l0 = (long) LANE.get(m, b, 0L), l1 = (long) LANE.get(m, b, 1L);
        final long l2 = (long) LANE.get(m, b, 2L), l3 = (long) LANE.get(m, b, 3L);
        final long l4 = (long) LANE.get(m, b, 4L), l5 = (long) LANE.get(m, b, 5L);
        final long l6 = (long) LANE.get(m, b, 6L), l7 = (long) LANE.get(m, b, 7L);
        return LaneBits.beyond(value, true, l0, l1, l2, l3, l4, l5, l6, l7);
    }

    /**
     * @param line byte offset of a lane line, a multiple of 64
     * @param value the id to compare with, unsigned
     * @return its lanes less than {@code value} as unsigned 64-bit values (bit j = lane j)
     */
    public int belowLanes(int line, long value) {
        final MemorySegment m = segment;
        final long b = checkLine(line);
        if (VECTOR) {
            return VectorLines.below(m, b, value);
        }
        final long l0 = (long) LANE.get(m, b, 0L), l1 = (long) LANE.get(m, b, 1L);
        final long l2 = (long) LANE.get(m, b, 2L), l3 = (long) LANE.get(m, b, 3L);
        final long l4 = (long) LANE.get(m, b, 4L), l5 = (long) LANE.get(m, b, 5L);
        final long l6 = (long) LANE.get(m, b, 6L), l7 = (long) LANE.get(m, b, 7L);
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
        final MemorySegment from = subjects.segment;
        final long f = checkLine(subjectLine);
        if (VECTOR) {
            VectorLines.putTriples(segment, checkLine(row), from, f, mask, predicate, object); // checks the row first
            return;
        }
        final long l0 = (long) LANE.get(from, f, 0L), l1 = (long) LANE.get(from, f, 1L);
        final long l2 = (long) LANE.get(from, f, 2L), l3 = (long) LANE.get(from, f, 3L);
        final long l4 = (long) LANE.get(from, f, 4L), l5 = (long) LANE.get(from, f, 5L);
        final long l6 = (long) LANE.get(from, f, 6L), l7 = (long) LANE.get(from, f, 7L);
        // all the loads first, then the stores: a load after a store would repeat its checks
        final MemorySegment to = segment;
        final long r = checkLine(row);
        putMasked(to, r, S_LINE, mask, l0, l1, l2, l3, l4, l5, l6, l7);
        putMasked(to, r, P_LINE, mask, predicate, predicate, predicate, predicate, predicate, predicate, predicate,
            predicate);
        putMasked(to, r, O_LINE, mask, object, object, object, object, object, object, object, object);
    }

    /** Lane j of line {@code line} of the row at {@code r} gets {@code lj} when {@code mask} selects it, else 0. */
    private static void putMasked(MemorySegment to, long r, long line, int mask,
                                  long l0, long l1, long l2, long l3, long l4, long l5, long l6, long l7) {
        ROW_LANE.set(to, r, line, 0L, l0 & -(long) (mask & 1)); // all ones or all zeros: a select without a branch
        ROW_LANE.set(to, r, line, 1L, l1 & -(long) (mask >>> 1 & 1));
        ROW_LANE.set(to, r, line, 2L, l2 & -(long) (mask >>> 2 & 1));
        ROW_LANE.set(to, r, line, 3L, l3 & -(long) (mask >>> 3 & 1));
        ROW_LANE.set(to, r, line, 4L, l4 & -(long) (mask >>> 4 & 1));
        ROW_LANE.set(to, r, line, 5L, l5 & -(long) (mask >>> 5 & 1));
        ROW_LANE.set(to, r, line, 6L, l6 & -(long) (mask >>> 6 & 1));
        ROW_LANE.set(to, r, line, 7L, l7 & -(long) (mask >>> 7 & 1));
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
        final MemorySegment m = segment;
        final long b = checkLine(line);
        LANE.set(m, b, CYCLE_ID_CELL, cycleId);
        putKernelFields(m, b, hookId, lanes, flags, spanId, aHash, result);
    }

    /** Receipt.record's stores: the kernel's fields of one receipt line, cycleId aside. */
    void putKernelFields(int line, int hookId, int lanes, int flags, long spanId, long aHash, long result) {
        putKernelFields(segment, checkLine(line), hookId, lanes, flags, spanId, aHash, result);
    }

    /**
     * Receipt.recordKeyed: the cycle id read and the kernel's fields stored under one line check,
     * the span id made from the cycle id and the key in between.
     */
    void putKernelFieldsKeyed(int line, int hookId, int lanes, int flags, long spanKey, long aHash, long result) {
        final MemorySegment m = segment;
        final long b = checkLine(line);
        final long spanId = ReceiptLayout.spanId((long) LANE.get(m, b, CYCLE_ID_CELL), spanKey);
        putKernelFields(m, b, hookId, lanes, flags, spanId, aHash, result);
    }

    private static void putKernelFields(MemorySegment m, long b, int hookId, int lanes, int flags, long spanId,
                                        long aHash, long result) {
        INT_CELL.set(m, b, HOOK_ID_CELL, hookId);
        LANE.set(m, b, LANES_AND_FLAGS_CELL, LaneBits.pair(lanes, flags)); // two adjacent ints, one store
        LANE.set(m, b, SPAN_ID_CELL, spanId);
        LANE.set(m, b, A_HASH_CELL, aHash);
        LANE.set(m, b, RESULT_CELL, result);
    }

    /**
     * Writes a whole SoA row at {@code row} ({@link SoaLayout}) from {@code lanes}: its S line
     * from {@code lanes[0..8)}, its P line from {@code lanes[8..16)} and its O line from {@code
     * lanes[16..24)}, with one bounds check and one bulk copy of 192 bytes instead of 24 single
     * stores (with vector line scans: three 512-bit or six 256-bit loads and stores). This is how
     * the loader writes a batch.
     *
     * @param row byte offset of the row, a multiple of 64
     * @param lanes at least 24 values
     * @throws IndexOutOfBoundsException when the row lies past the end of the slab or {@code lanes}
     *     is shorter than 24
     */
    void putRow(int row, long[] lanes) {
        if (VECTOR) {
            VectorLines.putRow(segment, checkLine(row), lanes); // 3 (or 6) vector loads and stores
            return;
        }
        MemorySegment.copy(lanes, 0, segment, LONG, checkLine(row), ROW_LONGS);
    }

    /**
     * Writes one triple into lane {@code lane} of the SoA row at {@code row} ({@link SoaLayout}).
     *
     * @param row byte offset of the row, a multiple of 64
     * @param lane 0..7
     */
    void putTriple(int row, int lane, long s, long p, long o) {
        final MemorySegment m = segment;
        final long r = checkLine(row);
        final long j = lane;
        ROW_LANE.set(m, r, S_LINE, j, s);
        ROW_LANE.set(m, r, P_LINE, j, p);
        ROW_LANE.set(m, r, O_LINE, j, o);
    }

    /** @return {@code offset} as the base offset of a line or row, once it is known to be a multiple of 64 */
    private static long checkLine(int offset) {
        if ((offset & (SoaLayout.CACHE_LINE_LENGTH - 1)) != 0) {
            throw notALine(offset);
        }
        return offset;
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
