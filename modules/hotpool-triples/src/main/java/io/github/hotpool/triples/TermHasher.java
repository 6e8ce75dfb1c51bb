package io.github.hotpool.triples;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Term ids of canonical bytes, FNV-1a 64 as {@link Fnv1a64} defines them, computed faster: a
 * line's three terms hashed side by side, and recent short terms taken from a cache. One owner
 * (a scanner), not thread-safe; allocation-free after construction.
 */
final class TermHasher {

    /** Ids of the last {@link #ids} call. */
    long s;
    long p;
    long o;

    /** Id of canon[from, from + len), through the cache. */
    long id(byte[] canon, int from, int len) {
        long id = cached(canon, from, len);
        return id != 0 ? id : remember(canon, from, len, Fnv1a64.termId(canon, from, len));
    }

    /**
     * Ids of the line's three terms, canon[0, sEnd), canon[pFrom, pEnd), canon[oFrom, oEnd): from
     * the cache where it holds the term, else FNV-1a over the three (or fewer) at once, whose
     * dependent multiply chains the CPU then runs side by side.
     */
    void ids(byte[] canon, int sEnd, int pFrom, int pEnd, int oFrom, int oEnd) {
        long si = cached(canon, 0, sEnd);
        long pi = cached(canon, pFrom, pEnd - pFrom);
        long oi = cached(canon, oFrom, oEnd - oFrom);
        if (si == 0 || pi == 0 || oi == 0) {
            fnv3(canon, si == 0 ? sEnd : 0, pFrom, pi == 0 ? pEnd - pFrom : 0, oFrom, oi == 0 ? oEnd - oFrom : 0);
            if (si == 0) {
                si = remember(canon, 0, sEnd, hashes[0]);
            }
            if (pi == 0) {
                pi = remember(canon, pFrom, pEnd - pFrom, hashes[1]);
            }
            if (oi == 0) {
                oi = remember(canon, oFrom, oEnd - oFrom, hashes[2]);
            }
        }
        s = si;
        p = pi;
        o = oi;
    }

    private final long[] hashes = new long[3];

    /** FNV-1a 64 of c[0, n0), c[a1, a1 + n1), c[a2, a2 + n2) into hashes, 0 remapped. */
    private void fnv3(byte[] c, int n0, int a1, int n1, int a2, int n2) {
        final long prime = Fnv1a64.PRIME;
        long h0 = Fnv1a64.OFFSET_BASIS;
        long h1 = Fnv1a64.OFFSET_BASIS;
        long h2 = Fnv1a64.OFFSET_BASIS;
        int k0 = 0;
        int k1 = 0;
        int k2 = 0;
        // all three side by side, then the two left, then the last one: each range once, in order
        int m = Math.min(n0, Math.min(n1, n2));
        for (; k0 < m; k0++, k1++, k2++) {
            h0 = (h0 ^ (c[k0] & 0xFF)) * prime;
            h1 = (h1 ^ (c[a1 + k1] & 0xFF)) * prime;
            h2 = (h2 ^ (c[a2 + k2] & 0xFF)) * prime;
        }
        for (; k0 < n0 && k1 < n1; k0++, k1++) {
            h0 = (h0 ^ (c[k0] & 0xFF)) * prime;
            h1 = (h1 ^ (c[a1 + k1] & 0xFF)) * prime;
        }
        for (; k0 < n0 && k2 < n2; k0++, k2++) {
            h0 = (h0 ^ (c[k0] & 0xFF)) * prime;
            h2 = (h2 ^ (c[a2 + k2] & 0xFF)) * prime;
        }
        for (; k1 < n1 && k2 < n2; k1++, k2++) {
            h1 = (h1 ^ (c[a1 + k1] & 0xFF)) * prime;
            h2 = (h2 ^ (c[a2 + k2] & 0xFF)) * prime;
        }
        for (; k0 < n0; k0++) {
            h0 = (h0 ^ (c[k0] & 0xFF)) * prime;
        }
        for (; k1 < n1; k1++) {
            h1 = (h1 ^ (c[a1 + k1] & 0xFF)) * prime;
        }
        for (; k2 < n2; k2++) {
            h2 = (h2 ^ (c[a2 + k2] & 0xFF)) * prime;
        }
        hashes[0] = h0 == 0 ? Fnv1a64.ZERO_REMAP : h0;
        hashes[1] = h1 == 0 ? Fnv1a64.ZERO_REMAP : h1;
        hashes[2] = h2 == 0 ? Fnv1a64.ZERO_REMAP : h2;
    }

    /*
     * Recently seen short terms and their ids, direct-mapped by length and last 8 bytes: FNV-1a
     * costs a multiply per byte in one dependent chain, while a vectorised compare of the bytes
     * against a cached copy costs a few cycles per 16 bytes. Predicates and class IRIs hit nearly
     * always; a miss costs a copy of at most CACHED_TERM_BYTES bytes. The id is the same either
     * way: a hit is a byte-for-byte equal canonical form.
     */
    static final int CACHED_TERM_BYTES = 96;
    private static final int CACHE_BITS = 11;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private final long[] cacheIds = new long[1 << CACHE_BITS];
    private final int[] cacheLens = new int[1 << CACHE_BITS];
    private final byte[] cacheBytes = new byte[(1 << CACHE_BITS) * CACHED_TERM_BYTES];

    /** The cached id of canon[from, from + len), or 0 (ids are never 0) when not cached. */
    private long cached(byte[] canon, int from, int len) {
        if (len < 8 || len > CACHED_TERM_BYTES) {
            return 0;
        }
        long tailWord = (long) LONG_LE.get(canon, from + len - 8);
        int k = (int) (((tailWord ^ len) * 0x9E3779B97F4A7C15L) >>> (64 - CACHE_BITS));
        int at = k * CACHED_TERM_BYTES;
        if (cacheLens[k] == len && Arrays.equals(cacheBytes, at, at + len, canon, from, from + len)) {
            return cacheIds[k];
        }
        return 0;
    }

    /** Caches {@code id} for canon[from, from + len) if that term may be cached; returns id. */
    private long remember(byte[] canon, int from, int len, long id) {
        if (len >= 8 && len <= CACHED_TERM_BYTES) {
            long tailWord = (long) LONG_LE.get(canon, from + len - 8);
            int k = (int) (((tailWord ^ len) * 0x9E3779B97F4A7C15L) >>> (64 - CACHE_BITS));
            System.arraycopy(canon, from, cacheBytes, k * CACHED_TERM_BYTES, len);
            cacheLens[k] = len;
            cacheIds[k] = id;
        }
        return id;
    }
}
