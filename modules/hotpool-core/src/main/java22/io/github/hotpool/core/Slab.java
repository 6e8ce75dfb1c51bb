package io.github.hotpool.core;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
 * The segment still checks bounds and liveness, but the JIT hoists and folds those checks where a
 * {@code ByteBuffer} pays them on every access. On Java 17 to 21 the base build of this class uses
 * the {@code ByteBuffer}; both builds have this public API, and {@link #accessPath()} says which
 * one is running. Neither uses {@code sun.misc.Unsafe}.
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

    private static final String PATH = "MemorySegment";

    /*
     * Unaligned layouts on purpose: every Hotpool field sits at a multiple of its size in a
     * 64-byte-aligned slab (LayoutTest proves it), so the aligned layouts' per-access alignment
     * check would only repeat that proof, and measured slower in the kernels.
     */
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final MemorySegment ZEROS = MemorySegment.ofArray(new byte[SoaLayout.BUFFER_LENGTH]);

    private final ByteBuffer buffer;
    private final MemorySegment segment;

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

    /** Zeroes {@code [offset, offset + length)}: a bulk copy per 192 bytes, no allocation. */
    void zero(int offset, int length) {
        for (int done = 0; done < length; done += SoaLayout.BUFFER_LENGTH) {
            MemorySegment.copy(ZEROS, 0, segment, offset + done, Math.min(SoaLayout.BUFFER_LENGTH, length - done));
        }
    }

    @Override
    public String toString() {
        return "Slab[" + PATH + ", " + byteSize() + " bytes]";
    }
}
