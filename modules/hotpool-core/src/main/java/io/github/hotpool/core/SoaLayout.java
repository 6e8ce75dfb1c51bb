package io.github.hotpool.core;

/**
 * Memory layout of one structure-of-arrays (SoA) buffer in a pool's slab: three lanes of eight
 * 64-bit ids (subject, predicate, object), each lane exactly one cache line.
 *
 * <pre>
 *   base + 0    +--------+--------+--------+--------+--------+--------+--------+--------+
 *               |  s[0]  |  s[1]  |  s[2]  |  s[3]  |  s[4]  |  s[5]  |  s[6]  |  s[7]  |  S_OFFSET   (line 0)
 *   base + 64   +--------+--------+--------+--------+--------+--------+--------+--------+
 *               |  p[0]  |  p[1]  |  p[2]  |  p[3]  |  p[4]  |  p[5]  |  p[6]  |  p[7]  |  P_OFFSET   (line 1)
 *   base + 128  +--------+--------+--------+--------+--------+--------+--------+--------+
 *               |  o[0]  |  o[1]  |  o[2]  |  o[3]  |  o[4]  |  o[5]  |  o[6]  |  o[7]  |  O_OFFSET   (line 2)
 *   base + 192  +--------+--------+--------+--------+--------+--------+--------+--------+
 *               each cell: one unsigned 64-bit term id in native byte order; 0 = empty lane
 * </pre>
 *
 * <p>Buffers follow each other in the slab with no gap, so buffer {@code i} starts at
 * {@code i * BUFFER_LENGTH}, which is a multiple of 64 because the slab itself is 64-byte aligned.
 * This class is a constants holder; it is thread-safe.
 */
public final class SoaLayout {

    /** Length of a cache line on the machines Hotpool targets, in bytes. */
    public static final int CACHE_LINE_LENGTH = 64;

    /** The most triples one hot-path operation touches; not configurable. */
    public static final int MAX_RUN_LEN = 8;

    /** Bytes per lane cell: one 64-bit id. */
    public static final int LANE_BYTES = Long.BYTES;

    /** Bytes per lane: {@code MAX_RUN_LEN} cells, one cache line. */
    public static final int LANE_LENGTH = MAX_RUN_LEN * LANE_BYTES;

    /** Offset of the subject lane from the buffer's base. */
    public static final int S_OFFSET = 0;

    /** Offset of the predicate lane from the buffer's base. */
    public static final int P_OFFSET = S_OFFSET + LANE_LENGTH;

    /** Offset of the object lane from the buffer's base. */
    public static final int O_OFFSET = P_OFFSET + LANE_LENGTH;

    /** Total bytes of one SoA buffer: three cache lines. */
    public static final int BUFFER_LENGTH = O_OFFSET + LANE_LENGTH;

    private SoaLayout() {
    }

    /**
     * Byte offset, from the slab start, of buffer {@code slot}.
     *
     * @param slot index of the buffer in its pool
     * @return {@code slot * BUFFER_LENGTH}
     */
    public static int bufferOffset(int slot) {
        return slot * BUFFER_LENGTH;
    }

    /**
     * Checks that a lane index can address a buffer; the message names the index and the limit.
     *
     * @param lane lane index
     * @return {@code lane}
     * @throws IndexOutOfBoundsException if {@code lane} is not in {@code [0, MAX_RUN_LEN)}
     */
    public static int checkLane(int lane) {
        if (lane < 0 || lane >= MAX_RUN_LEN) {
            throw new IndexOutOfBoundsException("lane " + lane + " outside [0, MAX_RUN_LEN " + MAX_RUN_LEN + ")");
        }
        return lane;
    }
}
