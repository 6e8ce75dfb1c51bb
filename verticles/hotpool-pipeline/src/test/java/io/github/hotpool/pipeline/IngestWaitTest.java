package io.github.hotpool.pipeline;

import static io.github.hotpool.pipeline.TestData.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.vertx.ContextPool;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Ingest waiting for a handle with a dry pool: it parks (no timer, no future), and undeploy ends the wait. */
class IngestWaitTest extends VertxTestBase {

    private Pipeline deployDry(int soaBuffers) {
        PipelineOptions o = new PipelineOptions().setHooks(TestData.hooksJson());
        o.getPool().setSoaBuffers(soaBuffers);
        return await(Pipeline.deploy(vertx, o));
    }

    /** Timers the Ingest pools armed so far, by their own count ({@link ContextPool#timersArmed()}). */
    private static long timersArmed(Pipeline p) {
        long n = 0;
        for (BufferPool pool : p.pools()) {
            n += ((ContextPool) pool.attachment()).timersArmed();
        }
        return n;
    }

    @Test
    void dryPool_everyWaitedBatchParks_registeringNoTimer_andEveryTripleArrives() {
        byte[] data = TestData.schemaOrg();
        long expectedTriples = Direct.run(data, TestData.hooks(), 1024).triples;
        Pipeline p = deployDry(2); // Ingest frames far faster than the stages drain: dry nearly always
        JsonObject[] summary = new JsonObject[1];

        long armedBefore = timersArmed(p);
        summary[0] = await(p.ingest(Buffer.buffer(data), "dry"));
        long timers = timersArmed(p) - armedBefore;

        PipelineStats s = p.stats();
        assertThat(summary[0].getLong("triples")).isEqualTo(expectedTriples);
        assertThat(s.pauses()).as("waits for a handle").isGreaterThan(100);
        assertThat(s.resumes()).isEqualTo(s.pauses());
        assertThat(timers).as("timers registered during %d waits", s.pauses()).isZero();
        List<BufferPool> pools = p.pools();
        await(p.undeploy());
        for (BufferPool pool : pools) {
            assertThat(pool.soaInUse()).isZero();
        }
    }

    @Test
    void undeployWhileIngestIsParked_endsTheWait_streamCompletes_everyHandleGoesHome() throws Exception {
        Pipeline p = deployDry(2);
        p.runtime().faults = (stage, seq) -> stage == Stage.LOAD ? 20 : 0; // hold both handles for a while
        Future<JsonObject> ingest = p.ingest(Buffer.buffer(TestData.schemaOrg()), "parked");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (p.stats().pauses() == p.stats().resumes() || p.stats().pauses() < 2) {
            assertThat(System.nanoTime()).as("Ingest never parked").isLessThan(deadline);
            Thread.sleep(1);
        }
        List<BufferPool> pools = p.pools();

        await(p.undeploy());

        PipelineStats s = p.stats();
        assertThat(s.emitted() + s.failed()).isEqualTo(s.batches());
        for (BufferPool pool : pools) {
            assertThat(pool.soaInUse()).isZero();
        }
        JsonObject summary = ingest.await(5, TimeUnit.SECONDS);
        assertThat(summary.getLong("batches")).as("input cut short").isEqualTo(s.batches()).isLessThan(2258);
    }
}
