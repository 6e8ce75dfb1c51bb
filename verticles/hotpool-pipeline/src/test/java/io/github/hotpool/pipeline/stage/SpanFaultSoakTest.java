package io.github.hotpool.pipeline.stage;

import static io.github.hotpool.pipeline.stage.StageTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.pipeline.stage.StageTesting.Numbers;
import io.github.hotpool.vertx.Span;
import io.github.hotpool.vertx.SpanOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * More than 10,000 spans through a stage of two instances that, at random (seeded), throws from
 * {@code process}, fails whole spans and single rows with its own reasons, ends spans late and
 * out of order, and forgets spans altogether (the watchdog must end them): every row reaches the
 * last stage exactly once and in order, every failure is counted once, under the reason it was
 * given, and the counts of the stage, the sink and the pipeline's stats agree.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SpanFaultSoakTest {

    static final int SPAN_THREW = 1;
    static final int SPAN_FAILED = 66;
    static final int ROW_FAILED = 55;

    static Vertx vertx;

    @BeforeAll
    static void up() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));
    }

    @AfterAll
    static void down() throws Exception {
        await(vertx.close());
    }

    /** What the flaky instances did, summed over both: rows by what happened to them. */
    static final class Ledger {
        final Map<Integer, AtomicLong> rowsByReason = new ConcurrentHashMap<>();
        final AtomicLong forgottenSpans = new AtomicLong();
        final AtomicLong forgottenRows = new AtomicLong();
        final AtomicLong spans = new AtomicLong();
        final AtomicLong threw = new AtomicLong();

        void add(int reason, long rows) {
            rowsByReason.computeIfAbsent(reason, r -> new AtomicLong()).addAndGet(rows);
        }

        long rows(int reason) {
            AtomicLong n = rowsByReason.get(reason);
            return n == null ? 0 : n.get();
        }
    }

    static long mix(long seed, long x) {
        long h = seed ^ (x * 0x9E3779B97F4A7C15L);
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 29);
    }

    static final class Flaky extends SpanStage {
        final long seed;
        final Ledger ledger;

        Flaky(long seed, Ledger ledger) {
            this.seed = seed;
            this.ledger = ledger;
        }

        @Override
        protected void process(Span span) {
            ledger.spans.incrementAndGet();
            long h = Math.floorMod(mix(seed, span.first()), 1000);
            DeltaRing.Row row = rows();
            if (h < 1) { // forgotten: never ended here; the watchdog fails it stuck
                ledger.forgottenSpans.incrementAndGet();
                ledger.forgottenRows.addAndGet(span.count());
                return;
            }
            if (h < 11) { // the framework fails the span's rows: stage-threw
                long fresh = freshRows(span, row);
                ledger.add(Reasons.STAGE_THREW, fresh);
                ledger.threw.incrementAndGet();
                throw new IllegalStateException("injected at span " + span.first());
            }
            if (h < 31) {
                long fresh = freshRows(span, row);
                if (fail(span, SPAN_FAILED)) {
                    ledger.add(SPAN_FAILED, fresh);
                }
                return;
            }
            for (long s = span.first(); s < span.end(); s++) {
                row.at(s);
                if (!row.isFailed() && Math.floorMod(mix(seed + 1, s), 97) == 0) {
                    fail(row, ROW_FAILED);
                    ledger.add(ROW_FAILED, 1);
                }
            }
            if (h < 300) { // late, from a timer: out of order with this instance's next spans
                vertx.setTimer(1 + h % 3, id -> complete(span));
            } else {
                complete(span);
            }
        }

        private static long freshRows(Span span, DeltaRing.Row row) {
            long n = 0;
            for (long s = span.first(); s < span.end(); s++) {
                if (!row.at(s).isFailed()) {
                    n++;
                }
            }
            return n;
        }
    }

    /** Counts rows by (failed by stage 0, reason); checks order. */
    static final class Tally extends SpanStage {
        final Map<Integer, Long> failedByReason = new ConcurrentHashMap<>();
        volatile long good;
        volatile long next;
        volatile String error;

        @Override
        protected void process(Span span) {
            DeltaRing.Row r = rows();
            for (long s = span.first(); s < span.end(); s++) {
                r.at(s);
                if (s != next && error == null) {
                    error = "row " + s + " arrived, expected " + next;
                }
                next = s + 1;
                if (r.isFailed()) {
                    if (r.failedBy() != 0 && error == null) {
                        error = "row " + s + " failed by " + r.failedBy();
                    }
                    failedByReason.merge(r.failReason(), 1L, Long::sum);
                } else {
                    good++;
                }
            }
            complete(span);
        }
    }

    @Test
    void tenThousandSpansWithInjectedFaults_loseNothing_andCountEveryFailureOnce() throws Exception {
        long seed = Long.getLong("hotpool.seed", System.nanoTime());
        System.out.println("SpanFaultSoakTest seed " + seed + " (replay with -Dhotpool.seed=" + seed + ")");
        int n = 48_000;
        Ledger ledger = new Ledger();
        AtomicLong reported = new AtomicLong();
        // the injected exceptions go on to Vert.x, as the framework promises: count them, do not print them
        vertx.exceptionHandler(t -> {
            if (t instanceof IllegalStateException && t.getMessage().startsWith("injected at span")) {
                reported.incrementAndGet();
            } else {
                t.printStackTrace();
            }
        });
        StagePipeline p = await(StagePipeline.builder().name("soak").source("numbers", () -> new Numbers(n))
            .stage("flaky", () -> new Flaky(seed, ledger), 2)
            .stage("tally", Tally::new, 1)
            .ringCapacity(256).span(new SpanOptions().setMaxSpanRows(4)).stageTimeoutMillis(200)
            .deploy(vertx));
        await(p.finished());
        Tally tally = (Tally) p.stage("tally");
        StagePipelineStats st = await(p.undeploy());
        String why = "seed " + seed;

        assertThat(ledger.spans.get()).as(why).isGreaterThanOrEqualTo(10_000);
        assertThat(reported.get()).as("each injected exception reached Vert.x once: " + why)
            .isEqualTo(ledger.threw.get()).isPositive();
        assertThat(tally.error).as(why).isNull();
        assertThat(tally.next).as("every row reached the last stage: " + why).isEqualTo(n);
        assertThat(ledger.forgottenSpans.get()).as("the seed forgot some spans: " + why).isPositive();
        StageStats flaky = st.stage("flaky");
        // every forgotten span is rescued; on a busy machine a span delivered later than the stage
        // timeout is rescued too (it is then stuck by the watchdog's rule), so at least these
        assertThat(flaky.stuckSpans()).as(why).isGreaterThanOrEqualTo(ledger.forgottenSpans.get());
        assertThat(flaky.stuckRows()).as(why).isGreaterThanOrEqualTo(ledger.forgottenRows.get());
        long stuckAtSink = tally.failedByReason.getOrDefault(Reasons.STUCK, 0L);
        assertThat(stuckAtSink).as("stuck rows counted once, under their first reason: " + why)
            .isEqualTo(flaky.failedRows().get(Reasons.name(Reasons.STUCK))).isGreaterThanOrEqualTo(ledger.forgottenRows.get());
        for (int reason : new int[] {Reasons.STAGE_THREW, SPAN_FAILED, ROW_FAILED}) {
            assertThat(tally.failedByReason.getOrDefault(reason, 0L)).as(Reasons.name(reason) + ", " + why)
                .isEqualTo(ledger.rows(reason)).isPositive();
            assertThat(flaky.failedRows().get(Reasons.name(reason))).as(Reasons.name(reason) + " counted once, " + why)
                .isEqualTo(ledger.rows(reason));
        }
        long failed = tally.failedByReason.values().stream().mapToLong(Long::longValue).sum();
        assertThat(tally.good + failed).as(why).isEqualTo(n);
        assertThat(flaky.rows()).as(why).isEqualTo(n);
        assertThat(st.stage("tally").rows()).isEqualTo(n);
        assertThat(st.rowsInFlight()).isZero();
        assertThat(vertx.deploymentIDs()).isEmpty();
    }
}
