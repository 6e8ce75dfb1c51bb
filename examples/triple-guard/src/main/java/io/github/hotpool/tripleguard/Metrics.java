package io.github.hotpool.tripleguard;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.pipeline.Pipeline;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.function.ToDoubleFunction;

/** Prometheus metrics for {@code --metrics-port}: Vert.x's own meters plus the pool and pipeline meters. */
final class Metrics {

    private Metrics() {
    }

    static Vertx vertx(int port) {
        MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true)
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true).setStartEmbeddedServer(true)
                .setEmbeddedServerOptions(new HttpServerOptions().setPort(port).setHost("127.0.0.1"))
                .setEmbeddedServerEndpoint("/metrics"));
        return Vertx.vertx(new VertxOptions().setMetricsOptions(metrics));
    }

    /** Registers pool gauges/counters (tag {@code pool}) and pipeline counters in the default registry. */
    static void bind(Pipeline p) {
        MeterRegistry registry = BackendRegistries.getDefaultNow();
        if (registry == null) {
            return; // metrics backend not initialised: nothing to bind to
        }
        for (BufferPool pool : p.pools()) {
            String name = pool.name();
            gauge(registry, "hotpool.soa.active", name, pool, BufferPool::soaInUse);
            gauge(registry, "hotpool.soa.max", name, pool, b -> b.options().getSoaBuffers());
            gauge(registry, "hotpool.soa.high.water", name, pool, BufferPool::highWaterMark);
            gauge(registry, "hotpool.receipts.active", name, pool, BufferPool::receiptsInUse);
            counter(registry, "hotpool.acquired", name, pool, BufferPool::acquiredCount);
            counter(registry, "hotpool.released", name, pool, BufferPool::releasedCount);
            counter(registry, "hotpool.remote.releases", name, pool, BufferPool::remoteReleaseCount);
            counter(registry, "hotpool.exhausted", name, pool, BufferPool::exhaustedCount);
        }
        FunctionCounter.builder("hotpool.pipeline.triples", p, x -> x.stats().triples()).register(registry);
        FunctionCounter.builder("hotpool.pipeline.batches", p, x -> x.stats().batches()).register(registry);
        FunctionCounter.builder("hotpool.pipeline.emitted", p, x -> x.stats().emitted()).register(registry);
        FunctionCounter.builder("hotpool.pipeline.failed", p, x -> x.stats().failed()).register(registry);
        FunctionCounter.builder("hotpool.pipeline.receipts", p, x -> x.stats().receipts()).register(registry);
        FunctionCounter.builder("hotpool.pipeline.bad.lines", p, x -> x.stats().badLines()).register(registry);
        FunctionCounter.builder("hotpool.pipeline.pauses", p, x -> x.stats().pauses()).register(registry);
    }

    private static void gauge(MeterRegistry r, String meter, String pool, BufferPool b, ToDoubleFunction<BufferPool> f) {
        Gauge.builder(meter, b, f).tag("pool", pool).register(r);
    }

    private static void counter(MeterRegistry r, String meter, String pool, BufferPool b, ToDoubleFunction<BufferPool> f) {
        FunctionCounter.builder(meter, b, f).tag("pool", pool).register(r);
    }
}
