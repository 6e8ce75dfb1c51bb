package io.github.hotpool.vertx;

import io.vertx.core.Context;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Test helpers: run code on a context's thread and wait for it (bounded); record reports. */
final class OnContext {

    private OnContext() {
    }

    /** A new event-loop context ({@code getOrCreateContext} is sticky on non-Vert.x threads). */
    static Context newContext(io.vertx.core.Vertx vertx) {
        return ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext();
    }

    static <T> T call(Context ctx, Callable<T> work) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        ctx.runOnContext(v -> {
            try {
                f.complete(work.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(5, TimeUnit.SECONDS);
    }

    /** A reporter that records what pools report. */
    static final class Recording implements PoolReporter {
        final List<String> leaks = new CopyOnWriteArrayList<>();
        final List<Throwable> leakSites = new CopyOnWriteArrayList<>();
        final List<Integer> closedOutstanding = new CopyOnWriteArrayList<>();
        final List<Throwable> closedSites = new CopyOnWriteArrayList<>();

        @Override
        public void leak(ContextPool pool, int slot, int generation, long heldNanos, Throwable site) {
            leaks.add(pool.name() + "#" + slot + "@" + generation);
            if (site != null) {
                leakSites.add(site);
            }
        }

        @Override
        public void closed(ContextPool pool, int outstanding, List<Throwable> sites) {
            closedOutstanding.add(outstanding);
            closedSites.addAll(sites);
        }
    }
}
