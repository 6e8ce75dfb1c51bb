package io.github.hotpool.pipeline.stage;

import static io.github.hotpool.pipeline.stage.StageTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.testing.PropertyRunner;
import io.github.hotpool.pipeline.stage.StageTesting.Numbers;
import io.github.hotpool.pipeline.stage.StageTesting.Sink;
import io.github.hotpool.vertx.SpanOptions;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Seeded: random ring and span sizes, 1 to 4 stages that fail random rows (by throwing or with
 * their own reason), then a sink. Every row arrives once, in order; a row is failed by the first
 * stage that wanted to, with that stage's reason; each stage's counters match a model computed from
 * the same seed. The runner names the seed of a failing case (replay with -Dhotpool.seed=N); each
 * case prints its own.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StagePropertyTest {

    static Vertx vertx;

    @BeforeAll
    static void up() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void down() throws Exception {
        await(vertx.close());
    }

    record Case(long seed, int capacity, int spanRows, int stages, int rows, int failOneIn) {
    }

    /** Whether stage k wants to fail row s in this case: a hash of (seed, k, s). */
    static boolean wants(Case c, int k, long s) {
        long h = c.seed() ^ (k * 0x9E3779B97F4A7C15L) ^ (s * 0xC2B2AE3D27D4EB4FL);
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return Math.floorMod(h, c.failOneIn()) == 0;
    }

    /** Stage k: throws for even k, fails with reason k + 1 for odd k. */
    static final class Flaky extends RowStage {
        final Case c;
        final int k;

        Flaky(Case c, int k) {
            this.c = c;
            this.k = k;
        }

        @Override
        protected void process(DeltaRing.Row row) {
            if (wants(c, k, row.sequence())) {
                if ((k & 1) == 0) {
                    throw new IllegalStateException("flaky " + k);
                }
                fail(row, k + 1);
            }
        }
    }

    @Test
    void everyRowArrivesOnce_inOrder_failedByTheFirstStageThatWantedTo() {
        PropertyRunner.forAll(g -> {
            int capacity = 1 << g.intBetween(4, 8);
            return new Case(g.anyLong(), capacity, g.intBetween(1, Math.min(64, capacity)), g.intBetween(1, 4),
                g.intBetween(0, 3000), g.intBetween(2, 40));
        }).tries(12).edgeCases(List.of(new Case(1, 16, 16, 1, 0, 2), new Case(2, 16, 1, 4, 100, 2)))
            .check(c -> {
                System.out.println("StagePropertyTest case " + c);
                StagePipeline.Builder b = StagePipeline.builder().name("prop").source("n", () -> new Numbers(c.rows()))
                    .ringCapacity(c.capacity()).span(new SpanOptions().setMaxSpanRows(c.spanRows()));
                for (int k = 0; k < c.stages(); k++) {
                    int kk = k;
                    b.stage("f" + k, () -> new Flaky(c, kk), 1);
                }
                b.stage("sink", Sink::new, 1);
                try {
                    StagePipeline p = await(b.deploy(vertx));
                    await(p.finished());
                    Sink sink = (Sink) p.stage("sink");
                    StagePipelineStats st = await(p.undeploy());
                    long[] failedBy = new long[c.stages()];
                    long failed = 0;
                    for (long s = 0; s < c.rows(); s++) {
                        for (int k = 0; k < c.stages(); k++) {
                            if (wants(c, k, s)) {
                                failedBy[k]++;
                                failed++;
                                break;
                            }
                        }
                    }
                    assertThat(sink.error).isNull();
                    assertThat(sink.good + sink.failed).isEqualTo(c.rows());
                    assertThat(sink.failed).isEqualTo(failed);
                    for (int k = 0; k < c.stages(); k++) {
                        String reason = (k & 1) == 0 ? "row-threw" : Integer.toString(k + 1);
                        assertThat(st.stage("f" + k).failedRows()).as("stage f" + k)
                            .isEqualTo(failedBy[k] == 0 ? Map.of() : Map.of(reason, failedBy[k]));
                        assertThat(st.stage("f" + k).rows()).isEqualTo(c.rows());
                    }
                    assertThat(st.failedRowsTotal()).isEqualTo(failed);
                    assertThat(st.rowsInFlight()).isZero();
                    assertThat(st.ring().highestOccupancy()).isLessThanOrEqualTo(c.capacity());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
    }
}
