package io.github.hotpool.cluster;

import io.vertx.core.buffer.Buffer;
import java.util.HashSet;
import java.util.Set;

/**
 * The wire form of several units on their way from the source to one node's Transform: up to
 * {@link #MAX_UNITS} lines frames, each with its sequence, attempt and route. One request carries
 * them and one reply acknowledges them all; each unit is still re-sent and deduplicated on its
 * own. Stateless; thread-safe.
 */
final class UnitsFrame {

    /*
     * Frame (big-endian):
     *
     *   0   int    frameLength   bytes after this field; must equal what the units imply
     *   4   short  MAGIC 0x4855  "HU"
     *   6   byte   VERSION 1
     *   7   byte   unitCount     1..MAX_UNITS
     *   8   unitCount x {
     *         long   seq        >= 0, each at most once in a frame
     *         int    attempt    >= 0
     *         short  route[4]   one index into the run's node table per stage, each < the table's size
     *         int    length     of the lines frame that follows, >= LinesFrame.HEADER
     *         length bytes      a lines frame (LinesFrame), validated as such
     *       }
     *
     * validate checks every field of every unit, and every unit's lines frame, before anyone
     * parses a line of it, so a bad frame is refused whole and nothing is leased for it.
     */
    static final short MAGIC = 0x4855;
    static final byte VERSION = 1;
    static final int HEADER = 8;
    static final int STAGES = GuardStage.values().length;
    static final int UNIT_HEADER = 8 + 4 + 2 * STAGES + 4;
    static final int MAX_UNITS = 127;

    /** What validate found: per unit its sequence, attempt, route (node indexes) and lines frame. */
    record Unit(long seq, int attempt, int[] route, Buffer lines, int lineCount) {
    }

    private UnitsFrame() {
    }

    /** Starts a frame in a new buffer. */
    static Buffer begin(int capacity) {
        Buffer out = Buffer.buffer(capacity);
        out.appendInt(0).appendShort(MAGIC).appendByte(VERSION).appendByte((byte) 0);
        return out;
    }

    /** Appends one unit; {@code route} holds a node index per stage. */
    static void unit(Buffer out, long seq, int attempt, int[] route, Buffer lines) {
        out.appendLong(seq).appendInt(attempt);
        for (int i : route) {
            out.appendShort((short) i);
        }
        out.appendInt(lines.length()).appendBuffer(lines);
        out.setByte(7, (byte) (out.getByte(7) + 1));
    }

    /** Ends the frame: writes its length. */
    static Buffer end(Buffer out) {
        out.setInt(0, out.length() - 4);
        return out;
    }

    /**
     * @param nodes the size of the run's node table
     * @return the units, after checking every field of the frame and of each unit's lines frame
     * @throws FrameException naming the unit, the bad field, its value and the limit
     */
    static Unit[] validate(Buffer in, int nodes, int maxLineLength) {
        int available = in.length();
        if (available < HEADER) {
            throw new FrameException("units frame: " + available + " bytes available, header needs " + HEADER);
        }
        int frameLength = in.getInt(0);
        short magic = in.getShort(4);
        if (magic != MAGIC) {
            throw new FrameException("units frame: magic 0x" + Integer.toHexString(magic & 0xffff) + ", expected 0x"
                + Integer.toHexString(MAGIC));
        }
        byte version = in.getByte(6);
        if (version != VERSION) {
            throw new FrameException("units frame: version " + version + ", supported " + VERSION);
        }
        int count = in.getByte(7);
        if (count < 1 || count > MAX_UNITS) {
            throw new FrameException("units frame: unitCount " + count + " outside [1, " + MAX_UNITS + "]");
        }
        if (frameLength != available - 4) {
            throw new FrameException("units frame: frameLength " + frameLength + " but " + (available - 4)
                + " bytes follow the length field");
        }
        Unit[] units = new Unit[count];
        Set<Long> seqs = new HashSet<>();
        int at = HEADER;
        for (int u = 0; u < count; u++) {
            if (available - at < UNIT_HEADER) {
                throw new FrameException("units frame: unit " + u + " of " + count + " truncated, " + (available - at)
                    + " bytes left, its header needs " + UNIT_HEADER);
            }
            long seq = in.getLong(at);
            if (seq < 0) {
                throw new FrameException("units frame: unit " + u + " has seq " + seq + ", below 0");
            }
            if (!seqs.add(seq)) {
                throw new FrameException("units frame: unit " + u + " has seq " + seq + ", already in this frame");
            }
            int attempt = in.getInt(at + 8);
            if (attempt < 0) {
                throw new FrameException("units frame: unit " + u + " (seq " + seq + ") has attempt " + attempt
                    + ", below 0");
            }
            int[] route = new int[STAGES];
            for (int s = 0; s < STAGES; s++) {
                int n = in.getShort(at + 12 + 2 * s);
                if (n < 0 || n >= nodes) {
                    throw new FrameException("units frame: unit " + u + " (seq " + seq + ") route of "
                        + GuardStage.values()[s].id() + " is node index " + n + ", outside the run's " + nodes + " nodes");
                }
                route[s] = n;
            }
            int length = in.getInt(at + 12 + 2 * STAGES);
            int left = available - at - UNIT_HEADER;
            if (length < LinesFrame.HEADER || length > left) {
                throw new FrameException("units frame: unit " + u + " (seq " + seq + ") length " + length
                    + " outside [" + LinesFrame.HEADER + ", " + left + " bytes left]");
            }
            int start = at + UNIT_HEADER;
            Buffer lines = in.slice(start, start + length);
            int lineCount;
            try {
                lineCount = LinesFrame.validate(lines, 0, maxLineLength);
            } catch (FrameException e) {
                throw new FrameException("units frame: unit " + u + " (seq " + seq + "): " + e.getMessage());
            }
            units[u] = new Unit(seq, attempt, route, lines, lineCount);
            at = start + length;
        }
        if (at != available) {
            throw new FrameException("units frame: " + (available - at) + " bytes after the last of " + count + " units");
        }
        return units;
    }
}
