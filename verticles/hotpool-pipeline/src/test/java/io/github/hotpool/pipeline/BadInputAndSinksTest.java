package io.github.hotpool.pipeline;

import io.github.hotpool.pipeline.store.ReceiptStore;
import io.github.hotpool.pipeline.store.StoreVerifier;
import static io.github.hotpool.pipeline.TestData.await;
import static io.github.hotpool.pipeline.TestData.withOut;
import static io.github.hotpool.pipeline.TestData.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BadInputAndSinksTest extends VertxTestBase {

    static final String TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>";
    static final String CLASS = "<http://www.w3.org/2000/01/rdf-schema#Class>";
    static final String INPUT = "<http://ex/a> " + TYPE + " " + CLASS + " .\n"
        + "<http://ex/b> " + TYPE + " \"unterminated .\n"
        + "<http://ex/c> " + TYPE + " " + CLASS + " .\n";


    PipelineOptions options() {
        return new PipelineOptions().setHooks(TestData.hooksJson());
    }

    @Test
    void skipPolicy_badLineReportedWithLineAndColumn_restProcessed() {
        Path file = TestData.write(dir, "in.nt", INPUT.getBytes(StandardCharsets.UTF_8));
        Pipeline p = await(Pipeline.deploy(vertx, options()));
        JsonObject summary = await(p.ingestFile(file.toString()));
        PipelineStats s = p.stats();
        await(p.undeploy());

        assertThat(summary.getLong("triples")).isEqualTo(2);
        assertThat(summary.getLong("badLines")).isEqualTo(1);
        assertThat(s.recentErrors()).singleElement().asString()
            .startsWith(file + ":2:").contains("unterminated");
        assertThat(s.soaInUse()).isZero();
    }

    @Test
    void receiptsFile_chainsTheSubjectIdsAFiredHookSaw_andNamesThemBeside() throws Exception {
        Path file = TestData.write(dir, "in.nt", INPUT.getBytes(StandardCharsets.UTF_8));
        Path out = dir.resolve("out");
        Pipeline p = await(Pipeline.deploy(vertx, withOut(options(), out)));
        await(p.ingestFile(file.toString()));
        await(p.undeploy());

        JsonObject fired = java.nio.file.Files.readAllLines(out.resolve(ReceiptStore.RECEIPTS)).stream()
            .map(JsonObject::new).filter(j -> "declares-class".equals(j.getString("hook"))).findFirst().orElseThrow();
        java.util.Map<String, String> names = new java.util.HashMap<>();
        for (String line : java.nio.file.Files.readAllLines(out.resolve(ReceiptStore.NAMES))) {
            JsonObject n = new JsonObject(line);
            names.put(n.getString("id"), n.getString("name"));
        }
        assertThat(fired.getString("result")).isEqualTo("0000000000000001");
        // line 2 was bad and skipped, so the run holds the subjects of lines 1 and 3: their ids are
        // chained in the receipt; their names sit beside it, each checkable against its id
        List<Object> subjects = fired.getJsonArray("subjects").stream().toList();
        assertThat(subjects).containsExactly(
            java.util.HexFormat.of().toHexDigits(io.github.hotpool.triples.TermIds.of("<http://ex/a>")),
            java.util.HexFormat.of().toHexDigits(io.github.hotpool.triples.TermIds.of("<http://ex/c>")));
        assertThat(subjects).extracting(names::get)
            .containsExactly("<http://ex/a>", "<http://ex/c>");
    }

    @Test
    void failPolicy_badLineFailsTheStreamNamingIt_andEveryHandleGoesHome() {
        Path file = TestData.write(dir, "in.nt", INPUT.getBytes(StandardCharsets.UTF_8));
        Pipeline p = await(Pipeline.deploy(vertx, options().setBadLinePolicy(BadLinePolicy.FAIL)));
        Throwable t = awaitFailure(p.ingestFile(file.toString()));
        PipelineStats s = p.stats();
        await(p.undeploy());

        assertThat(t.getMessage()).contains(":2:").contains("unterminated");
        assertThat(s.soaInUse()).isZero();
    }

    @Test
    void missingFile_failsNamingIt() {
        Pipeline p = await(Pipeline.deploy(vertx, options()));
        Throwable t = awaitFailure(p.ingestFile(dir.resolve("nope.nt").toString()));
        await(p.undeploy());
        assertThat(t.getMessage()).contains("nope.nt").contains("cannot open");
    }

    @Test
    void tooManyHooksForTheReceiptPool_deployFailsNamingTheLimit() {
        PipelineOptions o = options();
        o.getPool().setReceipts(64).setReceiptsPerBuffer(8);
        Throwable t = awaitFailure(Pipeline.deploy(vertx, o));
        assertThat(t.getMessage()).contains("6 hooks x 16 SoA buffers need 96 receipts, pool has receipts 64");
    }

    @Test
    void badHookConfig_deployFailsNamingTheHookAndField() {
        JsonArray hooks = new JsonArray().add(new JsonObject().put("name", "h").put("op", "ASK_OP")
            .put("predicate", TYPE));
        Throwable t = awaitFailure(Pipeline.deploy(vertx, new PipelineOptions().setHooks(hooks)));
        assertThat(t.getMessage()).contains("'h'").contains("object");
    }

    @Test
    void webhook_failingTwiceThenOk_retriesWithBackoffAndDeliversEveryBatch() {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger delivered = new AtomicInteger();
        HttpServer server = await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            if (calls.incrementAndGet() <= 2) {
                req.response().setStatusCode(503).end();
            } else {
                delivered.addAndGet(new JsonArray(body).size());
                req.response().end();
            }
        })).listen(0, "127.0.0.1"));
        Path file = TestData.write(dir, "in.nt", INPUT.getBytes(StandardCharsets.UTF_8));
        Pipeline p = await(Pipeline.deploy(vertx, options().setSinks(new SinkOptions().setWebhookBackoffMillis(5)
            .setWebhookUrl("http://127.0.0.1:" + server.actualPort() + "/receipts"))));
        await(p.ingestFile(file.toString()));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (delivered.get() < p.stats().receipts() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        PipelineStats s = p.stats();
        await(p.undeploy());

        assertThat(s.receipts()).isPositive();
        assertThat(delivered.get()).isEqualTo((int) s.receipts());
        assertThat(calls.get()).isEqualTo(3);
        assertThat(s.sinkFailures()).isZero();
    }

    @Test
    void webhook_neverAnswering2xx_givesUpAfterRetriesAndCountsTheFailure() {
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = await(vertx.createHttpServer()
            .requestHandler(req -> {
                calls.incrementAndGet();
                req.response().setStatusCode(500).end();
            }).listen(0, "127.0.0.1"));
        Path file = TestData.write(dir, "in.nt", INPUT.getBytes(StandardCharsets.UTF_8));
        Pipeline p = await(Pipeline.deploy(vertx, options().setSinks(new SinkOptions().setWebhookBackoffMillis(2).setWebhookMaxRetries(2)
            .setWebhookUrl("http://127.0.0.1:" + server.actualPort() + "/receipts"))));
        await(p.ingestFile(file.toString()));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (p.stats().sinkFailures() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        PipelineStats s = p.stats();
        await(p.undeploy());

        assertThat(s.sinkFailures()).isEqualTo(1);
        assertThat(calls.get()).isEqualTo(3);
        assertThat(s.recentErrors()).anyMatch(e -> e.contains("failed after 3 attempts") && e.contains("status 500"));
    }
}
