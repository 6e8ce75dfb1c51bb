package io.github.hotpool.vertx;

import io.github.hotpool.core.SoaBuffer;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The three ways of docs/vertx.md; the docs quote these classes. */
@ExtendWith(VertxExtension.class)
class DocExamplesTest {

    // --8<-- [start:scoped]
    /** Way 1: a verticle leases a buffer for the duration of a future. */
    static final class ScopedVerticle extends AbstractVerticle {
        io.vertx.core.Context ctx() {
            return context;
        }

        private ContextPool pool;

        @Override
        public void start() {
            pool = ContextPools.current(); // resolved once, on this verticle's event loop
        }

        Future<Long> sumSubjects(long... ids) {
            return pool.withSoa(ids.length, b -> {
                long sum = 0;
                for (int i = 0; i < ids.length; i++) {
                    b.setSubject(i, ids[i]);
                    sum += b.subject(i);
                }
                return Future.succeededFuture(sum); // the buffer goes back when this completes
            });
        }
    }
    // --8<-- [end:scoped]

    // --8<-- [start:lend]
    /** Way 2: a stage lends a batch to the next stage and gets it back on the reply. */
    static final class Producer extends AbstractVerticle {
        io.vertx.core.Context ctx() {
            return context;
        }

        Future<Object> ship(long s, long p, long o) {
            ContextPool pool = ContextPools.current();
            SoaBuffer b = pool.acquire(1).set(0, s, p, o).length(1);
            return pool.request("stage.count", b, null).map(reply -> reply.body());
        }
    }

    static final class Consumer extends AbstractVerticle {
        @Override
        public void start() {
            vertx.eventBus().<SoaBuffer>consumer("stage.count",
                LentHandles.handler(b -> Future.succeededFuture(b.length())));
        }
    }
    // --8<-- [end:lend]

    // --8<-- [start:config]
    /** Way 3: options from the deployment config; WAIT policy with acquireAsync. */
    static DeploymentOptions waitingDeployment() {
        JsonObject hotpool = new HotpoolOptions().setSoaBuffers(4)
            .setExhaustionPolicy(ExhaustionPolicy.WAIT).setWaitTimeoutMillis(200).toJson();
        return new DeploymentOptions().setConfig(new JsonObject().put(HotpoolOptions.CONFIG_KEY, hotpool));
    }

    static final class WaitingVerticle extends AbstractVerticle {
        io.vertx.core.Context ctx() {
            return context;
        }

        Future<Integer> capacityOfNextBuffer() {
            ContextPool pool = ContextPools.current();
            return pool.acquireAsync(8).map(b -> {
                int capacity = b.capacity();
                pool.release(b);
                return capacity;
            });
        }
    }
    // --8<-- [end:config]

    @Test
    void scopedWay_sumsAndReturnsTheBuffer(Vertx vertx) throws Exception {
        ScopedVerticle v = new ScopedVerticle();
        vertx.deployVerticle(v).await(5, TimeUnit.SECONDS);
        Future<Long> sum = OnContext.call(v.ctx(), () -> v.sumSubjects(1, 2, 3));
        assertThat(sum.await(5, TimeUnit.SECONDS)).isEqualTo(6);
        assertThat(OnContext.call(v.ctx(), () -> ContextPools.current().pool().soaInUse())).isZero();
    }

    @Test
    void lendingWay_repliesAndReturnsTheBuffer(Vertx vertx) throws Exception {
        Producer producer = new Producer();
        vertx.deployVerticle(new Consumer()).await(5, TimeUnit.SECONDS);
        vertx.deployVerticle(producer).await(5, TimeUnit.SECONDS);
        Future<Object> reply = OnContext.call(producer.ctx(), () -> producer.ship(1, 2, 3));
        assertThat(reply.await(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(OnContext.call(producer.ctx(), () -> ContextPools.current().pool().soaInUse())).isZero();
    }

    @Test
    void configWay_appliesOptionsFromTheDeployment(Vertx vertx) throws Exception {
        WaitingVerticle v = new WaitingVerticle();
        vertx.deployVerticle(v, waitingDeployment()).await(5, TimeUnit.SECONDS);
        Future<Integer> cap = OnContext.call(v.ctx(), v::capacityOfNextBuffer);
        assertThat(cap.await(5, TimeUnit.SECONDS)).isEqualTo(8);
        assertThat(OnContext.call(v.ctx(), () -> ContextPools.current().options().getExhaustionPolicy()))
            .isEqualTo(ExhaustionPolicy.WAIT);
    }
}
