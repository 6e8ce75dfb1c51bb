package io.github.hotpool.pipeline;

import io.github.hotpool.pipeline.store.ReceiptStore;
import io.github.hotpool.pipeline.store.StoreVerifier;
import static io.github.hotpool.pipeline.TestData.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Sinks slower than the pipeline: the receipts file's write queue and the webhook's in-flight bound. */
class SinkPressureTest extends VertxTestBase {

    static final Pattern DROPPED = Pattern.compile("dropped (\\d+) receipts");

    @Test
    void receiptsWriteQueueFull_holdsHandlesUntilDrained_andLosesNothing() throws Exception {
        Path out = dir.resolve("out");
        Path file = TestData.write(dir, "in.nt", CycleSealingTest.slice(0, 400));
        PipelineOptions o = new PipelineOptions().setHooks(TestData.hooksJson()).setLockchain(new LockchainOptions().setOutDir(out.toString()).setCycleReceipts(64).setReceiptsWriteQueueBytes(2)); // every write fills the queue
        o.getPool().setSoaBuffers(2);
        Pipeline p = await(Pipeline.deploy(vertx, o));
        JsonObject summary = await(p.ingestFile(file.toString()));
        JsonObject chain = await(p.flush());
        PipelineStats s = p.stats();
        await(p.undeploy());

        assertThat(chain.getLong("heldForFile")).as("handles held for the file").isPositive();
        assertThat(s.failed()).isZero();
        assertThat(s.emitted()).isEqualTo(s.batches()).isEqualTo(summary.getLong("batches"));
        assertThat(s.pauses()).as("the input paused while Emit held the handles").isPositive();
        assertThat(s.soaInUse()).isZero();
        assertThat(p.pools()).allSatisfy(pool -> assertThat(pool.soaInUse()).isZero());
        assertThat(Files.readAllLines(out.resolve(ReceiptStore.RECEIPTS))).hasSize((int) s.receipts());
        StoreVerifier.Verdict v = StoreVerifier.verify(out, null);
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.head()).isEqualTo(Direct.run(CycleSealingTest.slice(0, 400), TestData.hooks(), 64).head);
    }

    @Test
    void webhookSlowerThanThePipeline_postsOverMaxInFlightAreDroppedCountedAndReported_inputNeverBlocks() {
        List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
        List<Integer> delivered = new CopyOnWriteArrayList<>();
        HttpServer server = await(vertx.createHttpServer().requestHandler(req -> {
            held.add(req); // answers only when the test lets it
            req.body().onSuccess(b -> delivered.add(new JsonArray(b).size()));
        }).listen(0, "127.0.0.1"));
        byte[] data = CycleSealingTest.slice(0, 200);
        Path file = TestData.write(dir, "in.nt", data);
        long posts = Direct.run(data, TestData.hooks(), 1024).bySeq.values().stream().filter(r -> !r.isEmpty()).count();
        Pipeline p = await(Pipeline.deploy(vertx, new PipelineOptions().setHooks(TestData.hooksJson()).setSinks(new SinkOptions().setWebhookMaxInFlight(1).setWebhookUrl("http://127.0.0.1:" + server.actualPort() + "/r"))));

        // completes although the one post in flight is never answered: Emit does not wait for the webhook
        JsonObject summary = await(p.ingestFile(file.toString()));
        // the first post may still be on its way to the server when the input completes
        TestData.until("the webhook's first post reaches the server", 10_000, () -> !held.isEmpty());
        PipelineStats s = p.stats();
        held.forEach(r -> r.response().end());
        await(p.undeploy());

        long droppedReceipts = 0;
        for (String e : s.recentErrors()) {
            Matcher m = DROPPED.matcher(e);
            if (m.find()) {
                assertThat(e).contains("webhookMaxInFlight 1");
                droppedReceipts += Long.parseLong(m.group(1));
            }
        }
        assertThat(summary.getLong("failedBatches")).isZero();
        assertThat(held).hasSize(1);
        // one post per batch with receipts: the first stays in flight, every later one is dropped
        assertThat(posts).isGreaterThan(2);
        assertThat(s.sinkFailures()).isEqualTo(posts - 1);
        assertThat(droppedReceipts + delivered.stream().mapToInt(Integer::intValue).sum()).isEqualTo(s.receipts());
        assertThat(s.soaInUse()).isZero();
    }
}
