package io.github.hotpool.pipeline.stage;

import static io.github.hotpool.pipeline.stage.StageTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.Ring;
import io.github.hotpool.core.RingOptions;
import io.github.hotpool.core.testing.AllocationMeter;
import io.github.hotpool.pipeline.stage.StageTesting.Sink;
import io.github.hotpool.vertx.SpanBatcher;
import io.github.hotpool.vertx.SpanOptions;
import io.github.hotpool.vertx.SpanRing;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

/**
 * The framework's per-span work on a stage allocates nothing: taking the delivery's generation,
 * counting, the per-row loop of a {@link RowStage} (or a {@link SpanStage}'s own loop) and
 * completing the span. Measured as the spans tests measure: bytes the stage's thread allocates
 * around {@code onSpan}, after a warm-up, with the stage terminal so that completing sends nothing
 * over the event bus (a non-terminal stage's completion sends the span on; what Vert.x allocates
 * for that send is its own, see docs/vertx.md).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StageAllocationFreeTest {

    static Vertx vertx;

    @BeforeAll
    static void up() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void down() throws Exception {
        await(vertx.close());
    }

    static final class Sum extends RowStage {
        long sum;

        @Override
        protected void process(DeltaRing.Row row) {
            sum += row.subject(0);
        }
    }

    private static final int WARMUP_SPANS = 3_000;
    private static final int MEASURED_SPANS = 1_000;

    /** Runs spans of 64 rows from a producer context to {@code stage} on another context; returns bytes measured. */
    private static long measure(SpanStage stage) throws Exception {
        Context owner = vertx.getOrCreateContext();
        Context stageCtx = vertx.getOrCreateContext();
        assertThat(owner).isNotSameAs(stageCtx);
        int total = WARMUP_SPANS + MEASURED_SPANS;
        Promise<SpanRing<DeltaRing>> made = Promise.promise();
        owner.runOnContext(v -> made.complete(SpanRing.delta(owner,
            new RingOptions().setName("alloc-" + stage.getClass().getSimpleName()).setCapacity(1024).chain("s"))));
        SpanRing<DeltaRing> ring = await(made.future());
        stage.bind(ring, 0, new StageCounters("s"));
        long[] bytes = new long[2]; // measured bytes, spans seen
        Promise<Void> done = Promise.promise();
        Promise<Void> registered = Promise.promise();
        stageCtx.runOnContext(v -> ring.consumer("s", span -> {
            long before = AllocationMeter.threadAllocatedBytes();
            stage.onSpan(span);
            long after = AllocationMeter.threadAllocatedBytes();
            if (++bytes[1] > WARMUP_SPANS) {
                bytes[0] += after - before;
            }
            if (bytes[1] == total) {
                done.complete();
            }
        }).completion().onComplete(registered));
        await(registered.future());
        owner.runOnContext(v -> {
            SpanBatcher b = ring.batcher(new SpanOptions().setMaxSpanRows(64));
            DeltaRing.Row w = ring.ring().row(Ring.PRODUCER);
            long[] produced = new long[1];
            Runnable pump = new Runnable() {
                @Override
                public void run() {
                    while (produced[0] < total * 64L) {
                        long first = b.tryClaim(8);
                        if (first == Ring.NO_ROOM) {
                            return;
                        }
                        for (long s = first; s < first + 8; s++) {
                            w.at(s).set(0, s, 1, 3 * s).length(1);
                        }
                        b.publish();
                        produced[0] += 8;
                    }
                }
            };
            b.onRoom(pump);
            pump.run();
        });
        await(done.future());
        return bytes[0];
    }

    /**
     * The least of up to three measured runs: a run in which the JIT happened to recompile or
     * deoptimise a method counts that work's bytes, which are not the stage's; steady-state
     * allocation would show in every run.
     */
    private static long leastOf3(java.util.function.Supplier<SpanStage> stages,
                                 java.util.function.Consumer<SpanStage> check) throws Exception {
        long least = Long.MAX_VALUE;
        for (int run = 0; run < 3 && least > 0; run++) {
            SpanStage stage = stages.get();
            least = Math.min(least, measure(stage));
            check.accept(stage);
        }
        return least;
    }

    @Test
    void aRowStage_processingSpans_allocatesNothingPerSpan() throws Exception {
        long bytes = leastOf3(Sum::new, st -> {
            long n = (WARMUP_SPANS + MEASURED_SPANS) * 64L;
            assertThat(((Sum) st).sum).isEqualTo(n * (n - 1) / 2);
        });
        System.out.println("RowStage: " + bytes + " B over " + MEASURED_SPANS + " spans of 64 rows");
        assertThat(bytes).as("bytes allocated by the stage framework over " + MEASURED_SPANS + " spans").isZero();
    }

    @Test
    void aSpanStage_processingSpans_allocatesNothingPerSpan() throws Exception {
        long bytes = leastOf3(Sink::new, st -> {
            assertThat(((Sink) st).good).isEqualTo((WARMUP_SPANS + MEASURED_SPANS) * 64L);
            assertThat(((Sink) st).error).isNull();
        });
        System.out.println("SpanStage: " + bytes + " B over " + MEASURED_SPANS + " spans of 64 rows");
        assertThat(bytes).isZero();
    }
}
