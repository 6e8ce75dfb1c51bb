package io.github.hotpool.vertx;

import io.github.hotpool.core.SoaBuffer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.ContextInternal;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Handles crossing the local event bus: zero copy, ownership, release on completion, refused publish. */
@ExtendWith(VertxExtension.class)
class HandleHandoverTest {

    private static final long S = 0x5111L;
    private static final long P = 0x9222L;
    private static final long O = 0x0333L;

    /** A consumer context on its own event loop (contexts created one after another round-robin the loops). */
    private static Context consumerContext(Vertx vertx, Context sender) {
        for (int i = 0; i < 64; i++) {
            Context c = OnContext.newContext(vertx);
            if (((ContextInternal) c).nettyEventLoop() != ((ContextInternal) sender).nettyEventLoop()) {
                return c;
            }
        }
        throw new IllegalStateException("no second event loop");
    }

    /**
     * Cancels a periodic timer from its own handler, after the test's outcome is recorded: a
     * periodic set from a thread outside Vert.x can tick before Vert.x has stored its future, and
     * cancelling it in that first tick throws inside the handler (seen once under load: the test
     * then waited out its timeout instead of completing).
     */
    static void cancelQuietly(Vertx vertx, long id) {
        try {
            vertx.cancelTimer(id);
        } catch (RuntimeException tooEarly) {
            // the next tick finds the outcome recorded and does nothing; the Vertx closes after the test
        }
    }

    private static SoaBuffer filled(ContextPool pool) {
        SoaBuffer b = pool.acquire(2);
        b.set(0, S, P, O).set(1, S + 1, P, O + 1).length(2).addRun(P, 0, 2);
        return b;
    }

    @Test
    void send_deliversTheSameHandle_andConsumerReleaseGoesHomeFromAnotherLoop(Vertx vertx, VertxTestContext tc)
        throws Exception {
        Context sender = OnContext.newContext(vertx);
        Context consumer = consumerContext(vertx, sender);
        ContextPool pool = OnContext.call(sender, ContextPools::current);
        AtomicReference<SoaBuffer> sent = new AtomicReference<>();
        AtomicReference<Thread> consumerThread = new AtomicReference<>();
        OnContext.call(consumer, () -> vertx.eventBus().<SoaBuffer>consumer("plain", LentHandles.handler(b -> {
            tc.verify(() -> {
                assertThat(b).isSameAs(sent.get());
                assertThat(b.subject(1)).isEqualTo(S + 1);
            });
            consumerThread.set(Thread.currentThread());
            return Future.succeededFuture();
        })).completion()).await(5, TimeUnit.SECONDS);
        OnContext.call(sender, () -> {
            sent.set(filled(pool));
            vertx.eventBus().send("plain", sent.get());
            return null;
        });
        AtomicBoolean seen = new AtomicBoolean();
        vertx.setPeriodic(5, id -> {
            if (pool.pool().soaInUse() == 0 && seen.compareAndSet(false, true)) {
                tc.verify(() -> {
                    assertThat(consumerThread.get()).isNotSameAs(pool.pool().ownerThread());
                    assertThat(pool.pool().remoteReleaseCount()).isEqualTo(1);
                });
                tc.completeNow();
                cancelQuietly(vertx, id);
            }
        });
    }

    @Test
    void request_releasesAtTheOwnerWhenTheReplyArrives(Vertx vertx) throws Exception {
        Context sender = OnContext.newContext(vertx);
        Context consumer = consumerContext(vertx, sender);
        ContextPool pool = OnContext.call(sender, ContextPools::current);
        OnContext.call(consumer, () -> vertx.eventBus().<SoaBuffer>consumer("sum", LentHandles.handler(
            b -> Future.succeededFuture(b.subject(0) + b.subject(1)))).completion()).await(5, TimeUnit.SECONDS);
        Promise<Object> reply = Promise.promise();
        OnContext.call(sender, () -> pool.request("sum", filled(pool), null)
            .map(m -> m.body()).onComplete(reply));
        assertThat(reply.future().await(5, TimeUnit.SECONDS)).isEqualTo(2 * S + 1);
        assertThat(pool.pool().soaInUse()).isZero();
        assertThat(pool.pool().remoteReleaseCount()).as("released on the owner, not remotely").isZero();
    }

