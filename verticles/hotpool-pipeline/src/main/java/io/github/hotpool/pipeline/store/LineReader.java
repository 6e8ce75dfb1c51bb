package io.github.hotpool.pipeline.store;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a file's lines as bytes (the exact bytes a format-2 leaf hashes), one at a time into a
 * reused buffer, with the line number and the byte offset where each starts. A last line without
 * a line break is reported as such ({@link #terminated()} false): a torn write. Single-threaded.
 */
final class LineReader implements AutoCloseable {

    private final InputStream in;
    private final String file;
    private final int maxLine;
    private final byte[] chunk = new byte[64 * 1024];
    private int pos;
    private int end;
    private long chunkOffset;
    byte[] line = new byte[1024];
    int length;
    long number;
    long offset;
    private boolean terminated;
    private long limit;

    LineReader(InputStream in, String file, int maxLine, long limit) {
        this.in = in;
        this.file = file;
        this.maxLine = maxLine;
        this.limit = limit;
    }

    /**
     * A stream over {@code ch} from {@code position} that reads positionally: it neither moves the
     * channel's own position nor closes the channel when closed.
     */
    static InputStream at(java.nio.channels.FileChannel ch, long position) {
        return new InputStream() {
            private long pos = position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = ch.read(java.nio.ByteBuffer.wrap(b, off, len), pos);
                if (n > 0) {
                    pos += n;
                }
                return n;
            }
        };
    }

    /** Reads the next line; false at the end of the file (or of the byte limit given). */
    boolean next() throws IOException {
        long start = chunkOffset + pos;
        if (start >= limit) {
            return false;
        }
        length = 0;
        terminated = false;
        offset = start;
        while (true) {
            if (pos == end) {
                chunkOffset += end;
                pos = 0;
                int want = (int) Math.min(chunk.length, limit - chunkOffset);
                end = want <= 0 ? -1 : in.read(chunk, 0, want);
                if (end <= 0) {
                    end = 0;
                    if (length == 0) {
                        return false;
                    }
                    number++;
                    return true; // last line without '\n'
                }
            }
            int from = pos;
            while (pos < end && chunk[pos] != '\n') {
                pos++;
            }
            int n = pos - from;
            if (length + n > maxLine) {
                throw new StoreException(file + " line " + (number + 1) + " (byte " + offset + ") is longer than "
                    + maxLine + " bytes: not a file this store wrote");
            }
            if (length + n > line.length) {
                byte[] grown = new byte[Math.max(line.length * 2, length + n)];
                System.arraycopy(line, 0, grown, 0, length);
                line = grown;
            }
            System.arraycopy(chunk, from, line, length, n);
            length += n;
            if (pos < end) {
                pos++;
                terminated = true;
                number++;
                return true;
            }
        }
    }

    /** False when the line just read ended at the end of the file without a line break. */
    boolean terminated() {
        return terminated;
    }

    /** Offset just past the line just read (and its line break). */
    long endOffset() {
        return chunkOffset + pos;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
