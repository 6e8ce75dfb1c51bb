package io.github.hotpool.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Allocates the aligned off-heap memory behind every {@link Slab}: one place, shared by both
 * builds of {@code Slab}, so alignment and byte order cannot drift between the Java 17 and the
 * Java 22 lane-access paths. Stateless, thread-safe.
 */
final class AlignedMemory {

    private AlignedMemory() {
    }

    /**
     * @param bytes usable bytes wanted
     * @param what names the request in the error message, e.g. {@code "soaBuffers=9000000"}
     * @return a zeroed, direct, native-order buffer of exactly {@code bytes} whose first byte is
     *     64-byte aligned
     * @throws IllegalArgumentException if {@code bytes} is negative or the buffer would exceed 2 GiB
     */
    static ByteBuffer allocate(long bytes, String what) {
        int line = SoaLayout.CACHE_LINE_LENGTH;
        long limit = Integer.MAX_VALUE - 2 * line + 2; // the whole lines plus slack still fit in an int
        if (bytes < 0 || bytes > limit) {
            throw new IllegalArgumentException("slab of " + bytes + " bytes outside [0, " + limit + "]: " + what);
        }
        // alignedSlice rounds the start up and the end down to a line, so ask for whole lines plus slack
        long lines = (bytes + line - 1) / line * line;
        return ByteBuffer.allocateDirect((int) lines + line - 1)
            .alignedSlice(line)
            .limit((int) bytes)
            .slice()
            .order(ByteOrder.nativeOrder());
    }
}
