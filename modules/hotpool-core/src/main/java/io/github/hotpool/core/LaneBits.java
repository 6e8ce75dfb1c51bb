package io.github.hotpool.core;

import java.nio.ByteOrder;

/**
 * Turns the eight 64-bit lanes of one lane line into an 8-bit mask (bit j = lane j), with no
 * branch: the lane tests shared by both builds of {@link Slab}, which only differ in how they load
 * the lanes. Each method is small, so that the scans that call it stay far below the JIT's
 * inlining limit (FreqInlineSize, 325 bytecodes) and inline into the kernels. Stateless,
 * thread-safe.
 */
final class LaneBits {

    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private LaneBits() {
    }

    /**
     * The 64-bit value whose native-order bytes hold {@code first} and then {@code second}: two
     * adjacent int fields (a receipt's lanes and flags) written with one aligned long store.
     */
    static long pair(int first, int second) {
        return LITTLE_ENDIAN
            ? (long) second << 32 | (first & 0xFFFF_FFFFL)
            : (long) first << 32 | (second & 0xFFFF_FFFFL);
    }

    static int nonZero(long l0, long l1, long l2, long l3, long l4, long l5, long l6, long l7) {
        return bit(l0 != 0, 0) | bit(l1 != 0, 1) | bit(l2 != 0, 2) | bit(l3 != 0, 3)
            | bit(l4 != 0, 4) | bit(l5 != 0, 5) | bit(l6 != 0, 6) | bit(l7 != 0, 7);
    }

    static int equal(long v, long l0, long l1, long l2, long l3, long l4, long l5, long l6, long l7) {
        return bit(l0 == v, 0) | bit(l1 == v, 1) | bit(l2 == v, 2) | bit(l3 == v, 3)
            | bit(l4 == v, 4) | bit(l5 == v, 5) | bit(l6 == v, 6) | bit(l7 == v, 7);
    }

    /** Lanes below {@code v}, or above it when {@code above}, as unsigned 64-bit values. */
    static int beyond(long v, boolean above, long l0, long l1, long l2, long l3, long l4, long l5, long l6, long l7) {
        return bit(beyond(l0, v, above), 0) | bit(beyond(l1, v, above), 1) | bit(beyond(l2, v, above), 2)
            | bit(beyond(l3, v, above), 3) | bit(beyond(l4, v, above), 4) | bit(beyond(l5, v, above), 5)
            | bit(beyond(l6, v, above), 6) | bit(beyond(l7, v, above), 7);
    }

    /** {@code a < b}, or {@code a > b} when {@code above}, as unsigned values. */
    private static boolean beyond(long a, long b, boolean above) {
        // flipping the sign bit orders unsigned values as signed ones
        final long x = a ^ Long.MIN_VALUE;
        final long y = b ^ Long.MIN_VALUE;
        return above ? x > y : x < y;
    }

    private static int bit(boolean set, int lane) {
        return (set ? 1 : 0) << lane;
    }
}
