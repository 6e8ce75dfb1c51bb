package io.github.hotpool.pipeline.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * File reads and writes of heap arrays through one direct buffer that the caller owns, so that
 * the bytes cross into native memory in one place that is allocated once.
 *
 * <p>Why: a {@link FileChannel} handed a heap buffer copies it through a temporary direct buffer
 * of the transfer's size, and keeps that buffer cached in the calling thread. The pipeline's
 * blocking I/O runs as Vert.x blocking tasks, which land on any of the worker pool's threads (20
 * by default) in turn, so each of them ends up holding its own copy of the largest chunk or flush
 * it ever moved: on the 2,167,320-triple large-file run about 27 MB of native memory in 33 such
 * buffers (Native Memory Tracking, category Other), all resident. One staging buffer per reader
 * or writer does the same copy without the per-thread copies.
 *
 * <p>Not thread-safe: one transfer at a time (the owner's reads, or a store's flushes, are
 * ordered already). The buffer is freed with this object, so owners keep it: the store one for
 * its life, the ring pipeline's source one that it lends to each file it reads in turn. Public for
 * that source, which lives in another package; applications do not need it.
 */
public final class DirectStaging {

    private final ByteBuffer direct;

    /** @param capacity bytes moved per system call at most; a transfer may be longer */
    public DirectStaging(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("staging capacity must be positive, was " + capacity);
        }
        direct = ByteBuffer.allocateDirect(capacity);
    }

    /**
     * Reads from {@code at} into {@code into[off, off + len)} until it is full or the file ends.
     *
     * @return the bytes read, less than {@code len} only at the end of the file
     */
    public int readFully(FileChannel ch, byte[] into, int off, int len, long at) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, into.length);
        int total = 0;
        while (total < len) {
            direct.clear().limit(Math.min(direct.capacity(), len - total));
            int n = ch.read(direct, at + total);
            if (n < 0) {
                break;
            }
            direct.flip();
            direct.get(into, off + total, n);
            total += n;
        }
        return total;
    }

    /**
     * Writes {@code b[off, off + len)} in full: at the channel's position when {@code pos < 0}
     * (which advances it), else at {@code pos} (which does not).
     */
    public void writeFully(FileChannel ch, byte[] b, int off, int len, long pos) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        int done = 0;
        while (done < len) {
            int n = Math.min(direct.capacity(), len - done);
            direct.clear();
            direct.put(b, off + done, n).flip();
            while (direct.hasRemaining()) {
                if (pos < 0) {
                    ch.write(direct);
                } else {
                    pos += ch.write(direct, pos);
                }
            }
            done += n;
        }
    }
}
