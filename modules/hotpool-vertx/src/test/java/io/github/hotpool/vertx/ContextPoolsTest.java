package io.github.hotpool.vertx;

import io.github.hotpool.core.SoaBuffer;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(VertxExtension.class)
class ContextPoolsTest {

    private final OnContext.Recording reports = new OnContext.Recording();

    @BeforeEach
    void record() {
        ContextPools.reporter = reports;
    }

    @AfterEach
    void restore() {
        ContextPools.reporter = PoolReporter.LOGGING;
    }

    /** Resolves its pool in start() and answers on an address with the pool its handler finds. */
    static final class PoolVerticle extends AbstractVerticle {
        final AtomicReference<ContextPool> atStart = new AtomicReference<>();
        final AtomicReference<ContextPool> inHandler = new AtomicReference<>();
        final AtomicReference<Boolean> handlerOnDuplicate = new AtomicReference<>();
        private final String address;

        PoolVerticle(String address) {
            this.address = address;
        }

        @Override
        public void start() {
            atStart.set(ContextPools.current());
            vertx.eventBus().consumer(address, msg -> {
                handlerOnDuplicate.set(((ContextInternal) Vertx.currentContext()).isDuplicate());
                inHandler.set(ContextPools.current());
                msg.reply("ok");
            });
        }
    }

    @Test
    void twoVerticles_getDistinctPoolsOwnedByTheirEventLoops(Vertx vertx) throws Exception {
        PoolVerticle a = new PoolVerticle("a");
        PoolVerticle b = new PoolVerticle("b");
        vertx.deployVerticle(a).await(5, TimeUnit.SECONDS);
        vertx.deployVerticle(b).await(5, TimeUnit.SECONDS);
        assertThat(a.atStart.get()).isNotSameAs(b.atStart.get());
        assertThat(a.atStart.get().pool()).isNotSameAs(b.atStart.get().pool());
        assertThat(a.atStart.get().pool().ownerThread().getName()).startsWith("vert.x-eventloop-thread");
        assertThat(a.atStart.get().name()).isNotEqualTo(b.atStart.get().name());
    }

    @Test
    void handlerOnDuplicatedContext_findsItsVerticlesPool(Vertx vertx) throws Exception {
        PoolVerticle a = new PoolVerticle("dup");
        vertx.deployVerticle(a).await(5, TimeUnit.SECONDS);
        vertx.eventBus().request("dup", "x").await(5, TimeUnit.SECONDS);
        vertx.eventBus().request("dup", "y").await(5, TimeUnit.SECONDS);
        assertThat(a.handlerOnDuplicate.get()).isTrue();
        assertThat(a.inHandler.get()).isSameAs(a.atStart.get());
    }

    @Test
    void currentWithoutContext_failsNamingTheThread() {
        assertThatThrownBy(ContextPools::current).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("no Vert.x context on thread '" + Thread.currentThread().getName());
    }

    @Test
    void workerContext_isRefusedWithThreadingModel(Vertx vertx, VertxTestContext tc) {
        AbstractVerticle worker = new AbstractVerticle() {
            @Override
            public void start() {
                ContextPools.current();
            }
        };
        vertx.deployVerticle(worker, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
            .onComplete(tc.failing(e -> tc.verify(() -> {
                assertThat(e).isInstanceOf(IllegalStateException.class).hasMessageContaining("WORKER")
                    .hasMessageContaining("event-loop context");
                tc.completeNow();
            })));
    }

    @Test
    void creatingFromAnotherThread_failsButLookupAfterCreationWorks(Vertx vertx) throws Exception {
        Context ctx = vertx.getOrCreateContext();
        assertThatThrownBy(() -> ContextPools.of(ctx)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("created on the context's event-loop thread");
        ContextPool created = OnContext.call(ctx, ContextPools::current);
        assertThat(ContextPools.of(ctx)).isSameAs(created);
    }

    @Test
    void verticleConfig_suppliesPoolOptions(Vertx vertx) throws Exception {
        PoolVerticle a = new PoolVerticle("cfg");
        JsonObject config = new JsonObject().put(HotpoolOptions.CONFIG_KEY,
            new HotpoolOptions().setSoaBuffers(3).setName("from-config").toJson());
        vertx.deployVerticle(a, new DeploymentOptions().setConfig(config)).await(5, TimeUnit.SECONDS);
        ContextPool p = a.atStart.get();
        assertThat(p.name()).isEqualTo("from-config");
        assertThat(p.pool().options().getSoaBuffers()).isEqualTo(3);
    }

    @Test
    void installAfterFirstUse_isRefused(Vertx vertx) throws Exception {
        Context ctx = vertx.getOrCreateContext();
        ContextPool installed = OnContext.call(ctx, () -> ContextPools.install(ctx, new HotpoolOptions().setSoaBuffers(2)));
        assertThat(installed.pool().options().getSoaBuffers()).isEqualTo(2);
        assertThatThrownBy(() -> OnContext.call(ctx, () -> ContextPools.install(ctx, new HotpoolOptions())))
            .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("has a pool already");
    }

    @Test
    void undeploy_closesPoolReportsOutstandingAndLaterReleaseIsHarmless(Vertx vertx) throws Exception {
        AtomicReference<SoaBuffer[]> held = new AtomicReference<>();
        AtomicReference<ContextPool> pool = new AtomicReference<>();
        AbstractVerticle holder = new AbstractVerticle() {
            @Override
            public void start() {
                ContextPools.install(context, new HotpoolOptions().setLeakLevel(LeakLevel.PARANOID));
                pool.set(ContextPools.current());
                held.set(new SoaBuffer[] {pool.get().acquire(2), pool.get().acquire(8)});
                pool.get().release(pool.get().acquire(1));
            }
        };
        String id = vertx.deployVerticle(holder).await(5, TimeUnit.SECONDS);
        vertx.undeploy(id).await(5, TimeUnit.SECONDS);
        assertThat(pool.get().closeFuture().await(5, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(reports.closedOutstanding).containsExactly(2);
        assertThat(reports.closedSites).hasSize(2)
            .allSatisfy(t -> assertThat(t.getStackTrace()).anyMatch(e -> e.getMethodName().equals("start")));
        assertThat(pool.get().pool().isClosed()).isTrue();
        ContextPools.release(held.get()[0]);
        held.get()[1].close();
        assertThat(pool.get().pool().soaInUse()).isZero();
        assertThat(ContextPools.home(pool.get().pool())).isNull();
    }

    @Test
    void closedPoolsContext_getsAFreshPoolNotTheClosedOne(Vertx vertx) throws Exception {
        Context ctx = vertx.getOrCreateContext();
        ContextPool first = OnContext.call(ctx, ContextPools::current);
        OnContext.call(ctx, () -> {
            ContextPools.closeForTest((ContextInternal) ctx);
            return null;
        });
        ContextPool second = OnContext.call(ctx, ContextPools::current);
        assertThat(second).isNotSameAs(first);
        assertThat(first.pool().isClosed()).isTrue();
    }
}
