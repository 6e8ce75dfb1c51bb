package io.github.hotpool.core;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The line scans of {@link Slab} on the Vector API: a lane line (8 x 64-bit lanes, one cache
 * line) is read as two 256-bit vectors, each lane test is one vector compare, and its mask is
 * turned into bits with one instruction per half ({@code vmovmskpd} on x86 with AVX2), where the
 * scalar scans need a compare, a flag read, a shift and an or per lane.
 *
 * <p>Only equality scans are here ({@code EQ} compares with a broadcast id, or with 0 for
 * liveness, the bits of {@code NE} taken as the complement): in a C2 compilation that inlines
 * scans of several ops into one caller, {@code NE}, {@code GT} and {@code LT} compares were
 * measured to miss their intrinsic (the JIT logs "missing constant: cond") and fall back to
 * Java code that allocates, so {@link Slab#aboveLanes} and {@link Slab#belowLanes} stay
 * scalar (ZeroAllocationTest catches such a fallback).
 *
 * <p>Only Java 22+ builds of {@link Slab} call this class, and only when the running JVM has the
 * incubating module {@code jdk.incubator.vector} in its boot layer ({@code --add-modules
 * jdk.incubator.vector}) and 256-bit long vectors are native ({@link #usable()}); otherwise the
 * class is never loaded and the scalar scans run. Answers are bit for bit those of the scalar
 * scans ({@link LaneBits}); SlabTest and the kernels' property tests run on both.
 *
 * <p>Every method reads {@code [b, b + 64)} of {@code m}; the vector loads check that range
 * against the segment (twice 32 bytes), as the scalar path's line handles do.
 */
final class VectorLines {

    private static final VectorSpecies<Long> HALF = LongVector.SPECIES_256;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final long SECOND_HALF = 32;
    /* lane j's bit of a lane mask, for the low and the high half of a line */
    private static final LongVector LOW_BITS = LongVector.fromArray(HALF, new long[] {1, 2, 4, 8}, 0);
    private static final LongVector HIGH_BITS = LongVector.fromArray(HALF, new long[] {16, 32, 64, 128}, 0);
    private static final LongVector ZERO = LongVector.zero(HALF);

    private VectorLines() {
    }

    /**
     * @return true when 256-bit long vectors are at least the platform's preferred shape, i.e.
     *     compiled to real vector instructions rather than emulated
     */
    static boolean usable() {
        return LongVector.SPECIES_PREFERRED.vectorBitSize() >= HALF.vectorBitSize();
    }

    private static LongVector half(MemorySegment m, long at) {
        return LongVector.fromMemorySegment(HALF, m, at, NATIVE);
    }

    /** The line's lanes equal to {@code value} (bit j = lane j), from its two halves. */
    private static int equalBits(LongVector lo, LongVector hi, long value) {
        return (int) (lo.compare(VectorOperators.EQ, value).toLong()
            | hi.compare(VectorOperators.EQ, value).toLong() << 4);
    }

    static int liveAndEqual(MemorySegment m, long b, long value) {
        final LongVector lo = half(m, b);
        final LongVector hi = half(m, b + SECOND_HALF);
        return ~equalBits(lo, hi, 0L) & 0xFF | equalBits(lo, hi, value) << 8;
    }

    static int nonZero(MemorySegment m, long b) {
        return ~equalBits(half(m, b), half(m, b + SECOND_HALF), 0L) & 0xFF;
    }

    static int equal(MemorySegment m, long b, long value) {
        return equalBits(half(m, b), half(m, b + SECOND_HALF), value);
    }

    /** Throws before any store when {@code [at, at + length)} is not inside {@code m}. */
    static void checkRange(MemorySegment m, long at, int length) {
        if (at < 0 || at + length > m.byteSize()) {
            throw new IndexOutOfBoundsException("[" + at + ", " + (at + length) + ") outside a segment of "
                + m.byteSize() + " bytes");
        }
    }

    /**
     * Slab.putTriples on vectors: the row at {@code r} of {@code to} gets, in the lanes {@code
     * mask} selects, the subject lanes of the line at {@code f} of {@code from}, {@code p} and
     * {@code o}, and zeros elsewhere; six 256-bit stores instead of 24 single ones.
     */
    static void putTriples(MemorySegment to, long r, MemorySegment from, long f, int mask, long p, long o) {
        checkRange(to, r, SoaLayout.BUFFER_LENGTH);
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

    /**
     * Zeroes {@code [at, at + length)}, {@code length} a multiple of 32; throws before any store
     * when the range is outside {@code m}.
     */
    static void zero(MemorySegment m, long at, int length) {
        checkRange(m, at, length);
        for (int done = 0; done < length; done += (int) SECOND_HALF) {
            ZERO.intoMemorySegment(m, at + done, NATIVE);
        }
    }
}
