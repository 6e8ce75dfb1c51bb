package io.github.hotpool.vertx;

import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.WrongThreadException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The owner-thread-only methods of {@link ContextPool} raise {@link WrongThreadException}, as documented. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ContextPoolThreadingTest {

    private Context ctx;
    private ContextPool p;

    @BeforeEach
    void pool(Vertx vertx) throws Exception {
        ctx = OnContext.newContext(vertx);
        p = OnContext.call(ctx, () -> ContextPools.install(ctx, new HotpoolOptions().setSoaBuffers(1)
            .setExhaustionPolicy(ExhaustionPolicy.WAIT)));
    }

    @Test
    void acquireAndTryAcquire_offTheOwner_throwWrongThreadException() {
        assertThatThrownBy(() -> p.acquire(1)).isInstanceOf(WrongThreadException.class)
            .hasMessageContaining("cannot acquire on thread '" + Thread.currentThread().getName() + "'")
            .hasMessageContaining("is owned by thread");
        assertThatThrownBy(() -> p.tryAcquire(1)).isInstanceOf(WrongThreadException.class);
        assertThat(p.pool().soaInUse()).isZero();
    }

    @Test
    void acquireAsyncAndWithSoa_offTheOwner_failTheirFutureWithWrongThreadException() throws Exception {
        Future<SoaBuffer> async = p.acquireAsync(1);
        Future<Integer> with = p.withSoa(1, b -> Future.succeededFuture(1));
        assertThatThrownBy(() -> async.await(5, TimeUnit.SECONDS)).isInstanceOf(WrongThreadException.class);
        assertThatThrownBy(() -> with.await(5, TimeUnit.SECONDS)).isInstanceOf(WrongThreadException.class);
        assertThat(p.pool().soaInUse()).isZero();
    }

    @Test
    void acquireAsync_offTheOwner_isRefusedEvenWhileOthersWait() throws Exception {
        SoaBuffer held = OnContext.call(ctx, () -> p.acquire(1));
        Future<SoaBuffer> waiting = OnContext.call(ctx, () -> p.acquireAsync(1));
        assertThat(p.waitQueueSize()).isEqualTo(1);
        Future<SoaBuffer> foreign = p.acquireAsync(1);
        assertThatThrownBy(() -> foreign.await(5, TimeUnit.SECONDS)).isInstanceOf(WrongThreadException.class);
        assertThat(p.waitQueueSize()).as("the foreign request did not join the queue").isEqualTo(1);
        p.release(held);
        SoaBuffer served = waiting.await(5, TimeUnit.SECONDS);
        p.release(served);
    }

    @Test
    void maintainCapacity_offTheOwner_throwsWrongThreadException() {
        assertThatThrownBy(() -> p.maintainCapacity()).isInstanceOf(WrongThreadException.class)
            .hasMessageContaining("cannot maintain capacity on thread");
    }
}
