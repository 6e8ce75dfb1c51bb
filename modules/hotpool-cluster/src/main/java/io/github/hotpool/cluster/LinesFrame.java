package io.github.hotpool.cluster;

import io.github.hotpool.core.SoaLayout;
import io.vertx.core.buffer.Buffer;

/**
 * The wire form of a unit before Transform: up to 8 N-Triples lines with their line numbers.
 * Stateless; thread-safe.
 */
final class LinesFrame {

    /*
     * Frame (big-endian):
     *
     *   0   int    frameLength   bytes after this field; must equal the sum the counts imply
     *   4   short  MAGIC 0x484C  "HL"
     *   6   byte   VERSION 1
     *   7   byte   lineCount     0..MAX_RUN_LEN
     *   8   lineCount x (long lineNumber >= 1, int length 0..maxLineLength, length bytes)
     *
     * validate checks the whole frame before anyone parses a byte of it.
     */
    static final short MAGIC = 0x484C;
    static final byte VERSION = 1;
    static final int HEADER = 8;
    static final int LINE_HEADER = 12;

    private LinesFrame() {
    }

    /** Starts a frame in {@code out}; @return the frame's start, for {@link #line} and {@link #end} */
    static int begin(Buffer out) {
        int start = out.length();
        out.appendInt(0).appendShort(MAGIC).appendByte(VERSION).appendByte((byte) 0);
        return start;
    }

    /** Appends one line (without its line break). */
    static void line(Buffer out, int start, byte[] src, int from, int to, long lineNumber) {
        out.appendLong(lineNumber).appendInt(to - from).appendBytes(src, from, to - from);
        out.setByte(start + 7, (byte) (out.getByte(start + 7) + 1));
    }

    /** Ends the frame: writes its length. */
    static void end(Buffer out, int start) {
        out.setInt(start, out.length() - start - 4);
    }

    /**
     * @return the line count, after checking every length and count of the frame at {@code pos}
     * @throws FrameException naming the bad field, its value and the limit
     */
    static int validate(Buffer in, int pos, int maxLineLength) {
        int available = in.length() - pos;
        if (pos < 0 || available < HEADER) {
            throw new FrameException("lines frame at " + pos + ": " + Math.max(available, 0)
                + " bytes available, header needs " + HEADER);
        }
        int frameLength = in.getInt(pos);
        short magic = in.getShort(pos + 4);
        if (magic != MAGIC) {
            throw new FrameException("lines frame at " + pos + ": magic 0x" + Integer.toHexString(magic & 0xffff)
                + ", expected 0x" + Integer.toHexString(MAGIC));
        }
        byte version = in.getByte(pos + 6);
        if (version != VERSION) {
            throw new FrameException("lines frame at " + pos + ": version " + version + ", supported " + VERSION);
        }
        int count = in.getByte(pos + 7);
        if (count < 0 || count > SoaLayout.MAX_RUN_LEN) {
            throw new FrameException("lines frame at " + pos + ": lineCount " + count + " outside [0, MAX_RUN_LEN "
                + SoaLayout.MAX_RUN_LEN + "]");
        }
        if (frameLength != available - 4) {
            throw new FrameException("lines frame at " + pos + ": frameLength " + frameLength + " but "
                + (available - 4) + " bytes follow the length field");
        }
        int at = pos + HEADER;
        int end = pos + 4 + frameLength;
        for (int i = 0; i < count; i++) {
            if (end - at < LINE_HEADER) {
                throw new FrameException("lines frame at " + pos + ": line " + i + " of " + count
                    + " truncated, " + (end - at) + " bytes left, its header needs " + LINE_HEADER);
            }
            long number = in.getLong(at);
            int length = in.getInt(at + 8);
            if (number < 1) {
                throw new FrameException("lines frame at " + pos + ": line " + i + " has lineNumber " + number + ", below 1");
            }
            if (length < 0 || length > maxLineLength) {
                throw new FrameException("lines frame at " + pos + ": line " + i + " length " + length
                    + " outside [0, maxLineLength " + maxLineLength + "]");
            }
            if (end - at - LINE_HEADER < length) {
                throw new FrameException("lines frame at " + pos + ": line " + i + " truncated, length " + length
                    + " but " + (end - at - LINE_HEADER) + " bytes left");
            }
            for (int k = at + LINE_HEADER, stop = k + length; k < stop; k++) {
                byte c = in.getByte(k);
                if (c == '\n' || c == '\r') {
                    // a source frames lines without their breaks; one inside a line would be parsed
                    // as a control character in a literal, which no N-Triples input can carry
                    throw new FrameException("lines frame at " + pos + ": line " + i + " (lineNumber " + number
                        + ") holds a " + (c == '\n' ? "LF" : "CR") + " at byte " + (k - at - LINE_HEADER)
                        + "; a line is framed without its line break");
                }
            }
            at += LINE_HEADER + length;
        }
        if (at != end) {
            throw new FrameException("lines frame at " + pos + ": " + (end - at) + " bytes after the last of "
                + count + " lines");
        }
        return count;
    }
}
