package io.github.hotpool.pipeline.stage;

import static io.github.hotpool.pipeline.stage.StageTesting.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.pipeline.stage.StageTesting.Check;
import io.github.hotpool.pipeline.stage.StageTesting.Numbers;
import io.github.hotpool.pipeline.stage.StageTesting.Sink;
import io.github.hotpool.vertx.Span;
import io.github.hotpool.vertx.SpanOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A stage served by several instances, each on its own event loop, ending its spans out of order
 * and at the same time as the others: every row still reaches the next stage once and in order,
 * counted once; the watchdog ends only the span that is stuck, on the instance that holds it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MultiInstanceStageTest {

    static Vertx vertx;

    @BeforeAll
    static void up() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(8));
    }

    @AfterAll
    static void down() throws Exception {
        await(vertx.close());
    }

    /**
     * Marks each row (predicate 1, as Check(2) downstream expects), then ends its spans out of
     * order: it holds up to {@code hold} spans and ends a random one of them when a new one comes,
     * sometimes later on its own context (a timer), sometimes failing it. Seeded per instance.
     */
    static final class Scatter extends SpanStage {
        final SplittableRandom random;
        final ArrayDeque<Span> held = new ArrayDeque<>();
        final int hold;
        final boolean failSome;
        final Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        volatile long spans;
        volatile long failedRows;

        Scatter(long seed, int hold, boolean failSome) {
            this.random = new SplittableRandom(seed);
            this.hold = hold;
            this.failSome = failSome;
        }

        @Override
        protected void process(Span span) {
            threads.add(Thread.currentThread());
            spans++;
            DeltaRing.Row row = rows();
            for (long s = span.first(); s < span.end(); s++) {
                row.at(s);
                row.setPredicate(0, 1);
            }
            held.addLast(span);
            while (held.size() > hold || (!held.isEmpty() && random.nextInt(4) == 0)) {
                Span out = random.nextBoolean() ? held.pollFirst() : held.pollLast();
                end(out);
            }
            if (!held.isEmpty()) {
                // a trickle never waits for a next span: whatever is still held ends on a timer
                vertx.setTimer(1 + random.nextInt(3), id -> {
                    while (!held.isEmpty()) {
                        end(held.pollFirst());
                    }
                });
            }
        }

        private void end(Span span) {
            if (failSome && span.first() % 7 == 3) {
                long n = span.count();
                if (fail(span, 77)) {
                    failedRows += n;
                }
            } else {
                complete(span);
            }
        }
    }

    private static long seed() {
        long seed = Long.getLong("hotpool.seed", System.nanoTime());
        System.out.println("MultiInstanceStageTest seed " + seed + " (replay with -Dhotpool.seed=" + seed + ")");
        return seed;
    }

    @Test
    void threeInstancesEndingSpansOutOfOrder_passEveryRowOnceAndInOrder() throws Exception {
        long seed = seed();
        int n = 200_000;
        long[] next = {seed};
        StagePipeline p = await(StagePipeline.builder().name("wide").source("numbers", () -> new Numbers(n))
            .stage("wide", () -> new Scatter(next[0]++, 3, false), 3)
            .stage("check", () -> new Check(2), 1)
            .stage("sink", Sink::new, 1)
            .ringCapacity(256).span(new SpanOptions().setMaxSpanRows(8)).deploy(vertx));
        await(p.finished());
        List<SpanStage> wide = p.instances("wide");
        assertThat(wide).hasSize(3).doesNotHaveDuplicates();
        Set<Thread> threads = new HashSet<>();
        long spans = 0;
        for (SpanStage s : wide) {
            Scatter sc = (Scatter) s;
            assertThat(sc.spans).as("the event bus gives every instance spans (seed " + seed + ")").isPositive();
            threads.addAll(sc.threads);
            spans += sc.spans;
        }
        assertThat(threads).as("each instance on its own event loop").hasSize(3);
        Check check = (Check) p.stage("check");
        Sink sink = (Sink) p.stage("sink");
        assertThat(check.error).as("rows reach the next stage in order, marked (seed " + seed + ")").isNull();
        assertThat(sink.error).isNull();
        assertThat(sink.good).isEqualTo(n);
        assertThat(sink.sum).isEqualTo((long) n * (n - 1) / 2);
        StagePipelineStats st = await(p.undeploy());
        assertThat(st.stage("wide").rows()).as("counted once across instances").isEqualTo(n);
        assertThat(st.stage("wide").spans()).isEqualTo(spans).isEqualTo(st.spansSent());
        assertThat(st.stage("wide").cursor()).isEqualTo(n);
        assertThat(st.stage("check").rows()).isEqualTo(n);
        assertThat(st.staleMessages()).isZero();
        assertThat(st.rowsInFlight()).isZero();
    }

    @Test
    void failuresOnSeveralInstances_areCountedOnce_andStillFlowInOrder() throws Exception {
        long seed = seed();
        int n = 50_000;
        long[] next = {seed};
        StagePipeline p = await(StagePipeline.builder().name("wide-fail").source("numbers", () -> new Numbers(n))
            .stage("wide", () -> new Scatter(next[0]++, 2, true), 2)
            .stage("sink", Sink::new, 1)
            .ringCapacity(128).span(new SpanOptions().setMaxSpanRows(8)).deploy(vertx));
        await(p.finished());
        long failed = 0;
        for (SpanStage s : p.instances("wide")) {
            failed += ((Scatter) s).failedRows;
        }
        Sink sink = (Sink) p.stage("sink");
        assertThat(sink.error).isNull();
        assertThat(failed).isPositive();
        assertThat(sink.failed).isEqualTo(failed);
        assertThat(sink.good + sink.failed).isEqualTo(n);
        StagePipelineStats st = await(p.undeploy());
        assertThat(st.stage("wide").failedRows()).isEqualTo(Map.of("77", failed));
    }

    /** Holds the span starting at row 48 forever; completes every other span. */
    static final class HoldsOne extends SpanStage {
        volatile boolean holding;

        @Override
        protected void process(Span span) {
            if (span.first() == 48) {
                holding = true;
                return;
            }
            complete(span);
        }
    }

    @Test
    void theWatchdogEndsTheStuckSpan_onTheInstanceThatHoldsIt_once() throws Exception {
        int n = 400;
        StagePipeline p = await(StagePipeline.builder().name("stuck-wide").source("numbers", () -> new Numbers(n))
            // 500 ms: long enough that a delivery delayed by a busy machine is not taken for a stall
            .stage("wide", HoldsOne::new, 3).stage("sink", Sink::new, 1).stageTimeoutMillis(500)
            .ringCapacity(64).span(new SpanOptions().setMaxSpanRows(16)).deploy(vertx));
        await(p.finished());
        Sink sink = (Sink) p.stage("sink");
        StagePipelineStats st = await(p.undeploy());
        assertThat(p.instances("wide").stream().filter(s -> ((HoldsOne) s).holding).count()).isEqualTo(1);
        assertThat(st.stage("wide").stuckSpans()).as("three watchdog calls, one rescue").isEqualTo(1);
        assertThat(st.stage("wide").stuckRows()).isEqualTo(16);
        assertThat(sink.failed).isEqualTo(16);
        assertThat(sink.lastFailReason).isEqualTo(Reasons.STUCK);
        assertThat(sink.good).isEqualTo(n - 16);
        assertThat(sink.error).isNull();
    }

    @Test
    void instanceCounts_areValidated_andAFactoryMustMakeANewVerticleEachTime() {
        assertThatThrownBy(() -> await(StagePipeline.builder().source("numbers", () -> new Numbers(1))
            .stage("wide", Sink::new, 65).deploy(vertx)))
            .isInstanceOf(IllegalArgumentException.class) // Future.await throws the failure itself
            .hasMessage("stage 'wide': instances 65 outside [1, 64]");
        assertThatThrownBy(() -> await(StagePipeline.builder().source("numbers", () -> new Numbers(1))
            .stage("wide", Sink::new, 0).deploy(vertx)))
            .hasMessage("stage 'wide': instances 0 outside [1, 64]");
        Sink shared = new Sink();
        assertThatThrownBy(() -> await(StagePipeline.builder().source("numbers", () -> new Numbers(1))
            .stage("wide", () -> shared, 2).deploy(vertx)))
            .hasMessageContaining("returned the same verticle twice");
    }
}
