package io.github.hotpool.metrics;

import io.github.hotpool.pipeline.stage.StagePipeline;
import io.github.hotpool.pipeline.stage.StagePipelineStats;
import io.github.hotpool.pipeline.stage.StageSpec;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer {@link MeterBinder} for one {@link StagePipeline}: its Δ-ring (through a {@link
 * RingMeterBinder}), its source, and every stage by name, so that a scrape shows which stage a
 * pipeline waits on. Every meter reads {@link StagePipeline#stats()} when scraped: the rows and
 * spans themselves do no extra work. Thread-safe (bind from any thread); {@link #unbindFrom}
 * removes every meter it registered, e.g. when the pipeline is undeployed (the counters keep their
 * last values until then).
 *
 * <p>Meters (tag {@code pipeline} = the pipeline's name, plus user tags; see docs/metrics.md):
 * the ring's ({@code hotpool.ring.*}, tag {@code ring}); the function counters {@code
 * hotpool.source.rows}, {@code hotpool.source.failed.rows}, {@code hotpool.source.spans}, {@code
 * hotpool.source.wake.ups} and {@code hotpool.span.stale.messages}; and per stage (tag {@code
 * stage}) the function counters {@code hotpool.stage.spans}, {@code hotpool.stage.rows}, {@code
 * hotpool.stage.failed.rows}, {@code hotpool.stage.stuck.spans}, {@code hotpool.stage.stuck.rows}
 * and the gauge {@code hotpool.stage.lag}: rows published that the stage has not passed yet.
 */
public final class StagePipelineMeterBinder implements MeterBinder {

    private final StagePipeline pipeline;
    private final Tags tags;
    private final RingMeterBinder ring;
    private final List<String> stageNames = new ArrayList<>();
    /** The meters registered in each registry bound, so that unbinding one leaves the others'. */
    private final java.util.Map<MeterRegistry, List<Meter>> meters = new java.util.IdentityHashMap<>();

    /**
     * @param pipeline the pipeline to observe; its stages are read now (they are fixed at deploy)
     * @param tags extra tags; {@code pipeline} is added
     */
    public StagePipelineMeterBinder(StagePipeline pipeline, Iterable<Tag> tags) {
        this.pipeline = pipeline;
        this.tags = Tags.concat(tags, Tags.of("pipeline", pipeline.options().getName()));
        this.ring = new RingMeterBinder(pipeline.ring(), this.tags);
        for (StageSpec s : pipeline.options().getStages()) {
            stageNames.add(s.name());
        }
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        ring.bindTo(registry);
        counter(registry, "hotpool.source.rows", "rows the source wrote and published", tags,
            StagePipelineStats::rowsProduced);
        counter(registry, "hotpool.source.failed.rows", "rows whose source write threw (published failed)", tags,
            StagePipelineStats::sourceFailedRows);
        counter(registry, "hotpool.source.spans", "spans the source sent to the first stage", tags,
            StagePipelineStats::spansSent);
        counter(registry, "hotpool.source.wake.ups", "times a full ring woke the source", tags,
            StagePipelineStats::wakeUps);
        counter(registry, "hotpool.span.stale.messages",
            "span messages no stage took (duplicated, late or foreign)", tags, StagePipelineStats::staleMessages);
        for (String name : stageNames) {
            Tags st = tags.and("stage", name);
            counter(registry, "hotpool.stage.spans", "spans delivered to the stage", st,
                s -> s.stage(name).spans());
            counter(registry, "hotpool.stage.rows", "rows in the spans delivered to the stage (failed ones included)",
                st, s -> s.stage(name).rows());
            counter(registry, "hotpool.stage.failed.rows", "rows the stage failed, all reasons", st,
                s -> s.stage(name).failedRowsTotal());
            counter(registry, "hotpool.stage.stuck.spans", "spans the watchdog ended for the stage", st,
                s -> s.stage(name).stuckSpans());
            counter(registry, "hotpool.stage.stuck.rows", "rows in the spans the watchdog ended", st,
                s -> s.stage(name).stuckRows());
            keep(registry, Gauge.builder("hotpool.stage.lag", pipeline,
                    p -> lag(p.stats(), name))
                .description("rows published that the stage has not passed yet").tags(st)
                .register(registry));
        }
    }

    /** Rows published and not yet passed by stage {@code name}. */
    static long lag(StagePipelineStats s, String name) {
        return Math.max(0, s.ring().published() - s.stage(name).cursor());
    }

    /** Removes from {@code registry} every meter this binder (and its ring binder) registered there. */
    public synchronized void unbindFrom(MeterRegistry registry) {
        ring.unbindFrom(registry);
        List<Meter> registered = meters.remove(registry);
        if (registered != null) {
            registered.forEach(registry::remove);
        }
    }

    // Micrometer keeps a function meter's state object weakly: it is the pipeline, which its owner
    // holds, never an object made here
    private void counter(MeterRegistry registry, String name, String description, Tags meterTags,
                         ToDoubleFunction<StagePipelineStats> f) {
        keep(registry, FunctionCounter.builder(name, pipeline, p -> f.applyAsDouble(p.stats())).description(description)
            .tags(meterTags).register(registry));
    }

    private void keep(MeterRegistry registry, Meter meter) {
        meters.computeIfAbsent(registry, r -> new ArrayList<>()).add(meter);
    }
}
