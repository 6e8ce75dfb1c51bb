package io.github.hotpool.vertx.readme;

// The minimal verticle of README.md and docs/vertx.md, quoted from here (MinimalVerticleTest runs it).
// --8<-- [start:verticle]
import io.github.hotpool.vertx.ContextPool;
import io.github.hotpool.vertx.ContextPools;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;

/** Sums the ids a request carries, in a buffer from this event loop's pool. */
public class SumVerticle extends VerticleBase {

    private ContextPool pool;

    @Override
    public Future<?> start() {
        pool = ContextPools.current(); // this verticle's pool, looked up once on its event loop
        return vertx.eventBus().<JsonArray>consumer("sum", msg -> {
            JsonArray ids = msg.body();
            pool.withSoa(ids.size(), b -> {  // at most 8 lanes; the buffer goes home when this completes
                long sum = 0;
                for (int i = 0; i < ids.size(); i++) {
                    b.setSubject(i, ids.getLong(i));
                    sum += b.subject(i);
                }
                return Future.succeededFuture(sum);
            }).onSuccess(msg::reply).onFailure(e -> msg.fail(1, e.getMessage()));
        }).completion();
    }

    public static void main(String[] args) {
        Vertx vertx = Vertx.vertx();
        vertx.deployVerticle(new SumVerticle())
            .compose(id -> vertx.eventBus().<Long>request("sum", new JsonArray().add(1).add(2).add(3)))
            .onComplete(reply -> {
                System.out.println(reply.succeeded() ? "sum=" + reply.result().body() : reply.cause().getMessage());
                vertx.close();
            });
    }
}
// --8<-- [end:verticle]