    @Test
    void request_withNoHandlers_failsAndReleases(Vertx vertx) throws Exception {
        Context sender = OnContext.newContext(vertx);
        ContextPool pool = OnContext.call(sender, ContextPools::current);
        Promise<Object> reply = Promise.promise();
        OnContext.call(sender, () -> pool.request("nobody", filled(pool), null).map(m -> m.body()).onComplete(reply));
        Throwable failure = reply.future().otherwiseEmpty().map(x -> (Throwable) null).await(5, TimeUnit.SECONDS);
        assertThat(reply.future().cause()).isInstanceOf(ReplyException.class);
        assertThat(((ReplyException) reply.future().cause()).failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
        assertThat(failure).isNull();
        assertThat(pool.pool().soaInUse()).isZero();
    }

    @Test
    void request_whoseWorkFails_failsWithRecipientFailureAndReleases(Vertx vertx) throws Exception {
        Context sender = OnContext.newContext(vertx);
        Context consumer = consumerContext(vertx, sender);
        ContextPool pool = OnContext.call(sender, ContextPools::current);
        OnContext.call(consumer, () -> vertx.eventBus().<SoaBuffer>consumer("boom", LentHandles.handler(b -> {
            throw new IllegalArgumentException("bad batch");
        })).completion()).await(5, TimeUnit.SECONDS);
        Promise<Object> reply = Promise.promise();
        OnContext.call(sender, () -> pool.request("boom", filled(pool), null).map(m -> m.body()).onComplete(reply));
        reply.future().otherwiseEmpty().await(5, TimeUnit.SECONDS);
        ReplyException e = (ReplyException) reply.future().cause();
        assertThat(e.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
        assertThat(e.failureCode()).isEqualTo(LentHandles.WORK_FAILED);
        assertThat(e.getMessage()).isEqualTo("bad batch");
        assertThat(pool.pool().soaInUse()).isZero();
    }

    @Test
    void timedOutRequest_neverRecyclesTheBufferASlowConsumerStillReads(Vertx vertx, VertxTestContext tc)
        throws Exception {
        Context sender = OnContext.newContext(vertx);
        Context consumer = consumerContext(vertx, sender);
        ContextPool pool = OnContext.call(sender, () -> ContextPools.install(Vertx.currentContext(),
            new HotpoolOptions().setSoaBuffers(1)));
        AtomicReference<long[]> readAtEnd = new AtomicReference<>();
        Promise<Void> timedOutChecked = Promise.promise();
        OnContext.call(consumer, () -> vertx.eventBus().<SoaBuffer>consumer("slow", LentHandles.handler(b -> {
            // deliberately slow: finish reading only after the requester has timed out and tried to reuse the slot
            return timedOutChecked.future().map(v -> {
                readAtEnd.set(new long[] {b.subject(0), b.object(1), b.isReleased() ? 1 : 0});
                return "late";
            });
        })).completion()).await(5, TimeUnit.SECONDS);
        OnContext.call(sender, () -> pool.request("slow", filled(pool), new DeliveryOptions().setSendTimeout(30))
            .onComplete(ar -> tc.verify(() -> {
                assertThat(((ReplyException) ar.cause()).failureType()).isEqualTo(ReplyFailure.TIMEOUT);
                assertThat(pool.pool().soaInUse()).as("still lent to the slow consumer").isEqualTo(1);
                assertThat(pool.tryAcquire(1)).as("the slot is not recycled").isNull();
                timedOutChecked.complete();
            })));
        AtomicBoolean seen = new AtomicBoolean();
        vertx.setPeriodic(5, id -> {
            if (readAtEnd.get() != null && pool.pool().soaInUse() == 0 && seen.compareAndSet(false, true)) {
                tc.verify(() -> assertThat(readAtEnd.get()).containsExactly(S, O + 1, 0));
                tc.completeNow();
                cancelQuietly(vertx, id);
            }
        });
    }

    @Test
    void publishOfAHandle_isRefusedAndTheBufferGoesHome(Vertx vertx, VertxTestContext tc) throws Exception {
        Context sender = OnContext.newContext(vertx);
        ContextPool pool = OnContext.call(sender, ContextPools::current);
        AtomicInteger delivered = new AtomicInteger();
        vertx.eventBus().consumer("fanout", m -> delivered.incrementAndGet());
        vertx.eventBus().consumer("fanout", m -> delivered.incrementAndGet());
        vertx.exceptionHandler(e -> tc.verify(() -> {
            assertThat(e).isInstanceOf(IllegalStateException.class).hasMessageContaining("publish of SoA buffer 0")
                .hasMessageContaining("'fanout' refused");
            assertThat(pool.pool().soaInUse()).isZero();
            vertx.setTimer(20, id -> tc.verify(() -> {
                assertThat(delivered).hasValue(0);
                tc.completeNow();
            }));
        }));
        OnContext.call(sender, () -> vertx.eventBus().publish("fanout", filled(pool)));
    }

    @Test
    void withSoa_releasesOnSuccessFailureAndThrow(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool pool = OnContext.call(ctx, ContextPools::current);
        Future<Integer> ok = OnContext.call(ctx, () -> pool.withSoa(3, b -> Future.succeededFuture(b.capacity())));
        assertThat(ok.await(5, TimeUnit.SECONDS)).isEqualTo(3);
        Future<Integer> failed = OnContext.call(ctx, () -> pool.withSoa(3, b -> Future.failedFuture("no")));
        assertThat(failed.otherwise(-1).await(5, TimeUnit.SECONDS)).isEqualTo(-1);
        Future<Integer> thrown = OnContext.call(ctx, () -> pool.<Integer>withSoa(3, b -> {
            throw new IllegalStateException("thrown");
        }));
        assertThat(thrown.otherwise(-2).await(5, TimeUnit.SECONDS)).isEqualTo(-2);
        Future<Integer> badSize = OnContext.call(ctx, () -> pool.withSoa(9, b -> Future.succeededFuture(1)));
        assertThat(badSize.otherwiseEmpty().await(5, TimeUnit.SECONDS)).isNull();
        assertThat(badSize.cause()).hasMessageContaining("SoA buffer size 9 exceeds MAX_RUN_LEN 8");
        Promise<Integer> later = Promise.promise();
        Future<Integer> pending = OnContext.call(ctx, () -> pool.withSoa(1, b -> later.future()));
        assertThat(pool.pool().soaInUse()).isEqualTo(1);
        later.complete(7);
        assertThat(pending.await(5, TimeUnit.SECONDS)).isEqualTo(7);
        assertThat(pool.pool().soaInUse()).isZero();
        assertThat(pool.pool().acquiredCount()).isEqualTo(4);
    }
}
