package io.github.hotpool.vertx;

import io.github.hotpool.core.PoolExhaustedException;
import io.github.hotpool.core.SoaBuffer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class WaitQueueTest {

    private static ContextPool pool(Context ctx, HotpoolOptions o) throws Exception {
        return OnContext.call(ctx, () -> ContextPools.install(ctx, o));
    }

    @Test
    void failPolicy_failsAtOnceWithCoreExhaustion(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = pool(ctx, new HotpoolOptions().setSoaBuffers(1));
        Future<SoaBuffer> second = OnContext.call(ctx, () -> {
            p.acquire(1);
            return p.acquireAsync(1);
        });
        assertThat(second.failed()).isTrue();
        assertThat(second.cause()).isInstanceOf(PoolExhaustedException.class).hasMessageContaining("all 1 SoA buffers");
        assertThat(p.waitQueueSize()).isZero();
    }

    @Test
    void waiters_areServedInArrivalOrderAsBuffersComeBack(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = pool(ctx, new HotpoolOptions().setSoaBuffers(1).setExhaustionPolicy(ExhaustionPolicy.WAIT)
            .setWaitTimeoutMillis(5_000));
        List<Integer> order = new CopyOnWriteArrayList<>();
        Future<?> all = OnContext.call(ctx, () -> {
            SoaBuffer first = p.acquire(1);
            List<Future<SoaBuffer>> waits = List.of(p.acquireAsync(1), p.acquireAsync(2), p.acquireAsync(3));
            for (Future<SoaBuffer> w : waits) {
                w.onSuccess(b -> {
                    order.add(b.capacity());
                    p.release(b); // serves the next waiter
                });
            }
            assertThat(p.waitQueueSize()).isEqualTo(3);
            p.release(first);
            return Future.all(waits);
        });
        all.await(5, TimeUnit.SECONDS);
        assertThat(order).containsExactly(1, 2, 3);
        assertThat(p.waitsServed()).isEqualTo(3);
        assertThat(p.waitQueueSize()).isZero();
        assertThat(p.pool().soaInUse()).isZero();
    }

    /** A one-buffer WAIT pool whose buffer is held ({@code first[0]}) while a request for {@code size} waits. */
    private static Future<SoaBuffer> oneHeldOneWaiting(Vertx vertx, int size, SoaBuffer[] first, ContextPool[] pool)
        throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = pool(ctx, new HotpoolOptions().setSoaBuffers(1).setExhaustionPolicy(ExhaustionPolicy.WAIT)
            .setWaitTimeoutMillis(5_000));
        pool[0] = p;
        return OnContext.call(ctx, () -> {
            first[0] = p.acquire(1);
            return p.acquireAsync(size);
        });
    }

    @Test
    void releaseFromAnotherThread_wakesTheWaiter(Vertx vertx) throws Exception {
        SoaBuffer[] first = new SoaBuffer[1];
        ContextPool[] pool = new ContextPool[1];
        Future<SoaBuffer> waiting = oneHeldOneWaiting(vertx, 4, first, pool);
        ContextPool p = pool[0];
        ContextPools.release(first[0]); // test thread: remote release through the ring
        SoaBuffer b = waiting.await(5, TimeUnit.SECONDS);
        assertThat(b.capacity()).isEqualTo(4);
        assertThat(p.pool().remoteReleaseCount()).isEqualTo(1);
        ContextPools.release(b);
        assertThat(p.pool().soaInUse()).isZero();
    }

    @Test
    void closeOnAnotherThread_bypassingTheBinding_stillServesTheWaiter(Vertx vertx) throws Exception {
        SoaBuffer[] first = new SoaBuffer[1];
        ContextPool[] pool = new ContextPool[1];
        Future<SoaBuffer> waiting = oneHeldOneWaiting(vertx, 1, first, pool);
        ContextPool p = pool[0];
        first[0].close();
        assertThat(waiting.await(5, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void waiter_failsAfterTimeout_andFullQueueIsRefused(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = pool(ctx, new HotpoolOptions().setSoaBuffers(1).setExhaustionPolicy(ExhaustionPolicy.WAIT)
            .setMaxWaitQueueSize(1).setWaitTimeoutMillis(20));
        List<Future<SoaBuffer>> f = OnContext.call(ctx, () -> {
            p.acquire(1);
            return List.of(p.acquireAsync(1), p.acquireAsync(1));
        });
        assertThat(f.get(1).failed()).isTrue();
        assertThat(f.get(1).cause()).hasMessageContaining("wait queue full").hasMessageContaining("maxWaitQueueSize 1");
        assertThat(f.get(0).otherwiseEmpty().await(5, TimeUnit.SECONDS)).isNull();
        assertThat(f.get(0).cause()).hasMessageContaining("within waitTimeoutMillis 20").hasMessageContaining("1 of 1 in use");
        assertThat(p.waitsFailed()).isEqualTo(2);
        assertThat(p.waitQueueSize()).isZero();
    }

    @Test
    void closingThePool_failsItsWaiters(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = pool(ctx, new HotpoolOptions().setSoaBuffers(1).setExhaustionPolicy(ExhaustionPolicy.WAIT)
            .setWaitTimeoutMillis(5_000));
        Future<SoaBuffer> waiting = OnContext.call(ctx, () -> {
            p.acquire(1);
            Future<SoaBuffer> w = p.acquireAsync(1);
            ContextPools.closeForTest((io.vertx.core.internal.ContextInternal) ctx);
            return w;
        });
        assertThat(waiting.failed()).isTrue();
        assertThat(waiting.cause()).hasMessageContaining("closed while waiting");
        assertThat(p.closeFuture().await(5, TimeUnit.SECONDS)).isEqualTo(1);
    }
}
