package io.github.hotpool.pipeline.stage;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.ArrayList;
import java.util.List;

/**
 * The verticle behind a shared context: it hosts the stages declared on that context, so that
 * they all run on its one event loop. It starts them in pipeline order on its context (each
 * stage's {@code init} and {@code start}, as Vert.x would for a verticle of its own) and stops
 * them in reverse order. A span passed between two stages of one group still crosses the event
 * bus, but is delivered on the same thread: no hand-off to another core.
 */
final class StageGroup extends VerticleBase {

    private final String name;
    private final List<SpanStage> members;
    private final List<SpanStage> started = new ArrayList<>();

    StageGroup(String name, List<SpanStage> members) {
        this.name = name;
        this.members = List.copyOf(members);
    }

    @Override
    public Future<?> start() {
        Future<?> chain = Future.succeededFuture();
        for (SpanStage m : members) {
            chain = chain.compose(x -> {
                m.init(vertx, context);
                return m.start().map(v -> {
                    started.add(m);
                    return null;
                });
            });
        }
        return chain.recover(e -> stopStarted().transform(x -> Future.failedFuture(
            new IllegalStateException("stage on shared context '" + name + "' failed to start: " + e.getMessage(), e))));
    }

    @Override
    public Future<?> stop() {
        return stopStarted();
    }

    private Future<?> stopStarted() {
        List<Future<?>> all = new ArrayList<>();
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                all.add(started.get(i).stop());
            } catch (RuntimeException e) {
                all.add(Future.failedFuture(e));
            }
        }
        started.clear();
        return Future.join(all);
    }

    @Override
    public String toString() {
        return "StageGroup{" + name + ", " + members.size() + " stages}";
    }
}
