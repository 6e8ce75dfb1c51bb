package io.github.hotpool.core;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The line scans of {@link Slab} on the Vector API. Where the CPU has native 512-bit vectors
 * (x86 with AVX-512: {@code LongVector.SPECIES_PREFERRED} is 512 bits wide) a lane line (8 x
 * 64-bit lanes, one cache line) is one vector: one load, one compare into a mask register, one
 * mask move ({@code kmovb}) gives the line's 8 answer bits. With 256-bit vectors (AVX2) the line
 * is two halves, and each half's mask becomes bits with one instruction ({@code vmovmskpd}). The
 * scalar scans need a compare, a flag read, a shift and an or per lane.
 *
 * <p>Every compare names its operator as a constant at its own call site ({@code EQ} with a
 * broadcast id, or with 0 for liveness; {@code GT} and {@code LT} for the unsigned order scans,
 * on lanes whose sign bit is flipped first, which orders unsigned values as signed ones and needs
 * only the signed compares every AVX level has). An operator passed in as a parameter was
 * measured to miss its intrinsic in C2 compilations that inline scans of several ops into one
 * caller (the JIT logs "missing constant: cond") and to fall back to Java code that allocates;
 * ZeroAllocationTest catches such a fallback.
 *
 * <p>Only Java 22+ builds of {@link Slab} call this class, and only when the running JVM has the
 * incubating module {@code jdk.incubator.vector} in its boot layer ({@code --add-modules
 * jdk.incubator.vector}) and 256-bit long vectors are native ({@link #usable()}); otherwise the
 * class is never loaded and the scalar scans run. Answers are bit for bit those of the scalar
 * scans ({@link LaneBits}); SlabTest and the kernels' property tests run on both.
 *
 * <p>Every scan reads {@code [b, b + 64)} of {@code m}; the vector loads check that range
 * against the segment, as the scalar path's line handles do. The row writes ({@code putRow},
 * {@code putTriples}, {@code zero}) check their whole range first and store nothing when it is
 * outside the segment.
 */
final class VectorLines {

    private static final VectorSpecies<Long> HALF = LongVector.SPECIES_256;
    private static final VectorSpecies<Long> LINE = LongVector.SPECIES_512;
    /*
     * a lane line is one native vector: decided once, a constant to the JIT; -Dhotpool.vector.width=256
     * keeps the two-half scans on a 512-bit CPU (so that tests cover both on one machine)
     */
    private static final boolean WIDE = LongVector.SPECIES_PREFERRED.vectorBitSize() >= LINE.vectorBitSize()
        && !"256".equals(System.getProperty("hotpool.vector.width"));
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final long SECOND_HALF = 32;
    /* lane j's bit of a lane mask, for the low and the high half of a line */
    private static final LongVector LOW_BITS = LongVector.fromArray(HALF, new long[] {1, 2, 4, 8}, 0);
    private static final LongVector HIGH_BITS = LongVector.fromArray(HALF, new long[] {16, 32, 64, 128}, 0);
    private static final LongVector ZERO = LongVector.zero(HALF);
    private static final LongVector LINE_BITS = LongVector.fromArray(LINE, new long[] {1, 2, 4, 8, 16, 32, 64, 128}, 0);
    private static final LongVector LINE_ZERO = LongVector.zero(LINE);

    private VectorLines() {
    }

    static boolean usable() {
        return LongVector.SPECIES_PREFERRED.vectorBitSize() >= HALF.vectorBitSize();
    }

    /** @return the vector width a lane line is read with, in bits (512 or 256) */
    static int lineBits() {
        return WIDE ? LINE.vectorBitSize() : HALF.vectorBitSize();
    }

    private static LongVector line(MemorySegment m, long at) {
        return LongVector.fromMemorySegment(LINE, m, at, NATIVE);
    }

    private static LongVector half(MemorySegment m, long at) {
        return LongVector.fromMemorySegment(HALF, m, at, NATIVE);
    }

    private static int equalBits(LongVector lo, LongVector hi, long value) {
        return (int) (lo.compare(VectorOperators.EQ, value).toLong()
            | hi.compare(VectorOperators.EQ, value).toLong() << 4);
    }

    private static int equalBits(LongVector line, long value) {
        return (int) line.compare(VectorOperators.EQ, value).toLong();
    }

    static int liveAndEqual(MemorySegment m, long b, long value) {
        if (WIDE) {
            final LongVector v = line(m, b);
            return ~equalBits(v, 0L) & 0xFF | equalBits(v, value) << 8;
        }
        final LongVector lo = half(m, b);
        final LongVector hi = half(m, b + SECOND_HALF);
        return ~equalBits(lo, hi, 0L) & 0xFF | equalBits(lo, hi, value) << 8;
    }

    static int nonZero(MemorySegment m, long b) {
        if (WIDE) {
            return ~equalBits(line(m, b), 0L) & 0xFF;
        }
        return ~equalBits(half(m, b), half(m, b + SECOND_HALF), 0L) & 0xFF;
    }

    static int equal(MemorySegment m, long b, long value) {
        if (WIDE) {
            return equalBits(line(m, b), value);
        }
        return equalBits(half(m, b), half(m, b + SECOND_HALF), value);
    }

    /*
     * The two-line scans of one SoA row for the subject-and-object ops: the S line's live lanes,
     * and the lanes whose S equals s and whose O equals (or, for the second, does not equal) o,
     * combined in the mask registers, so that the row costs two mask moves, not three. Two
     * methods that differ only in and / andNot, not one with a flag: each mask operation stands at
     * its own call site, for the reason the class comment gives for the compare operators.
     */

    static int subjectAndObject(MemorySegment m, long b, long s, long o) {
        if (WIDE) {
            final LongVector sl = line(m, b + SoaLayout.S_OFFSET);
            final VectorMask<Long> both = sl.compare(VectorOperators.EQ, s)
                .and(line(m, b + SoaLayout.O_OFFSET).compare(VectorOperators.EQ, o));
            return ~equalBits(sl, 0L) & 0xFF | (int) both.toLong() << 8;
        }
        final LongVector sLo = half(m, b + SoaLayout.S_OFFSET);
        final LongVector sHi = half(m, b + SoaLayout.S_OFFSET + SECOND_HALF);
        final long lo = sLo.compare(VectorOperators.EQ, s)
            .and(half(m, b + SoaLayout.O_OFFSET).compare(VectorOperators.EQ, o)).toLong();
        final long hi = sHi.compare(VectorOperators.EQ, s)
            .and(half(m, b + SoaLayout.O_OFFSET + SECOND_HALF).compare(VectorOperators.EQ, o)).toLong();
        return ~equalBits(sLo, sHi, 0L) & 0xFF | (int) (lo | hi << 4) << 8;
    }

    static int subjectNotObject(MemorySegment m, long b, long s, long o) {
        if (WIDE) {
            final LongVector sl = line(m, b + SoaLayout.S_OFFSET);
            final VectorMask<Long> sNotO = sl.compare(VectorOperators.EQ, s)
                .andNot(line(m, b + SoaLayout.O_OFFSET).compare(VectorOperators.EQ, o));
            return ~equalBits(sl, 0L) & 0xFF | (int) sNotO.toLong() << 8;
        }
        final LongVector sLo = half(m, b + SoaLayout.S_OFFSET);
        final LongVector sHi = half(m, b + SoaLayout.S_OFFSET + SECOND_HALF);
        final long lo = sLo.compare(VectorOperators.EQ, s)
            .andNot(half(m, b + SoaLayout.O_OFFSET).compare(VectorOperators.EQ, o)).toLong();
        final long hi = sHi.compare(VectorOperators.EQ, s)
            .andNot(half(m, b + SoaLayout.O_OFFSET + SECOND_HALF).compare(VectorOperators.EQ, o)).toLong();
        return ~equalBits(sLo, sHi, 0L) & 0xFF | (int) (lo | hi << 4) << 8;
    }

    /** Lanes greater than {@code value}, both as unsigned 64-bit values. */
    static int above(MemorySegment m, long b, long value) {
        final long v = value ^ Long.MIN_VALUE;
        if (WIDE) {
            return (int) line(m, b).lanewise(VectorOperators.XOR, Long.MIN_VALUE).compare(VectorOperators.GT, v).toLong();
        }
        return (int) (half(m, b).lanewise(VectorOperators.XOR, Long.MIN_VALUE).compare(VectorOperators.GT, v).toLong()
            | half(m, b + SECOND_HALF).lanewise(VectorOperators.XOR, Long.MIN_VALUE)
                .compare(VectorOperators.GT, v).toLong() << 4);
    }

    /** Lanes less than {@code value}, both as unsigned 64-bit values. */
    static int below(MemorySegment m, long b, long value) {
        final long v = value ^ Long.MIN_VALUE;
        if (WIDE) {
            return (int) line(m, b).lanewise(VectorOperators.XOR, Long.MIN_VALUE).compare(VectorOperators.LT, v).toLong();
        }
        return (int) (half(m, b).lanewise(VectorOperators.XOR, Long.MIN_VALUE).compare(VectorOperators.LT, v).toLong()
            | half(m, b + SECOND_HALF).lanewise(VectorOperators.XOR, Long.MIN_VALUE)
                .compare(VectorOperators.LT, v).toLong() << 4);
    }

    static void checkRange(MemorySegment m, long at, int length) {
        if (at < 0 || at + length > m.byteSize()) {
            throw new IndexOutOfBoundsException("[" + at + ", " + (at + length) + ") outside a segment of "
                + m.byteSize() + " bytes");
        }
    }

    /**
     * Slab.putTriples on vectors: the row at {@code r} of {@code to} gets, in the lanes {@code
     * mask} selects, the subject lanes of the line at {@code f} of {@code from}, {@code p} and
     * {@code o}, and zeros elsewhere; three 512-bit stores (or six 256-bit ones) instead of 24
     * single ones.
     */
    static void putTriples(MemorySegment to, long r, MemorySegment from, long f, int mask, long p, long o) {
        checkRange(to, r, SoaLayout.BUFFER_LENGTH);
        // each width in a method of its own: together they were 327 bytecodes, past C2's limit
        // for inlining a hot method (FreqInlineSize, 325 on x86), so every CONSTRUCT8 span run
        // paid a call and its register spills
        if (WIDE) {
            putTriplesLine(to, r, from, f, mask, p, o);
        } else {
            putTriplesHalves(to, r, from, f, mask, p, o);
        }
    }

    private static void putTriplesLine(MemorySegment to, long r, MemorySegment from, long f, int mask, long p, long o) {
        final VectorMask<Long> off = LongVector.broadcast(LINE, mask).and(LINE_BITS).compare(VectorOperators.EQ, 0L);
        line(from, f).blend(0L, off).intoMemorySegment(to, r + SoaLayout.S_OFFSET, NATIVE);
        LongVector.broadcast(LINE, p).blend(0L, off).intoMemorySegment(to, r + SoaLayout.P_OFFSET, NATIVE);
        LongVector.broadcast(LINE, o).blend(0L, off).intoMemorySegment(to, r + SoaLayout.O_OFFSET, NATIVE);
    }

    private static void putTriplesHalves(MemorySegment to, long r, MemorySegment from, long f, int mask, long p,
                                         long o) {
        final LongVector sLo = half(from, f);
        final LongVector sHi = half(from, f + SECOND_HALF);
        final LongVector select = LongVector.broadcast(HALF, mask);
        final VectorMask<Long> offLo = select.and(LOW_BITS).compare(VectorOperators.EQ, 0L);
        final VectorMask<Long> offHi = select.and(HIGH_BITS).compare(VectorOperators.EQ, 0L);
        final LongVector pv = LongVector.broadcast(HALF, p);
        final LongVector ov = LongVector.broadcast(HALF, o);
        sLo.blend(0L, offLo).intoMemorySegment(to, r + SoaLayout.S_OFFSET, NATIVE);
        sHi.blend(0L, offHi).intoMemorySegment(to, r + SoaLayout.S_OFFSET + SECOND_HALF, NATIVE);
        pv.blend(0L, offLo).intoMemorySegment(to, r + SoaLayout.P_OFFSET, NATIVE);
        pv.blend(0L, offHi).intoMemorySegment(to, r + SoaLayout.P_OFFSET + SECOND_HALF, NATIVE);
        ov.blend(0L, offLo).intoMemorySegment(to, r + SoaLayout.O_OFFSET, NATIVE);
        ov.blend(0L, offHi).intoMemorySegment(to, r + SoaLayout.O_OFFSET + SECOND_HALF, NATIVE);
    }

    /** Writes the 24 longs of {@code lanes} (S, P, O lines in order) as the SoA row at {@code r}. */
    static void putRow(MemorySegment to, long r, long[] lanes) {
        checkRange(to, r, SoaLayout.BUFFER_LENGTH);
        if (lanes.length < 24) { // before any store: a short array writes nothing
            throw new IndexOutOfBoundsException("a row needs 24 lanes, the array has " + lanes.length);
        }
        if (WIDE) {
            LongVector.fromArray(LINE, lanes, 0).intoMemorySegment(to, r, NATIVE);
            LongVector.fromArray(LINE, lanes, 8).intoMemorySegment(to, r + SoaLayout.LANE_LENGTH, NATIVE);
            LongVector.fromArray(LINE, lanes, 16).intoMemorySegment(to, r + 2 * SoaLayout.LANE_LENGTH, NATIVE);
            return;
        }
        for (int k = 0; k < 6; k++) {
            LongVector.fromArray(HALF, lanes, 4 * k).intoMemorySegment(to, r + k * SECOND_HALF, NATIVE);
        }
    }

    /**
     * Zeroes {@code [at, at + length)}, {@code length} a multiple of 64 (a receipt line or an SoA
     * row: one 512-bit store per line, or two 256-bit ones); throws before any store when the range
     * is outside {@code m} or the length is not whole lines.
     */
    static void zero(MemorySegment m, long at, int length) {
        checkRange(m, at, length);
        if (length % SoaLayout.LANE_LENGTH != 0) {
            throw new IllegalArgumentException("zeroing " + length + " bytes: whole 64-byte lines only");
        }
        if (WIDE) {
            for (int done = 0; done < length; done += SoaLayout.LANE_LENGTH) {
                LINE_ZERO.intoMemorySegment(m, at + done, NATIVE);
            }
            return;
        }
        for (int done = 0; done < length; done += (int) SECOND_HALF) {
            ZERO.intoMemorySegment(m, at + done, NATIVE);
        }
    }
}
