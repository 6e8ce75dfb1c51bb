package io.github.hotpool.triples;

/** FNV-1a 64-bit hashing of canonical term bytes into term ids. Stateless, thread-safe. */
final class Fnv1a64 {

    static final long OFFSET_BASIS = 0xcbf29ce484222325L;
    static final long PRIME = 0x100000001b3L;
    /** Id used when a term hashes to 0, which is reserved for empty lanes. */
    static final long ZERO_REMAP = 1L;

    private Fnv1a64() {
    }

    /** The term id of canonical bytes {@code b[off, off + len)}: FNV-1a 64, with 0 remapped. */
    static long termId(byte[] b, int off, int len) {
        long h = OFFSET_BASIS;
        for (int i = off, end = off + len; i < end; i++) {
            h ^= b[i] & 0xFF;
            h *= PRIME;
        }
        return h == 0 ? ZERO_REMAP : h;
    }
}
