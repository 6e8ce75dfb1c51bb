package io.github.hotpool.vertx;

import io.github.hotpool.core.SoaBuffer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Event-bus codec for pool handles ({@link SoaBuffer}), installed as the default codec for that
 * type the first time a pool is created on a Vertx instance. Stateless; thread-safe.
 *
 * <ul>
 *   <li>Local delivery ({@code send}, {@code request}): {@link #transform} returns the handle itself,
 *   zero copy; ownership moves to the consumer (or, with {@link ContextPool#request}, is lent).</li>
 *   <li>{@code publish}: refused by an outbound interceptor installed with the codec, because N
 *   consumers would share one single-owner buffer; the buffer goes home and the error is reported
 *   to the sender context's exception handler.</li>
 *   <li>Clustered: {@link #encodeToWire} writes a value snapshot (lanes, length, runs, receipts);
 *   {@link #decodeFromWire} validates it and leases a copy from the decoding context's pool, or
 *   throws {@link HandleDecodeException}. A buffer sent to another node by plain {@code send}
 *   goes home once encoded.</li>
 * </ul>
 */
public final class SoaHandleCodec implements MessageCodec<SoaBuffer, SoaBuffer> {

    /** Codec name on the event bus. */
    public static final String NAME = "hotpool-soa-handle";
    static final SoaHandleCodec INSTANCE = new SoaHandleCodec();

    private SoaHandleCodec() {
    }

    static void install(Vertx vertx) {
        vertx.eventBus().registerDefaultCodec(SoaBuffer.class, INSTANCE);
        vertx.eventBus().addOutboundInterceptor(SoaHandleCodec::refusePublish);
    }

    private static void refusePublish(DeliveryContext<Object> dc) {
        Object body = dc.body();
        if (body instanceof SoaBuffer && !dc.send()) {
            SoaBuffer b = (SoaBuffer) body;
            String what = b.toString();
            ContextPools.release(b);
            throw new IllegalStateException("publish of " + what + " to '" + dc.message().address()
                + "' refused: a pool handle has one owner, so it cannot go to several consumers; use send or "
                + "ContextPool.request. The buffer went back to its pool.");
        }
        dc.next();
    }

    @Override
    public SoaBuffer transform(SoaBuffer handle) {
        return handle;
    }

    @Override
    public void encodeToWire(Buffer buffer, SoaBuffer handle) {
        WireFormat.encode(buffer, handle);
        ContextPool home = ContextPools.home(handle.pool());
        if (home == null) {
            return;
        }
        int slot = handle.slot();
        int gen = handle.generation();
        if (home.lending.table.phase(slot, gen) == LendingTable.LENT) {
            home.lending.table.move(slot, gen, LendingTable.COPIED); // the requester releases on reply or failure
        } else {
            home.releaseLease(handle, gen); // plain send: the copy on the wire is the only owner now
        }
    }

    @Override
    public SoaBuffer decodeFromWire(int pos, Buffer buffer) {
        ContextPool pool;
        try {
            pool = ContextPools.current();
        } catch (IllegalStateException e) {
            throw new HandleDecodeException("SoA handle frame at " + pos + " needs an event-loop context with a pool to "
                + "decode into: " + e.getMessage());
        }
        return WireFormat.decode(buffer, pos, pool.pool(), pool.options().getReceiptsPerBuffer());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
