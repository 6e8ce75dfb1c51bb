package io.github.hotpool.tripleguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.pipeline.GuardPipeline;
import io.github.hotpool.pipeline.GuardStats;
import io.github.hotpool.pipeline.Pipeline;
import io.github.hotpool.pipeline.PipelineOptions;
import io.github.hotpool.pipeline.PipelineStats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --metrics-port} in-process: the run's Vertx, pipeline and meters on the bundled data, and
 * /metrics scraped over loopback. Every Hotpool meter is there and reads what the pool and the
 * pipeline say.
 */
class MetricsTest {

    @TempDir
    Path dir;

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void metricsEndpoint_showsEveryHotpoolMeterWithThePoolAndPipelineValues() throws Exception {
        Path data = dir.resolve("schemaorg.nt");
        try (InputStream in = RunCommand.class.getResourceAsStream(RunCommand.BUNDLED_DATA)) {
            Files.copy(in, data);
        }
        int port = freePort();
        Vertx vertx = Metrics.vertx(new io.vertx.core.VertxOptions(), port);
        try {
            Pipeline p = await(Pipeline.deploy(vertx, new PipelineOptions()
                .setHooks(new JsonObject(RunCommand.bundled(RunCommand.BUNDLED_HOOKS)).getJsonArray("hooks"))));
            assertThat(Metrics.bind(p)).isTrue();
            await(p.ingestFile(data.toString()));
            String text = scrape(vertx, port);
            PipelineStats s = p.stats();
            List<BufferPool> pools = p.pools();
            assertThat(pools).hasSize(1);
            BufferPool pool = pools.get(0);
            Prom m = new Prom(text, pool.name());

            int soa = pool.options().getSoaBuffers();
            int receipts = pool.options().getReceipts();
            assertThat(m.pool("hotpool_soa_active")).isEqualTo(pool.soaInUse()).isZero();
            assertThat(m.pool("hotpool_soa_idle")).isEqualTo(soa);
            assertThat(m.pool("hotpool_soa_max")).isEqualTo(soa);
            assertThat(m.pool("hotpool_soa_high_water")).isEqualTo(pool.highWaterMark()).isPositive();
            assertThat(m.pool("hotpool_receipts_active")).isEqualTo(pool.receiptsInUse());
            assertThat(m.pool("hotpool_receipts_idle")).isEqualTo(receipts - pool.receiptsInUse());
            assertThat(m.pool("hotpool_receipts_max")).isEqualTo(receipts);
            assertThat(m.pool("hotpool_soa_acquired_total")).isEqualTo(pool.acquiredCount()).isEqualTo(s.batches());
            assertThat(m.pool("hotpool_soa_released_total")).isEqualTo(pool.releasedCount()).isEqualTo(s.batches());
            assertThat(m.pool("hotpool_soa_remote_released_total")).isEqualTo(pool.remoteReleaseCount());
            assertThat(m.pool("hotpool_soa_exhausted_total")).isEqualTo(pool.exhaustedCount());
            assertThat(m.pool("hotpool_leaks_total")).isZero();
            assertThat(m.pool("hotpool_wait_queue_size")).isZero();
            assertThat(m.pool("hotpool_wait_seconds_count")).isGreaterThanOrEqualTo(0);
            assertThat(m.pool("hotpool_wait_failed_total")).isZero();
            assertThat(m.plain("hotpool_pipeline_triples_total")).isEqualTo(s.triples()).isPositive();
            assertThat(m.plain("hotpool_pipeline_batches_total")).isEqualTo(s.batches());
            assertThat(m.plain("hotpool_pipeline_emitted_total")).isEqualTo(s.emitted()).isEqualTo(s.batches());
            assertThat(m.plain("hotpool_pipeline_receipts_total")).isEqualTo(s.receipts()).isPositive();
            assertThat(m.plain("hotpool_pipeline_failed_total")).isZero();
            assertThat(m.plain("hotpool_pipeline_bad_lines_total")).isZero();
            assertThat(m.plain("hotpool_pipeline_pauses_total")).isEqualTo(s.pauses());
            assertThat(m.plain("hotpool_pipeline_soa_in_use")).isZero();
            await(p.undeploy());
        } finally {
            await(vertx.close());
        }
    }

    @Test
    void ringPipeline_metricsShowItsCounters() throws Exception {
        Path data = dir.resolve("schemaorg.nt");
        try (InputStream in = RunCommand.class.getResourceAsStream(RunCommand.BUNDLED_DATA)) {
            Files.copy(in, data);
        }
        int port = freePort();
        Vertx vertx = Metrics.vertx(new io.vertx.core.VertxOptions(), port);
        try {
            GuardPipeline p = await(GuardPipeline.deploy(vertx, new PipelineOptions()
                .setHooks(new JsonObject(RunCommand.bundled(RunCommand.BUNDLED_HOOKS)).getJsonArray("hooks"))));
            assertThat(Metrics.bind(p)).isTrue();
            await(p.ingestFile(data.toString()));
            Prom m = new Prom(scrape(vertx, port), "");
            GuardStats s = p.stats();
            assertThat(m.plain("hotpool_pipeline_triples_total")).isEqualTo(s.triples()).isEqualTo(18_061);
            assertThat(m.plain("hotpool_pipeline_batches_total")).isEqualTo(s.rows()).isEqualTo(2258);
            assertThat(m.plain("hotpool_pipeline_emitted_total")).isEqualTo(s.rowsEmitted()).isEqualTo(2258);
            assertThat(m.plain("hotpool_pipeline_receipts_total")).isEqualTo(s.receipts()).isPositive();
            assertThat(m.plain("hotpool_pipeline_failed_total")).isZero();
            assertThat(m.plain("hotpool_pipeline_bad_lines_total")).isZero();
            assertThat(m.plain("hotpool_pipeline_cut_rows_total")).isZero();
            assertThat(m.plain("hotpool_pipeline_bytes_read_total")).isEqualTo(Files.size(data));
            assertThat(m.plain("hotpool_pipeline_rows_in_flight")).isZero();
            await(p.undeploy());
        } finally {
            await(vertx.close());
        }
    }

    static String scrape(Vertx vertx, int port) throws Exception {
        HttpClient client = vertx.createHttpClient();
        try {
            return await(client.request(HttpMethod.GET, port, "127.0.0.1", "/metrics")
                .compose(req -> req.send())
                .compose(resp -> {
                    assertThat(resp.statusCode()).isEqualTo(200);
                    return resp.body();
                })).toString();
        } finally {
            client.close();
        }
    }

    /** Samples of a Prometheus text exposition. */
    record Prom(String text, String pool) {

        /** The sample of {@code name} tagged with this pool. */
        double pool(String name) {
            return sample(name + "{", "pool=\"" + pool + "\"");
        }

        /** The sample of an untagged {@code name}. */
        double plain(String name) {
            return sample(name + " ", "");
        }

        private double sample(String prefix, String label) {
            for (String line : text.split("\n")) {
                if (line.startsWith(prefix) && line.contains(label)) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            throw new AssertionError("no sample " + prefix + label + " in /metrics:\n" + text);
        }
    }
}
