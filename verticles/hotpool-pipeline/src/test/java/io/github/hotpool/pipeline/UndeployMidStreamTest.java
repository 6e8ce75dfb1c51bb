package io.github.hotpool.pipeline;

import static io.github.hotpool.pipeline.TestData.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.BufferPool;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UndeployMidStreamTest extends VertxTestBase {


    @Test
    void undeployWhileBatchesAreInFlight_everyBatchResolvesAndEveryHandleGoesHome() throws Exception {
        ByteArrayOutputStream big = new ByteArrayOutputStream();
        for (int i = 0; i < 5; i++) {
            big.write(TestData.schemaOrg());
        }
        Path file = TestData.write(dir, "big.nt", big.toByteArray());
        Pipeline p = await(Pipeline.deploy(vertx, new PipelineOptions().setHooks(TestData.hooksJson()).setStages(new StagesOptions().setStageTimeoutMillis(200))));
        p.runtime().faults = (stage, seq) -> stage == Stage.LOAD ? 3 : 0; // keep batches held mid-pipeline
        Future<JsonObject> ingest = p.ingestFile(file.toString());
        while (p.stats().emitted() < 100) {
            Thread.sleep(2);
        }
        List<BufferPool> pools = p.pools();
        assertThat(p.stats().soaInUse()).isPositive();

        await(p.undeploy());

        PipelineStats s = p.stats();
        assertThat(s.batches()).isLessThan(5 * 2258); // input really was cut short
        assertThat(s.emitted()).isPositive();
        assertThat(s.emitted() + s.failed()).isEqualTo(s.batches());
        for (BufferPool pool : pools) {
            assertThat(pool.soaInUse()).isZero();
            assertThat(pool.receiptsInUse()).isZero();
        }
        // the input's future completes (with its partial summary) rather than hanging
        JsonObject summary = ingest.await(5, TimeUnit.SECONDS);
        assertThat(summary.getLong("batches")).isEqualTo(s.batches());
    }
}
