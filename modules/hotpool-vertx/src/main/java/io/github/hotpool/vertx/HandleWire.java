package io.github.hotpool.vertx;

import io.github.hotpool.core.SoaBuffer;
import io.vertx.core.buffer.Buffer;

/**
 * The handle wire form of {@link SoaHandleCodec} for callers that carry several handles in one
 * message of their own (several units per event-bus hop): the same bytes, the same validation,
 * without the codec's lending side effects (the caller keeps its handle and releases it when the
 * receiver has acknowledged the message). Stateless; thread-safe but {@link #decode}, which runs on
 * the owner thread of the pool it leases from.
 */
public final class HandleWire {

    private HandleWire() {
    }

    /** Appends {@code b}'s value snapshot (lanes, length, runs, receipts); {@code b} is left as it is. */
    public static void encode(Buffer out, SoaBuffer b) {
        WireFormat.encode(out, b);
    }

    /**
     * Checks every length and count of the handle frame at {@code pos} without leasing anything.
     *
     * @return the frame's size in bytes, its length field included
     * @throws HandleDecodeException naming the bad field, its value and the limit
     */
    public static int validate(Buffer in, int pos, int receiptsPerBuffer) {
        WireFormat.validate(in, pos, receiptsPerBuffer);
        return 4 + in.getInt(pos);
    }

    /**
     * Validates the frame at {@code pos} and materialises it in a buffer leased from {@code pool}.
     *
     * @throws HandleDecodeException naming the bad field, or the pool that is dry; nothing is leased then
     */
    public static SoaBuffer decode(Buffer in, int pos, ContextPool pool) {
        return WireFormat.decode(in, pos, pool.pool(), pool.options().getReceiptsPerBuffer());
    }
}
