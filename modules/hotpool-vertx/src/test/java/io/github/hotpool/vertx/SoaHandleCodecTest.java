package io.github.hotpool.vertx;

import io.github.hotpool.core.SoaBuffer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(VertxExtension.class)
class SoaHandleCodecTest {

    @Test
    void transform_returnsTheSameHandle() throws Exception {
        assertThat(SoaHandleCodec.INSTANCE.transform(null)).isNull();
        assertThat(SoaHandleCodec.INSTANCE.name()).isEqualTo(SoaHandleCodec.NAME);
        assertThat(SoaHandleCodec.INSTANCE.systemCodecID()).isEqualTo((byte) -1);
    }

    @Test
    void wireRoundTrip_decodesIntoTheReceivingContextsPool_andPlainSendReleasesTheOriginal(Vertx vertx) throws Exception {
        Context from = OnContext.newContext(vertx);
        Context to = OnContext.newContext(vertx);
        ContextPool source = OnContext.call(from, ContextPools::current);
        ContextPool target = OnContext.call(to, ContextPools::current);
        Buffer wire = OnContext.call(from, () -> {
            SoaBuffer b = source.acquire(3).set(0, 1, 2, 3).length(1).addRun(2, 0, 1);
            assertThat(SoaHandleCodec.INSTANCE.transform(b)).isSameAs(b);
            Buffer out = Buffer.buffer();
            SoaHandleCodec.INSTANCE.encodeToWire(out, b);
            return out;
        });
        assertThat(source.pool().soaInUse()).as("the original goes home once encoded").isZero();
        SoaBuffer copy = OnContext.call(to, () -> SoaHandleCodec.INSTANCE.decodeFromWire(0, wire));
        assertThat(copy.pool()).isSameAs(target.pool());
        assertThat(copy.object(0)).isEqualTo(3);
        ContextPools.release(copy);
        assertThat(target.pool().soaInUse()).isZero();
    }

    @Test
    void decodeWithoutAContext_isADecodeError() {
        assertThatThrownBy(() -> SoaHandleCodec.INSTANCE.decodeFromWire(0, Buffer.buffer(new byte[20])))
            .isInstanceOf(HandleDecodeException.class).hasMessageContaining("needs an event-loop context");
    }
}
