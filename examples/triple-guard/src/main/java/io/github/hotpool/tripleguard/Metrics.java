package io.github.hotpool.tripleguard;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.metrics.PoolMeterBinder;
import io.github.hotpool.metrics.StagePipelineMeterBinder;
import io.github.hotpool.pipeline.GuardPipeline;
import io.github.hotpool.pipeline.GuardStats;
import io.github.hotpool.pipeline.Pipeline;
import io.github.hotpool.pipeline.PipelineStats;
import io.github.hotpool.vertx.ContextPool;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus metrics for {@code --metrics-port}: Vert.x's own meters, every Hotpool meter of each
 * Ingest pool ({@link PoolMeterBinder}) and the pipeline's counters (the ring pipeline: its counters,
 * and its Δ-ring, source and stages through a {@link StagePipelineMeterBinder}). Stateless; bind once
 * per run.
 */
final class Metrics {

    private Metrics() {
    }

    /** A Vertx whose default registry is served as Prometheus text on 127.0.0.1:{@code port}/metrics. */
    static Vertx vertx(VertxOptions options, int port) {
        return Vertx.vertx(options(options, port));
    }

    /** {@code options} with metrics served as Prometheus text on 127.0.0.1:{@code port}/metrics. */
    static VertxOptions options(VertxOptions options, int port) {
        // Vert.x's event-bus meters are off: without the address label (off by default, and with it
        // every reply address would become a series) each handler registration maps to the one
        // untagged vertx.eventbus.handlers gauge, which Micrometer refuses as a double registration;
        // the pipeline's own counters say what its event-bus traffic does
        MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true)
            .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true).setStartEmbeddedServer(true)
                .setEmbeddedServerOptions(new HttpServerOptions().setPort(port).setHost("127.0.0.1"))
                .setEmbeddedServerEndpoint("/metrics"));
        return new VertxOptions(options).setMetricsOptions(metrics);
    }

    /**
     * Binds every pool of {@code p} and the pipeline counters to the default registry.
     *
     * @return false when the metrics backend is not initialised (nothing bound)
     */
    static boolean bind(Pipeline p) {
        MeterRegistry registry = BackendRegistries.getDefaultNow();
        if (registry == null) {
            return false;
        }
        for (BufferPool pool : p.pools()) {
            // each Ingest pool is a context pool, attached to its core pool (see docs/vertx.md)
            if (!(pool.attachment() instanceof ContextPool)) {
                throw new IllegalStateException("pool '" + pool.name() + "' has no context pool to meter");
            }
            new PoolMeterBinder((ContextPool) pool.attachment(), Tags.empty()).bindTo(registry);
        }
        counter(registry, p, "hotpool.pipeline.triples", "triples parsed", PipelineStats::triples);
        counter(registry, p, "hotpool.pipeline.batches", "batches issued by Ingest", PipelineStats::batches);
        counter(registry, p, "hotpool.pipeline.emitted", "batches Emit finished", PipelineStats::emitted);
        counter(registry, p, "hotpool.pipeline.failed", "batches failed, all causes", PipelineStats::failed);
        counter(registry, p, "hotpool.pipeline.receipts", "receipts emitted and chained", PipelineStats::receipts);
        counter(registry, p, "hotpool.pipeline.bad.lines", "input lines rejected", PipelineStats::badLines);
        counter(registry, p, "hotpool.pipeline.pauses", "times Ingest paused an input", PipelineStats::pauses);
        counter(registry, p, "hotpool.pipeline.resumes", "times Ingest resumed an input", PipelineStats::resumes);
        counter(registry, p, "hotpool.pipeline.sink.failures", "webhook posts given up or dropped",
            PipelineStats::sinkFailures);
        Gauge.builder("hotpool.pipeline.soa.in.use", p, x -> x.stats().soaInUse())
            .description("handles out of the Ingest pools now").register(registry);
        return true;
    }

    /**
     * Binds the ring pipeline's counters to the default registry, under the same names as the handle
     * pipeline's where they mean the same ({@code batches} are rows), plus its rows in flight and
     * rows cut. It has no pools to meter: its rows are the Δ-ring's, whose meters, with the source's
     * and each stage's (rows, failures, the watchdog's, and the lag that shows which stage the
     * pipeline waits on), come from a {@link StagePipelineMeterBinder}.
     *
     * @return false when the metrics backend is not initialised (nothing bound)
     */
    static boolean bind(GuardPipeline p) {
        MeterRegistry registry = BackendRegistries.getDefaultNow();
        if (registry == null) {
            return false;
        }
        ring(registry, p, "hotpool.pipeline.triples", "triples parsed", GuardStats::triples);
        ring(registry, p, "hotpool.pipeline.batches", "rows (batches of up to 8 lines) published", GuardStats::rows);
        ring(registry, p, "hotpool.pipeline.emitted", "rows Emit appended", GuardStats::rowsEmitted);
        ring(registry, p, "hotpool.pipeline.failed", "rows failed, all causes", GuardStats::failedRows);
        ring(registry, p, "hotpool.pipeline.receipts", "receipts emitted and chained", GuardStats::receipts);
        ring(registry, p, "hotpool.pipeline.bad.lines", "input lines rejected", GuardStats::badLines);
        ring(registry, p, "hotpool.pipeline.cut.rows", "rows begun when their input was cut", GuardStats::cutRows);
        ring(registry, p, "hotpool.pipeline.bytes.read", "input bytes read", GuardStats::bytesRead);
        Gauge.builder("hotpool.pipeline.rows.in.flight", p, x -> x.stats().rowsInFlight())
            .description("Δ-ring rows published and not yet past Emit").register(registry);
        new StagePipelineMeterBinder(p.stages(), Tags.empty()).bindTo(registry);
        return true;
    }

    // Micrometer keeps a function counter's state object weakly: it must be the pipeline itself,
    // which the run holds, never a method reference made here (that one is collected, and the
    // counter then reads NaN)
    private static void ring(MeterRegistry r, GuardPipeline p, String name, String description,
                             ToDoubleFunction<GuardStats> f) {
        FunctionCounter.builder(name, p, x -> f.applyAsDouble(x.stats())).description(description).register(r);
    }

    private static void counter(MeterRegistry r, Pipeline p, String name, String description,
                                ToDoubleFunction<PipelineStats> f) {
        FunctionCounter.builder(name, p, x -> f.applyAsDouble(x.stats())).description(description).register(r);
    }
}
