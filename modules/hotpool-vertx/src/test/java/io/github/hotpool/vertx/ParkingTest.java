package io.github.hotpool.vertx;

import io.github.hotpool.core.InvalidSizeException;
import io.github.hotpool.core.WrongThreadException;
import io.github.hotpool.core.SoaBuffer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(VertxExtension.class)
class ParkingTest {

    /** Tests here end with buffers out on purpose: their pools' close reports are checked, not logged. */
    @org.junit.jupiter.api.extension.RegisterExtension
    static final PoolReportCapture REPORTS = PoolReportCapture.expectingClosedWithBuffersOut(5, 6);

    /** A node that records each wait's outcome ("name:capacity", or "name:null"), then runs {@code then}. */
    private static final class Node extends ContextPool.Parking {
        final String name;
        final List<String> log;
        final Consumer<SoaBuffer> then;
        final CompletableFuture<Thread> servedOn = new CompletableFuture<>();

        Node(String name, List<String> log, Consumer<SoaBuffer> then) {
            this.name = name;
            this.log = log;
            this.then = then;
        }

        @Override
        protected void onBuffer(SoaBuffer b) {
            log.add(name + ":" + (b == null ? "null" : b.capacity()));
            servedOn.complete(Thread.currentThread());
            then.accept(b);
        }
    }

    private final List<String> log = new CopyOnWriteArrayList<>();
    private Context ctx;
    private ContextPool p;

    /** Every test starts with a one-buffer pool on a fresh context. */
    @BeforeEach
    void onePool(Vertx vertx) throws Exception {
        ctx = OnContext.newContext(vertx);
        p = OnContext.call(ctx, () -> ContextPools.install(ctx, new HotpoolOptions().setSoaBuffers(1)
            .setExhaustionPolicy(ExhaustionPolicy.WAIT).setWaitTimeoutMillis(5_000)));
    }

    private static Consumer<SoaBuffer> releaseTo(ContextPool p) {
        return b -> {
            if (b != null) {
                p.release(b); // on the owner: serves the next in line at once
            }
        };
    }

    private static final Consumer<SoaBuffer> KEEP = b -> { };

    @Test
    void parkedNodes_areServedInArrivalOrder() throws Exception {
        OnContext.call(ctx, () -> {
            SoaBuffer held = p.acquire(1);
            p.park(new Node("a", log, releaseTo(p)), 3);
            p.park(new Node("b", log, releaseTo(p)), 1);
            p.park(new Node("c", log, releaseTo(p)), 2);
            assertThat(p.waitQueueSize()).isEqualTo(3);
            assertThat(log).isEmpty();
            p.release(held);
            return null;
        });
        assertThat(log).containsExactly("a:3", "b:1", "c:2");
        assertThat(p.waitQueueSize()).isZero();
        assertThat(p.waitsServed()).isEqualTo(3);
        assertThat(p.pool().soaInUse()).isZero();
    }

    @Test
    void waitingRequestsAndParkedNodes_areServedTogetherInArrivalOrder() throws Exception {
        Future<?> requests = OnContext.call(ctx, () -> {
            SoaBuffer held = p.acquire(1);
            Future<SoaBuffer> first = p.acquireAsync(1);
            p.park(new Node("parked", log, releaseTo(p)), 2);
            Future<SoaBuffer> third = p.acquireAsync(3);
            p.park(new Node("parkedLast", log, releaseTo(p)), 4);
            first.onSuccess(b -> {
                log.add("request:" + b.capacity());
                p.release(b);
            });
            third.onSuccess(b -> {
                log.add("request:" + b.capacity());
                p.release(b);
            });
            assertThat(p.waitQueueSize()).isEqualTo(4);
            p.release(held);
            return Future.all(first, third);
        });
        requests.await(5, TimeUnit.SECONDS);
        assertThat(log).containsExactly("request:1", "parked:2", "request:3", "parkedLast:4");
        assertThat(p.waitsServed()).isEqualTo(4);
    }

    @Test
    void parkAfterARemoteCloseNotServedYet_queuesBehindTheEarlierRequest() throws Exception {
        Node node = new Node("parked", log, SoaBuffer::close);
        Future<SoaBuffer> earlier = OnContext.call(ctx, () -> {
            SoaBuffer held = p.acquire(1);
            Future<SoaBuffer> f = p.acquireAsync(1).onSuccess(b -> {
                log.add("request:" + b.capacity());
                b.close();
            });
            // released on another thread while the owner is busy: the wake task cannot run before park
            CompletableFuture.runAsync(held::close).get(5, TimeUnit.SECONDS);
            p.park(node, 2);
            return f;
        });
        earlier.await(5, TimeUnit.SECONDS);
        node.servedOn.get(5, TimeUnit.SECONDS);
        assertThat(log).containsExactly("request:1", "parked:2");
    }

    @Test
    void park_withAFreeBufferAndNobodyWaiting_servesBeforeReturning() throws Exception {
        Node node = new Node("n", log, releaseTo(p));
        boolean parkedAfterwards = OnContext.call(ctx, () -> {
            p.park(node, 5);
            assertThat(log).containsExactly("n:5");
            return node.isParked();
        });
        assertThat(parkedAfterwards).isFalse();
        assertThat(p.waitsServed()).as("served at once: no wait").isZero();
        assertThat(p.pool().soaInUse()).isZero();
    }

