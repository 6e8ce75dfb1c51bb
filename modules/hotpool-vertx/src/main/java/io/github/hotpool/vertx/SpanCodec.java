package io.github.hotpool.vertx;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Event-bus codec for {@link Span}s, installed as the default codec for that type the first time
 * a {@link SpanRing} is made on a Vertx instance. Stateless; thread-safe.
 *
 * <ul>
 *   <li>Local {@code send}: {@link #transform} returns the span itself: zero copy, no allocation.</li>
 *   <li>{@code publish}: refused by an outbound interceptor (a span has one holder at a time), which
 *   reports an {@code IllegalStateException} to the sender context's exception handler; the span
 *   is not delivered and stays with its holder.</li>
 *   <li>Clustered: refused; a span names rows of a ring in this JVM, so encoding throws.</li>
 * </ul>
 */
public final class SpanCodec implements MessageCodec<Span, Span> {

    /** Codec name on the event bus. */
    public static final String NAME = "hotpool-span";
    static final SpanCodec INSTANCE = new SpanCodec();

    private SpanCodec() {
    }

    static void install(Vertx vertx) {
        vertx.eventBus().registerDefaultCodec(Span.class, INSTANCE);
        vertx.eventBus().addOutboundInterceptor(SpanCodec::refusePublish);
    }

    private static void refusePublish(DeliveryContext<Object> dc) {
        Object body = dc.body();
        if (body instanceof Span && !dc.send()) {
            throw new IllegalStateException("publish of " + body + " to '" + dc.message().address()
                + "' refused: a span has one holder at a time, so it cannot go to several consumers; use send. "
                + "The span was not delivered.");
        }
        dc.next();
    }

    @Override
    public Span transform(Span span) {
        return span;
    }

    @Override
    public void encodeToWire(Buffer buffer, Span span) {
        throw new IllegalStateException("a span cannot leave its JVM: " + span + " names rows of a ring in this process");
    }

    @Override
    public Span decodeFromWire(int pos, Buffer buffer) {
        throw new IllegalStateException("spans have no wire form (frame at " + pos + ")");
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
