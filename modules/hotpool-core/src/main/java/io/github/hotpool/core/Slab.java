package io.github.hotpool.core;

import java.nio.ByteBuffer;

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
 * access outside {@code [0, byteSize())} throws {@link IndexOutOfBoundsException}). Hotpool's own
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

    private final ByteBuffer buffer;

    Slab(ByteBuffer aligned) {
        this.buffer = aligned;
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

    @Override
    public String toString() {
        return "Slab[" + PATH + ", " + byteSize() + " bytes]";
    }
}
