package io.github.hotpool.cluster;

import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.vertx.HandleDecodeException;
import io.github.hotpool.vertx.HandleWire;
import io.vertx.core.buffer.Buffer;
import java.util.HashSet;
import java.util.Set;

/**
 * The wire form of several units on their way from one node to a later stage (Load, Reflex or
 * Emit) on another: up to {@link UnitsFrame#MAX_UNITS} pool handles in the handle wire form, each
 * with its sequence, attempt and route. One request carries them, one reply acknowledges them all,
 * and the sender releases its handles only then. Stateless; thread-safe.
 */
final class HandlesFrame {

    /*
     * Frame (big-endian):
     *
     *   0   int    frameLength   bytes after this field; must equal what the units imply
     *   4   short  MAGIC 0x4848  "HH"
     *   6   byte   VERSION 1
     *   7   byte   unitCount     1..MAX_UNITS
     *   8   byte   stage         the stage the units enter here: load, reflex or emit (its ordinal)
     *   9   unitCount x {
     *         long   seq        >= 0, each at most once in a frame
     *         int    attempt    >= 0
     *         short  route[4]   one index into the run's node table per stage, each < the table's size
     *         a handle frame     SoaHandleCodec's wire form, sized by its own length field and validated as such
     *       }
     */
    static final short MAGIC = 0x4848;
    static final byte VERSION = 1;
    static final int HEADER = 9;
    static final int UNIT_HEADER = 8 + 4 + 2 * UnitsFrame.STAGES;

    /** What validate found: per unit its sequence, attempt, route and where its handle frame starts. */
    record Unit(long seq, int attempt, int[] route, int handleAt) {
    }

    private HandlesFrame() {
    }

    static Buffer begin(GuardStage stage) {
        Buffer out = Buffer.buffer(1024);
        out.appendInt(0).appendShort(MAGIC).appendByte(VERSION).appendByte((byte) 0).appendByte((byte) stage.ordinal());
        return out;
    }

    static void unit(Buffer out, long seq, int attempt, int[] route, SoaBuffer handle) {
        out.appendLong(seq).appendInt(attempt);
        for (int i : route) {
            out.appendShort((short) i);
        }
        HandleWire.encode(out, handle);
        out.setByte(7, (byte) (out.getByte(7) + 1));
    }

    static Buffer end(Buffer out) {
        out.setInt(0, out.length() - 4);
        return out;
    }

    /** @return the stage byte of a frame that passed {@link #validate} */
    static GuardStage stage(Buffer in) {
        return GuardStage.values()[in.getByte(8)];
    }

    /**
     * @return the units, after checking every field of the frame and every handle frame in it
     * @throws FrameException naming the unit, the bad field, its value and the limit
     */
    static Unit[] validate(Buffer in, int nodes, int receiptsPerBuffer) {
        int available = in.length();
        if (available < HEADER) {
            throw new FrameException("handles frame: " + available + " bytes available, header needs " + HEADER);
        }
        int frameLength = in.getInt(0);
        short magic = in.getShort(4);
        if (magic != MAGIC) {
            throw new FrameException("handles frame: magic 0x" + Integer.toHexString(magic & 0xffff) + ", expected 0x"
                + Integer.toHexString(MAGIC));
        }
        byte version = in.getByte(6);
        if (version != VERSION) {
            throw new FrameException("handles frame: version " + version + ", supported " + VERSION);
        }
        int count = in.getByte(7);
        if (count < 1 || count > UnitsFrame.MAX_UNITS) {
            throw new FrameException("handles frame: unitCount " + count + " outside [1, " + UnitsFrame.MAX_UNITS + "]");
        }
        int stage = in.getByte(8);
        if (stage <= GuardStage.TRANSFORM.ordinal() || stage >= GuardStage.values().length) {
            throw new FrameException("handles frame: stage " + stage + " outside [" + GuardStage.LOAD.ordinal() + " (load), "
                + GuardStage.EMIT.ordinal() + " (emit)]");
        }
        if (frameLength != available - 4) {
            throw new FrameException("handles frame: frameLength " + frameLength + " but " + (available - 4)
                + " bytes follow the length field");
        }
        Unit[] units = new Unit[count];
        Set<Long> seqs = new HashSet<>();
        int at = HEADER;
        for (int u = 0; u < count; u++) {
            if (available - at < UNIT_HEADER) {
                throw new FrameException("handles frame: unit " + u + " of " + count + " truncated, " + (available - at)
                    + " bytes left, its header needs " + UNIT_HEADER);
            }
            long seq = in.getLong(at);
            if (seq < 0) {
                throw new FrameException("handles frame: unit " + u + " has seq " + seq + ", below 0");
            }
            if (!seqs.add(seq)) {
                throw new FrameException("handles frame: unit " + u + " has seq " + seq + ", already in this frame");
            }
            int attempt = in.getInt(at + 8);
            if (attempt < 0) {
                throw new FrameException("handles frame: unit " + u + " (seq " + seq + ") has attempt " + attempt
                    + ", below 0");
            }
            int[] route = new int[UnitsFrame.STAGES];
            for (int s = 0; s < route.length; s++) {
                int n = in.getShort(at + 12 + 2 * s);
                if (n < 0 || n >= nodes) {
                    throw new FrameException("handles frame: unit " + u + " (seq " + seq + ") route of "
                        + GuardStage.values()[s].id() + " is node index " + n + ", outside the run's " + nodes + " nodes");
                }
                route[s] = n;
            }
            int handleAt = at + UNIT_HEADER;
            int size;
            try {
                // the handle frame's own length field sizes it; the next unit starts right after
                size = HandleWire.validate(in, handleAt, receiptsPerBuffer);
            } catch (HandleDecodeException e) {
                throw new FrameException("handles frame: unit " + u + " (seq " + seq + "): " + e.getMessage());
            }
            units[u] = new Unit(seq, attempt, route, handleAt);
            at = handleAt + size;
        }
        if (at != available) {
            throw new FrameException("handles frame: " + (available - at) + " bytes after the last of " + count + " units");
        }
        return units;
    }
}
