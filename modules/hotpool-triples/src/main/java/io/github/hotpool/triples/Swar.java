package io.github.hotpool.triples;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Byte searches eight bytes at a time (SIMD within a register). Stateless, thread-safe. */
final class Swar {

    /*
     * For a word w, ((w - 0x01..01) & ~w & 0x80..80) has the high bit set in the lowest byte of w
     * that is zero (bytes above it may be flagged falsely through the borrow, so only the lowest
     * flag is used). A byte equal to k is a zero byte of w ^ (k x 0x01..01). Little-endian loads
     * make the lowest flagged byte the first in memory: numberOfTrailingZeros / 8.
     */

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LF = 0x0A0A0A0A0A0A0A0AL;
    private static final long CR = 0x0D0D0D0D0D0D0D0DL;
    private static final long QUOTE = 0x2222222222222222L;
    private static final long BACKSLASH = 0x5C5C5C5C5C5C5C5CL;
    private static final long DEL = 0x7F7F7F7F7F7F7F7FL;
    private static final long SPACES = 0x2020202020202020L;

    private Swar() {
    }

    private static long zeroBytes(long w) {
        return (w - ONES) & ~w & HIGHS;
    }

    /** Index of the first LF or CR in b[i, end), or end. */
    static int lineEnd(byte[] b, int i, int end) {
        for (; i + 8 <= end; i += 8) {
            long w = (long) LONG_LE.get(b, i);
            long hit = zeroBytes(w ^ LF) | zeroBytes(w ^ CR);
            if (hit != 0) {
                return i + (Long.numberOfTrailingZeros(hit) >>> 3);
            }
        }
        while (i < end && b[i] != '\n' && b[i] != '\r') {
            i++;
        }
        return i;
    }

    /**
     * Index of the first whole word of b[i, end) holding a byte that is not plain inside a literal
     * ('"', '\', below 0x20, 0x7F or above), or the start of the last partial word: every byte
     * before the result is plain; the caller goes on byte by byte from there.
     */
    static int literalPlainEnd(byte[] b, int i, int end) {
        for (; i + 8 <= end; i += 8) {
            long w = (long) LONG_LE.get(b, i);
            // below 0x20: w - 0x20 borrows through the high bit; high bytes are caught by w itself
            long special = (w | ((w - SPACES) & ~w)) & HIGHS;
            special |= zeroBytes(w ^ QUOTE) | zeroBytes(w ^ BACKSLASH) | zeroBytes(w ^ DEL);
            if (special != 0) {
                return i;
            }
        }
        return i;
    }
}
