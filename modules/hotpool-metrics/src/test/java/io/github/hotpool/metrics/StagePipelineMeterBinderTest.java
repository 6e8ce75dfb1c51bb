package io.github.hotpool.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.pipeline.stage.RowSource;
import io.github.hotpool.pipeline.stage.RowStage;
import io.github.hotpool.pipeline.stage.SpanStage;
import io.github.hotpool.pipeline.stage.StagePipeline;
import io.github.hotpool.pipeline.stage.StagePipelineStats;
import io.github.hotpool.vertx.Span;
import io.github.hotpool.vertx.SpanOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stage pipeline's meters say what its stats say: rows and spans per stage, failures under the
 * stage that made them, and the lag of a stage that holds its spans; the unbind removes them all.
 */
@Timeout(60)
class StagePipelineMeterBinderTest {

    private static final int ROWS = 1000;
    private static final int FAIL_EVERY = 7;

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().await(20, TimeUnit.SECONDS);
    }

    /** Rows 0..ROWS-1, row i holding (i, 1, i). */
    static final class Numbers implements RowSource {
        long next;

        @Override
        public boolean hasNext() {
            return next < ROWS;
        }

        @Override
        public void write(DeltaRing.Row row) {
            row.set(0, next, 1, next).length(1);
            next++;
        }
    }

    /** Fails every row whose subject is a multiple of FAIL_EVERY, with reason 3. */
    static final class Sieve extends RowStage {
        @Override
        protected void process(DeltaRing.Row row) {
            if (row.subject(0) % FAIL_EVERY == 0) {
                fail(row, 3);
            }
        }
    }

    /** The last stage: holds every span until {@link #open} is called, then completes them in order. */
    static final class Gate extends SpanStage {
        final List<Span> held = new ArrayList<>();
        volatile int heldCount;
        volatile Context context;
        boolean open;

        @Override
        protected void process(Span span) {
            context = Vertx.currentContext();
            if (open) {
                complete(span);
                return;
            }
            held.add(span);
            heldCount = held.size();
        }

        void open() {
            context.runOnContext(v -> {
                open = true;
                held.forEach(this::complete);
                held.clear();
                heldCount = 0;
            });
        }
    }

    private static double value(MeterRegistry r, String name, String stage) {
        var search = r.get(name).tag("pipeline", "metered").tag("app", "test");
        if (stage != null) {
            search = search.tag("stage", stage);
        }
        return search.meter().measure().iterator().next().getValue();
    }

    private static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(1);
        }
    }

    @Test
    void meters_followRowsFailuresAndTheLagOfAHoldingStage_thenUnbind() throws Exception {
        StagePipeline p = StagePipeline.builder().name("metered")
            .source("numbers", Numbers::new)
            .stage("sieve", Sieve::new, 1)
            .stage("gate", Gate::new, 1)
            // the ring holds every row, so the source finishes while the gate holds them all
            .ringCapacity(1024).span(new SpanOptions().setMaxSpanRows(64))
            .stageTimeoutMillis(60_000)
            .deploy(vertx).await(20, TimeUnit.SECONDS);
        MeterRegistry registry = new SimpleMeterRegistry();
        StagePipelineMeterBinder binder = new StagePipelineMeterBinder(p, Tags.of("app", "test"));
        binder.bindTo(registry);
        Gate gate = (Gate) p.stage("gate");

        await("the source has published every row and the sieve passed them",
            () -> p.stats().rowsProduced() == ROWS && p.stats().stage("sieve").cursor() == ROWS);
        await("the gate holds spans", () -> gate.heldCount > 0);
        int failed = (ROWS + FAIL_EVERY - 1) / FAIL_EVERY;

        assertThat(value(registry, "hotpool.source.rows", null)).isEqualTo(ROWS);
        assertThat(value(registry, "hotpool.source.failed.rows", null)).isZero();
        assertThat(value(registry, "hotpool.source.spans", null)).isEqualTo(p.stats().spansSent()).isPositive();
        assertThat(value(registry, "hotpool.stage.rows", "sieve")).isEqualTo(ROWS);
        assertThat(value(registry, "hotpool.stage.failed.rows", "sieve")).isEqualTo(failed);
        assertThat(value(registry, "hotpool.stage.failed.rows", "gate")).isZero();
        assertThat(value(registry, "hotpool.stage.lag", "sieve")).isZero();
        // the gate has passed nothing: every published row lags behind it
        assertThat(value(registry, "hotpool.stage.lag", "gate")).isEqualTo(ROWS);
        assertThat(value(registry, "hotpool.ring.occupancy", null)).isEqualTo(ROWS);
        assertThat(value(registry, "hotpool.stage.stuck.spans", "gate")).isZero();

        gate.open();
        p.finished().await(20, TimeUnit.SECONDS);
        StagePipelineStats s = p.stats();
        assertThat(value(registry, "hotpool.stage.lag", "gate")).isZero();
        assertThat(value(registry, "hotpool.stage.rows", "gate")).isEqualTo(ROWS);
        assertThat(value(registry, "hotpool.stage.spans", "gate")).isEqualTo(s.stage("gate").spans()).isPositive();
        assertThat(value(registry, "hotpool.span.stale.messages", null)).isEqualTo(s.staleMessages());
        assertThat(value(registry, "hotpool.ring.occupancy", null)).isZero();

        int bound = registry.getMeters().size();
        assertThat(bound).isEqualTo(6 + 5 + 2 * 6); // ring, source and ring-wide, 6 per stage
        // a second registry keeps its meters when the first is unbound, and loses them when it is
        MeterRegistry second = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        binder.bindTo(second);
        binder.unbindFrom(registry);
        assertThat(registry.getMeters()).isEmpty();
        assertThat(second.getMeters()).hasSize(bound);
        binder.unbindFrom(second);
        assertThat(second.getMeters()).isEmpty();
        p.undeploy().await(20, TimeUnit.SECONDS);
    }
}
