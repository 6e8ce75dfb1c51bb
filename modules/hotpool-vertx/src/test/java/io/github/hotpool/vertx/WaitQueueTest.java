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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class WaitQueueTest {

    /** Tests here end with buffers out on purpose: their pools' close reports are checked, not logged. */
    @org.junit.jupiter.api.extension.RegisterExtension
    static final PoolReportCapture REPORTS = PoolReportCapture.expectingClosedWithBuffersOut(4, 4);

    private static ContextPool pool(Context ctx, HotpoolOptions o) throws Exception {
        return OnContext.call(ctx, () -> ContextPools.install(ctx, o));
    }

    private static HotpoolOptions oneBufferWaiting(long timeoutMillis) {
        return new HotpoolOptions().setSoaBuffers(1).setExhaustionPolicy(ExhaustionPolicy.WAIT)
            .setWaitTimeoutMillis(timeoutMillis);
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
        ContextPool p = pool(ctx, oneBufferWaiting(5_000));
        List<Integer> order = new CopyOnWriteArrayList<>();
        Future<?> all = OnContext.call(ctx, () -> {
            SoaBuffer first = p.acquire(1);
            List<Future<SoaBuffer>> waits = List.of(p.acquireAsync(1), p.acquireAsync(2), p.acquireAsync(3));
            for (Future<SoaBuffer> w : waits) {
                recordThenRelease(w, order, p::release); // serves the next waiter
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

    /** When {@code wait} is served: records the buffer's capacity in {@code order}, then gives it back. */
    private static Future<SoaBuffer> recordThenRelease(Future<SoaBuffer> wait, List<Integer> order,
        Consumer<SoaBuffer> release) {
        return wait.onSuccess(b -> {
            order.add(b.capacity());
            release.accept(b);
        });
    }

    /** A one-buffer WAIT pool whose buffer is held ({@code first[0]}) while a request for {@code size} waits. */
    private static Future<SoaBuffer> oneHeldOneWaiting(Vertx vertx, int size, SoaBuffer[] first, ContextPool[] pool)
        throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = pool(ctx, oneBufferWaiting(5_000));
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
    void closeOnAnotherThread_bypassingTheBinding_servesTheWaiterWithNoTimerButItsTimeout(Vertx vertx)
        throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = pool(ctx, oneBufferWaiting(60_000));
        SoaBuffer first = OnContext.call(ctx, () -> p.acquire(1));
        List<Future<SoaBuffer>> waiting = new CopyOnWriteArrayList<>();
        long armedBefore = p.timersArmed();
        OnContext.call(ctx, () -> waiting.add(p.acquireAsync(3)));
        long timers = p.timersArmed() - armedBefore; // the pool's own count: not Vert.x's timer ids
        assertThat(timers).as("timers registered by one wait: its timeout, and no poll").isEqualTo(1);
        assertThat(p.waitQueueSize()).isEqualTo(1);
        CompletableFuture.runAsync(first::close).get(5, TimeUnit.SECONDS); // core close(), not the binding
        SoaBuffer b = waiting.get(0).await(5, TimeUnit.SECONDS); // long before the 60 s timeout
        assertThat(b.capacity()).isEqualTo(3);
        assertThat(p.waitsServed()).isEqualTo(1);
        assertThat(p.waitsFailed()).isZero();
    }

    @Test
    void withoutTheReleaseListener_aWaiterIsEndedOnlyByItsTimeout(Vertx vertx) throws Exception {
        SoaBuffer[] first = new SoaBuffer[1];
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = pool(ctx, oneBufferWaiting(200));
        Future<SoaBuffer> waiting = OnContext.call(ctx, () -> {
            first[0] = p.acquire(1);
            p.pool().releaseListener(null); // nothing may notice the release below but a poll, and none exists
            return p.acquireAsync(1);
        });
        first[0].close();
        assertThat(waiting.otherwiseEmpty().await(5, TimeUnit.SECONDS)).isNull();
        assertThat(waiting.cause()).hasMessageContaining("within waitTimeoutMillis 200");
        assertThat(p.waitsServed()).isZero();
    }

    @Test
    void newRequest_afterARemoteCloseNotServedYet_queuesBehindTheEarlierWaiter(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = pool(ctx, oneBufferWaiting(5_000));
        List<Integer> order = new CopyOnWriteArrayList<>();
        Future<?> both = OnContext.call(ctx, () -> {
            SoaBuffer held = p.acquire(1);
            Future<SoaBuffer> earlier = recordThenRelease(p.acquireAsync(1), order, SoaBuffer::close);
            // released on another thread while the owner is busy: the wake task cannot run before the next request
            CompletableFuture.runAsync(held::close).get(5, TimeUnit.SECONDS);
            Future<SoaBuffer> later = recordThenRelease(p.acquireAsync(2), order, SoaBuffer::close);
            return Future.all(earlier, later);
        });
        both.await(5, TimeUnit.SECONDS);
        assertThat(order).containsExactly(1, 2);
        assertThat(p.waitsServed()).isEqualTo(2);
    }

    @Test
    void waiter_failsAfterTimeout_andFullQueueIsRefused(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = pool(ctx, oneBufferWaiting(20).setMaxWaitQueueSize(1));
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
        ContextPool p = pool(ctx, oneBufferWaiting(5_000));
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
