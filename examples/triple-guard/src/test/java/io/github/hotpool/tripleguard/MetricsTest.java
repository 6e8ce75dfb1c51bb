package io.github.hotpool.tripleguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.pipeline.GuardHooks;
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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --metrics-port} in-process: the run's Vertx, pipeline and meters on the bundled data, and
 * /metrics scraped over loopback. Every Hotpool meter is there and reads what the pool and the
 * pipeline say.
 */
@Timeout(120)
class MetricsTest {

    @TempDir
    Path dir;

    static <T> T await(Future<T> f) throws Exception {
        return f.await(30, TimeUnit.SECONDS);
    }

    /** Pipeline options with the bundled hooks, decoded as run decodes them. */
    static PipelineOptions bundledHooks() throws Exception {
        return new PipelineOptions().setHooks(GuardHooks.decode(RunCommand.bundled(RunCommand.BUNDLED_HOOKS)));
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
            Pipeline p = await(Pipeline.deploy(vertx, bundledHooks()));
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
    void startingAndRunningWithMetrics_registersNoMeterTwice() throws Exception {
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                warnings.add(r.getLoggerName() + ": " + r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        // Micrometer warns of a double registration once per JVM, then at debug level: hear both
        java.util.logging.Logger micrometer = java.util.logging.Logger.getLogger("io.micrometer");
        java.util.logging.Level level = micrometer.getLevel();
        micrometer.setLevel(java.util.logging.Level.ALL);
        root.addHandler(capture);
        int port = freePort();
        Vertx vertx = Metrics.vertx(new io.vertx.core.VertxOptions(), port);
        try {
            // the handle pipeline registers and unregisters handlers on many addresses (replies too)
            Pipeline p = await(Pipeline.deploy(vertx, bundledHooks()));
            assertThat(Metrics.bind(p)).isTrue();
            await(p.ingest(io.vertx.core.buffer.Buffer.buffer(TripleGuardTest.GOOD.repeat(40)), "good"));
            assertThat(scrape(vertx, port)).contains("hotpool_pipeline_triples_total");
            await(p.undeploy());
        } finally {
            await(vertx.close());
            root.removeHandler(capture);
            micrometer.setLevel(level);
        }
        assertThat(warnings).noneMatch(w -> w.contains("already registered"));
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
            GuardPipeline p = await(GuardPipeline.deploy(vertx, bundledHooks()));
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
            // the stage pipeline's own meters: every stage saw every row, none lags, the ring is empty
            String pipeline = "pipeline=\"" + p.stages().options().getName() + "\"";
            io.github.hotpool.pipeline.stage.StagePipelineStats st = p.stages().stats();
            assertThat(st.stages()).hasSizeGreaterThanOrEqualTo(3);
            for (io.github.hotpool.pipeline.stage.StageStats stage : st.stages()) {
                String tag = "stage=\"" + stage.name() + "\"";
                assertThat(m.tagged("hotpool_stage_rows_total", pipeline, tag)).as(stage.name())
                    .isEqualTo(stage.rows()).isEqualTo(2258);
                assertThat(m.tagged("hotpool_stage_failed_rows_total", pipeline, tag)).isZero();
                assertThat(m.tagged("hotpool_stage_lag", pipeline, tag)).isZero();
            }
            assertThat(m.tagged("hotpool_source_rows_total", pipeline)).isEqualTo(2258);
            assertThat(m.tagged("hotpool_ring_occupancy", pipeline)).isZero();
            assertThat(m.tagged("hotpool_ring_capacity", pipeline)).isEqualTo(st.ring().capacity()).isPositive();
            await(p.undeploy());
        } finally {
            await(vertx.close());
        }
    }

    @Test
    void grafanaDashboard_namesOnlyMetersThatTheRunServes_andUsesEachPanelsPool() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(root.resolve("docs/grafana"))) {
            root = root.getParent();
            assertThat(root).as("a docs/grafana directory above the module").isNotNull();
        }
        JsonObject dashboard = new JsonObject(Files.readString(root.resolve("docs/grafana/hotpool-dashboard.json")));
        java.util.Set<String> named = new java.util.TreeSet<>();
        java.util.regex.Pattern meter = java.util.regex.Pattern.compile("hotpool_[a-z_]+");
        for (Object panel : dashboard.getJsonArray("panels")) {
            for (Object target : ((JsonObject) panel).getJsonArray("targets")) {
                java.util.regex.Matcher m = meter.matcher(((JsonObject) target).getString("expr"));
                while (m.find()) {
                    named.add(m.group());
                }
            }
        }
        assertThat(named).as("meters the dashboard names").hasSizeGreaterThan(20);
        // what a run serves: the handle pipeline (with the pool meters) and the ring pipeline, in turn
        java.util.Set<String> served = new java.util.TreeSet<>();
        for (boolean ring : new boolean[] {false, true}) {
            int port = freePort();
            Vertx vertx = Metrics.vertx(new io.vertx.core.VertxOptions(), port);
            try {
                PipelineOptions options = bundledHooks();
                io.github.hotpool.pipeline.ReceiptPipeline p;
                if (ring) {
                    GuardPipeline g = await(GuardPipeline.deploy(vertx, options));
                    assertThat(Metrics.bind(g)).isTrue();
                    p = g;
                } else {
                    Pipeline h = await(Pipeline.deploy(vertx, options));
                    assertThat(Metrics.bind(h)).isTrue();
                    p = h;
                }
                await(p.ingest(io.vertx.core.buffer.Buffer.buffer(TripleGuardTest.GOOD), "good", null));
                for (String line : scrape(vertx, port).split("\n")) {
                    java.util.regex.Matcher m = meter.matcher(line);
                    if (!line.startsWith("#") && m.lookingAt()) {
                        served.add(m.group());
                    }
                }
                await(p.undeploy());
            } finally {
                await(vertx.close());
            }
        }
        assertThat(served).as("meters a run serves").containsAll(named);
        for (Object panel : dashboard.getJsonArray("panels")) {
            for (Object target : ((JsonObject) panel).getJsonArray("targets")) {
                String expr = ((JsonObject) target).getString("expr");
                java.util.regex.Matcher m = meter.matcher(expr);
                while (m.find()) {
                    if (m.group().matches("hotpool_(soa|receipts|wait|leaks)_.*")) { // the pool meters
                        assertThat(expr.substring(m.end())).as(expr).startsWith("{pool=~\"$pool\"}");
                    }
                }
            }
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

        /** The sample of {@code name} whose labels include every one of {@code labels}. */
        double tagged(String name, String... labels) {
            return sample(name + "{", labels);
        }

        private double sample(String prefix, String... labels) {
            for (String line : text.split("\n")) {
                if (line.startsWith(prefix) && java.util.Arrays.stream(labels).allMatch(line::contains)) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            throw new AssertionError("no sample " + prefix + String.join(",", labels) + " in /metrics:\n" + text);
        }
    }
}
