package io.github.hotpool.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The only code that reads or writes a ring's off-heap memory: one 64-byte-aligned,
 * native-order slab and absolute accessors at byte offsets. Everything else in the rings goes
 * through these few methods, so the slab can move to another memory layer (a
 * {@code MemorySegment} on newer JDKs) by changing this class alone.
 *
 * <p>Plain accesses only: ordering between threads comes from the cursors (see {@link Ring}).
 * Not thread-safe on its own; the ring's protocol gives each row one writer at a time.
 */
final class RingSlab {

    /** Zeroes copied over a row; as long as the longest stretch zeroed at once. */
    private static final byte[] ZEROS = new byte[256];

    private final ByteBuffer bytes;

    private RingSlab(ByteBuffer bytes) {
        this.bytes = bytes;
    }

    /**
     * Cold path: allocates a zeroed slab of {@code length} bytes starting on a 64-byte boundary.
     *
     * @param what names the ring and the size in the error message
     */
    static RingSlab allocate(long length, String what) {
        int line = SoaLayout.CACHE_LINE_LENGTH;
        if (length + line > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ring slab of " + length + " bytes exceeds " + Integer.MAX_VALUE + ": " + what);
        }
        ByteBuffer b = ByteBuffer.allocateDirect((int) length + line - 1).alignedSlice(line).order(ByteOrder.nativeOrder());
        return new RingSlab(b.limit((int) length).slice().order(ByteOrder.nativeOrder()));
    }

    /** @return the slab itself (shared, not a copy), for kernels, tools and alignment checks */
    ByteBuffer buffer() {
        return bytes;
    }

    long getLong(int at) {
        return bytes.getLong(at);
    }

    void putLong(int at, long v) {
        bytes.putLong(at, v);
    }

    int getInt(int at) {
        return bytes.getInt(at);
    }

    void putInt(int at, int v) {
        bytes.putInt(at, v);
    }

    byte getByte(int at) {
        return bytes.get(at);
    }

    void putByte(int at, byte v) {
        bytes.put(at, v);
    }

    /** Zeroes {@code length} bytes (at most 256) from {@code at}: one bounds check and a bulk copy. */
    void zero(int at, int length) {
        bytes.put(at, ZEROS, 0, length);
    }
}
