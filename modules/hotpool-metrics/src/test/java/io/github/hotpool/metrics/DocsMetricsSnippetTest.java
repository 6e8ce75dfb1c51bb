package io.github.hotpool.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.testing.DocSnippets;
import io.github.hotpool.vertx.ContextPools;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The code block of docs/metrics.md: the same code, run on an event-loop context. */
@Timeout(30)
class DocsMetricsSnippetTest {

    @Test
    void theDocShowsThisCode_andItBindsThePoolsMeters() throws Exception {
        assertThat(DocSnippets.block("docs/metrics.md", "bind")).isEqualTo(DocSnippets.region(
            "modules/hotpool-metrics/src/test/java/io/github/hotpool/metrics/DocsMetricsSnippetTest.java", "bind"));
        Vertx vertx = Vertx.vertx(); // no vertx-micrometer-metrics options: the default registry stays null
        try {
            MeterRegistry registry = new SimpleMeterRegistry();
            CompletableFuture<Boolean> result = new CompletableFuture<>();
            vertx.runOnContext(v -> {
                try {
                    // --8<-- [start:bind]
                    new PoolMeterBinder(ContextPools.current(), Tags.of("app", "guard")).bindTo(registry);
                    // or, with vertx-micrometer-metrics enabled on the VertxOptions:
                    boolean bound = PoolMeterBinder.bindToVertxDefaultRegistry(ContextPools.current(), Tags.empty());
                    // --8<-- [end:bind]
                    result.complete(bound);
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
            assertThat(result.get(10, TimeUnit.SECONDS)).as("metrics not enabled: nothing bound, false").isFalse();
            assertThat(registry.find("hotpool.soa.max").tag("app", "guard").gauge()).as("the explicit registry got the pool's meters")
                .isNotNull();
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