    @Test
    void unpark_takesTheNodeOutOfTheQueue_andTheNextOneIsServed() throws Exception {
        Node a = new Node("a", log, KEEP);
        Node b = new Node("b", log, KEEP);
        List<Boolean> unparked = OnContext.call(ctx, () -> {
            SoaBuffer held = p.acquire(1);
            p.park(a, 1);
            p.park(b, 2);
            boolean first = p.unpark(a);
            assertThat(p.waitQueueSize()).isEqualTo(1);
            boolean again = p.unpark(a);
            p.release(held);
            boolean afterServed = p.unpark(b);
            return List.of(first, again, afterServed);
        });
        assertThat(unparked).containsExactly(true, false, false);
        assertThat(log).containsExactly("b:2");
        assertThat(a.isParked()).isFalse();
        assertThat(p.waitQueueSize()).isZero();
        assertThat(p.pool().soaInUse()).isEqualTo(1); // b holds the buffer
    }

    @Test
    void unparkedNode_canParkAgain_andIsServedThen() throws Exception {
        Node a = new Node("a", log, releaseTo(p));
        OnContext.call(ctx, () -> {
            SoaBuffer held = p.acquire(1);
            p.park(a, 1);
            p.unpark(a);
            p.park(a, 6);
            p.release(held);
            return null;
        });
        assertThat(log).containsExactly("a:6");
    }

    @Test
    void plainCloseOnAnotherThread_wakesTheParkedNodeOnTheOwner() throws Exception {
        Node node = new Node("n", log, KEEP);
        SoaBuffer held = OnContext.call(ctx, () -> {
            SoaBuffer b = p.acquire(1);
            p.park(node, 4);
            return b;
        });
        CompletableFuture.runAsync(held::close).get(5, TimeUnit.SECONDS); // core close(), not the binding
        assertThat(node.servedOn.get(5, TimeUnit.SECONDS)).isSameAs(p.pool().ownerThread());
        assertThat(log).containsExactly("n:4");
        assertThat(p.pool().remoteReleaseCount()).isEqualTo(1);
        assertThat(p.waitsServed()).isEqualTo(1);
    }

    @Test
    void closingThePool_endsParkedWaitsWithNull_andALaterParkAtOnce() throws Exception {
        OnContext.call(ctx, () -> {
            p.acquire(1);
            p.park(new Node("a", log, KEEP), 1);
            p.park(new Node("b", log, KEEP), 1);
            ContextPools.closeForTest((io.vertx.core.internal.ContextInternal) ctx);
            p.park(new Node("late", log, KEEP), 1);
            return null;
        });
        assertThat(log).containsExactly("a:null", "b:null", "late:null");
        assertThat(p.waitsFailed()).isEqualTo(2);
        assertThat(p.waitQueueSize()).isZero();
        assertThat(p.closeFuture().await(5, TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    void parkingANodeTwice_isRefused_andItStaysQueuedOnce() throws Exception {
        Node node = new Node("n", log, releaseTo(p));
        OnContext.call(ctx, () -> {
            SoaBuffer held = p.acquire(1);
            p.park(node, 3);
            assertThatThrownBy(() -> p.park(node, 2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("parked already").hasMessageContaining("for size 3")
                .hasMessageContaining("pool '" + p.name() + "'");
            assertThat(p.waitQueueSize()).isEqualTo(1);
            p.release(held);
            return null;
        });
        assertThat(log).containsExactly("n:3");
    }

    @Test
    void badSizeOrWrongThread_isRefused_andNothingIsQueued() throws Exception {
        Node node = new Node("n", log, KEEP);
        OnContext.call(ctx, () -> {
            assertThatThrownBy(() -> p.park(node, 9)).isInstanceOf(InvalidSizeException.class)
                .hasMessageContaining("SoA buffer size 9 exceeds MAX_RUN_LEN 8");
            SoaBuffer held = p.acquire(1);
            p.park(new Node("other", log, KEEP), 1); // someone waits: the size is checked without acquiring
            assertThatThrownBy(() -> p.park(node, 0)).isInstanceOf(InvalidSizeException.class)
                .hasMessageContaining("SoA buffer size 0 is below 1");
            assertThat(node.isParked()).isFalse();
            assertThat(p.waitQueueSize()).isEqualTo(1);
            return held;
        });
        assertThatThrownBy(() -> p.park(node, 1)).isInstanceOf(WrongThreadException.class)
            .hasMessageContaining("cannot park on thread").hasMessageContaining("is owned by thread");
        assertThatThrownBy(() -> p.unpark(node)).isInstanceOf(WrongThreadException.class)
            .hasMessageContaining("cannot unpark on thread");
        assertThat(log).isEmpty();
    }

    @Test
    void throwingCallback_goesToTheContext_andTheQueueIsServedOn(Vertx vertx) throws Exception {
        Context twoCtx = OnContext.newContext(vertx);
        ContextPool twoBuffers = OnContext.call(twoCtx, () -> ContextPools.install(twoCtx, new HotpoolOptions().setSoaBuffers(2)));
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        twoCtx.exceptionHandler(reported::add);
        OnContext.call(twoCtx, () -> {
            SoaBuffer x = twoBuffers.acquire(1);
            SoaBuffer y = twoBuffers.acquire(1);
            twoBuffers.park(new Node("throws", log, b -> {
                throw new IllegalStateException("boom");
            }), 1);
            twoBuffers.park(new Node("next", log, KEEP), 2);
            twoBuffers.release(x);
            twoBuffers.release(y); // the first callback threw: the next one is served all the same
            return null;
        });
        assertThat(log).containsExactly("throws:1", "next:2");
        assertThat(reported).singleElement().satisfies(t -> assertThat(t).hasMessage("boom"));
    }
}
