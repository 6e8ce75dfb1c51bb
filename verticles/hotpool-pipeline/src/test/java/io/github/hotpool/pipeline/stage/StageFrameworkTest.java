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
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The stage framework end to end: flow, per-row failures, back-pressure, undeploy, watchdog, declaration. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StageFrameworkTest {

    /** Clumsy's injected failure reaches the context's handler; spans to the deaf stage find no consumer. */
    @org.junit.jupiter.api.extension.RegisterExtension
    static final io.github.hotpool.core.testing.LogCapture LOG = new io.github.hotpool.core.testing.LogCapture()
        .always("io.vertx.core.impl.ContextImpl", "^Unhandled exception java\\.lang\\.IllegalStateException: injected$")
        .mayOccur("io.vertx.core.eventbus.impl.MessageConsumerImpl",
            "^Discarding message since the consumer is not registered\\. address: hotpool\\.spans\\.deaf\\.");

    static Vertx vertx;

    @BeforeAll
    static void up() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void down() throws Exception {
        await(vertx.close());
    }

    private static StagePipeline.Builder threeStages(long rows) {
        return StagePipeline.builder().name("flow").source("numbers", () -> new Numbers(rows))
            .stage("a", () -> new Check(2), 1).stage("b", () -> new Check(3), 1).stage("sink", Sink::new, 1)
            .ringCapacity(256).span(new SpanOptions().setMaxSpanRows(16));
    }

    @Test
    void rowsFlowFromTheSourceThroughThreeStages_inOrderAndIntact() throws Exception {
        int n = 20_000;
        StagePipeline p = await(threeStages(n).deploy(vertx));
        await(p.finished());
        Sink sink = (Sink) p.stage("sink");
        assertThat(((Check) p.stage("a")).error).isNull();
        assertThat(((Check) p.stage("b")).error).isNull();
        assertThat(sink.error).isNull();
        assertThat(sink.good).isEqualTo(n);
        assertThat(sink.failed).isZero();
        assertThat(sink.sum).isEqualTo((long) n * (n - 1) / 2);
        StagePipelineStats st = await(p.undeploy());
        assertThat(st.rowsProduced()).isEqualTo(n);
        assertThat(st.rowsInFlight()).isZero();
        for (String s : new String[] {"a", "b", "sink"}) {
            assertThat(st.stage(s).rows()).as(s).isEqualTo(n);
            assertThat(st.stage(s).cursor()).as(s).isEqualTo(n);
            assertThat(st.stage(s).failedRows()).as(s).isEmpty();
        }
        assertThat(st.stage("a").spans()).isEqualTo(st.spansSent());
        assertThat(st.toJson().getLong("published")).isEqualTo(n);
    }

    /** Counts its cleanup() calls and the thread they run on. */
    static final class Tidy extends Sink {
        final java.util.concurrent.atomic.AtomicInteger cleanups = new java.util.concurrent.atomic.AtomicInteger();
        volatile Thread processThread;
        volatile Thread cleanupThread;

        @Override
        protected void process(Span span) throws Exception {
            processThread = Thread.currentThread();
            super.process(span);
        }

        @Override
        protected void cleanup() {
            cleanupThread = Thread.currentThread();
            cleanups.incrementAndGet();
        }
    }

    @Test
    void undeploy_callsEachStagesCleanupOnce_onItsOwnThread_afterItsLastSpan() throws Exception {
        StagePipeline p = await(StagePipeline.builder().name("tidy").source("numbers", () -> new Numbers(1000))
            .stage("sink", Tidy::new, 1).deploy(vertx));
        await(p.finished());
        Tidy t = (Tidy) p.stage("sink");
        assertThat(t.cleanups.get()).isZero();
        await(p.undeploy());
        assertThat(t.cleanups.get()).isEqualTo(1);
        assertThat(t.cleanupThread).isSameAs(t.processThread);
        assertThat(t.good).isEqualTo(1000);
    }

    /**
     * Fails rows whose subject is a multiple of 7 by throwing an exception, multiples of 13 by
     * throwing an AssertionError (an Error fails its row too, not the span), multiples of 11 with
     * its own code; records what reached rowThrew.
     */
    static final class Picky extends RowStage {
        long handed;
        String lastThrown;

        @Override
        protected void process(DeltaRing.Row row) {
            if (row.subject(0) % 7 == 0) {
                throw new IllegalArgumentException("multiple of 7: " + row.subject(0));
            }
            if (row.subject(0) % 13 == 0) {
                throw new AssertionError("multiple of 13: " + row.subject(0));
            }
            if (row.subject(0) % 11 == 0) {
                fail(row, 42);
            }
        }

        @Override
        protected void rowThrew(DeltaRing.Row row, Throwable thrown) {
            handed++;
            lastThrown = thrown.getMessage();
        }
    }

    /** Throws from process(Span) on the span starting at row 160: its rows fail, the rest go on. */
    static final class Clumsy extends SpanStage {
        @Override
        protected void process(Span span) {
            if (span.first() == 160) {
                throw new IllegalStateException("injected");
            }
            complete(span);
        }
    }

    @Test
    void anExceptionFailsOnlyItsRow_andIsCountedUnderItsStageAndReason() throws Exception {
        int n = 1_000;
        StagePipeline p = await(StagePipeline.builder().name("picky").source("numbers", () -> new Numbers(n))
            .stage("picky", Picky::new, 1).stage("clumsy", Clumsy::new, 1).stage("sink", Sink::new, 1)
            .ringCapacity(128).span(new SpanOptions().setMaxSpanRows(16)).deploy(vertx));
        await(p.finished());
        long sevens = 0;
        long elevens = 0;
        long clumsy = 0;
        for (long i = 0; i < n; i++) {
            boolean inSpan = i >= 160 && i < 176;
            if (i % 7 == 0 || i % 13 == 0) {
                sevens++;
            } else if (i % 11 == 0) {
                elevens++;
            } else if (inSpan) {
                clumsy++;
            }
        }
        Sink sink = (Sink) p.stage("sink");
        StagePipelineStats st = await(p.undeploy());
        assertThat(st.stage("picky").failedRows()).isEqualTo(Map.of("row-threw", sevens, "42", elevens));
        Picky picky = (Picky) p.stage("picky");
        assertThat(picky.handed).as("every row's exception reached rowThrew").isEqualTo(sevens);
        assertThat(picky.lastThrown).startsWith("multiple of ");
        assertThat(st.stage("clumsy").failedRows()).isEqualTo(Map.of("stage-threw", clumsy));
        assertThat(sink.failed).isEqualTo(sevens + elevens + clumsy);
        assertThat(sink.good).isEqualTo(n - sevens - elevens - clumsy);
        assertThat(st.failedRowsTotal()).isEqualTo(sink.failed);
        assertThat(st.ring().failedRows()).isEqualTo(sink.failed);
        assertThat(st.stage("sink").rows()).isEqualTo(n);
    }

    @Test
    void aSourceThatThrows_publishesThatRowFailed_andCountsIt() throws Exception {
        int n = 300;
        StagePipeline p = await(StagePipeline.builder().name("src-throws")
            .source("numbers", () -> new Numbers(n) {
                @Override
                public void write(DeltaRing.Row row) {
                    super.write(row);
                    if (row.subject(0) % 10 == 3) {
                        throw new IllegalStateException("cannot read row " + row.subject(0));
                    }
                }
            })
            .stage("a", () -> new Check(2), 1).stage("sink", Sink::new, 1).deploy(vertx));
        await(p.finished());
        Sink sink = (Sink) p.stage("sink");
        StagePipelineStats st = await(p.undeploy());
        assertThat(st.sourceFailedRows()).isEqualTo(30);
        assertThat(st.failedRowsTotal()).isEqualTo(30);
        assertThat(sink.failed).isEqualTo(30);
        assertThat(sink.lastFailedBy).isEqualTo(io.github.hotpool.core.Ring.PRODUCER);
        assertThat(sink.lastFailReason).isEqualTo(Reasons.SOURCE_THREW);
        assertThat(sink.good).isEqualTo(n - 30);
        assertThat(((Check) p.stage("a")).error).as("failed rows skipped, the others intact").isNull();
    }

    /** Completes each span a timer tick later: the ring fills up behind it. */
    static final class Slow extends Sink {
        @Override
        protected void process(Span span) throws Exception {
            vertx.setTimer(1, id -> {
                try {
                    super.process(span);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    @Test
    void aSlowLastStage_boundsOccupancyByTheRing_andTheSourceResumes() throws Exception {
        int n = 1_200;
        StagePipeline p = await(StagePipeline.builder().name("slow").source("numbers", () -> new Numbers(n))
            .stage("a", () -> new Check(2), 1).stage("slow", Slow::new, 1)
            .ringCapacity(64).span(new SpanOptions().setMaxSpanRows(8)).deploy(vertx));
        await(p.finished());
        Sink sink = (Sink) p.stage("slow");
        StagePipelineStats st = await(p.undeploy());
        assertThat(sink.good).isEqualTo(n);
        assertThat(sink.error).isNull();
        assertThat(st.ring().highestOccupancy()).isBetween(1, 64);
        assertThat(st.ring().fullAnswers()).as("the source found the ring full").isPositive();
        assertThat(st.wakeUps()).as("and was woken when the slow stage freed rows").isPositive();
        assertThat(st.stage("slow").failedRows()).isEmpty();
    }

    @Test
    void undeployMidStream_drainsEverySpan_andTheCountsAddUp() throws Exception {
        StagePipeline p = await(threeStages(-1).name("endless").deploy(vertx));
        await("rows reached the last stage", () -> p.stats().stage("sink").rows() > 5_000);
        StagePipelineStats st = await(p.undeploy());
        Sink sink = (Sink) p.stage("sink");
        assertThat(st.rowsInFlight()).isZero();
        assertThat(st.ring().gating()).isEqualTo(st.rowsProduced());
        for (String s : new String[] {"a", "b", "sink"}) {
            assertThat(st.stage(s).rows()).as(s).isEqualTo(st.rowsProduced());
        }
        assertThat(sink.good).isEqualTo(st.rowsProduced());
        assertThat(sink.error).isNull();
        assertThat(p.undeploy()).as("idempotent").isSameAs(p.undeploy());
        assertThat(vertx.deploymentIDs()).isEmpty();
    }

    /** Never ends the span starting at row 32; completes every other one (those wait behind it). */
    static final class Stubborn extends SpanStage {
        @Override
        protected void process(Span span) {
            if (span.first() != 32) {
                complete(span);
            }
        }
    }

    @Test
    void aSourceNameNoFactoryIsRegisteredFor_failsTheDeployNamingBothKindsOfSource() {
        StagePipeline.Builder b = StagePipeline.builder().name("no-source").sourceFactory("numbers", () -> new Numbers(1))
            .factory("sink", Sink::new)
            .options(new JsonObject().put("name", "no-source").put("source", "nosrc")
                .put("stages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("name", "sink"))));
        assertThatThrownBy(() -> await(b.deploy(vertx)))
            .hasMessageContaining("no source factory registered as 'nosrc' (row sources: [numbers], push sources: [])");
    }

    /** Undeployed before its source ends, a pipeline fails finished(), so no one waits on it for ever. */
    @Test
    void finished_failsWhenThePipelineIsUndeployedBeforeItsSourceEnds() throws Exception {
        StagePipeline p = await(StagePipeline.builder().name("cut-short").source("numbers", () -> new Numbers(10_000_000))
            .stage("sink", Sink::new, 1).ringCapacity(64).span(new SpanOptions().setMaxSpanRows(16)).deploy(vertx));
        StagePipelineStats st = await(p.undeploy());
        assertThat(st.rowsProduced()).isLessThan(10_000_000);
        assertThatThrownBy(() -> await(p.finished())).hasMessageContaining("undeployed before its source ended");
    }

    /** Set per test: the sink has taken the span from row 32. */
    static volatile CountDownLatch sinkTook;

    /** Completes every span; for the one from row 32, waits until the sink took it, then throws. */
    static final class ThrowsAfterHandOff extends SpanStage {
        @Override
        protected void process(Span span) throws Exception {
            complete(span);
            if (span.first() == 32 && !sinkTook.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the sink never took the span from row 32");
            }
            if (span.first() == 32) {
                throw new IllegalStateException("injected");
            }
        }
    }

    /** The sink, which on the span from row 32 says it took it and lingers before reading. */
    static final class LingeringSink extends Sink {
        @Override
        protected void process(Span span) throws Exception {
            if (span.first() == 32) {
                sinkTook.countDown();
                Thread.sleep(100); // the window in which the stage before throws
            }
            super.process(span);
        }
    }

    /**
     * A handler that throws after it ended its span, once the next stage holds it: the throw fails
     * that handler's own delivery (ended already: nothing), never the next stage's. It used to fail
     * whatever delivery the span object carried, the sink's: the sink then read rows it no longer
     * held (an exception per row) and skipped the rest of the span, and nothing counted the loss.
     */
    @Test
    void aHandlerThrowingAfterItsSpanMovedOn_neverEndsTheNextStagesDelivery() throws Exception {
        sinkTook = new CountDownLatch(1);
        StagePipeline p = await(StagePipeline.builder().name("hand-off").source("numbers", () -> new Numbers(100))
            .stage("a", ThrowsAfterHandOff::new, 1).stage("sink", LingeringSink::new, 1)
            .ringCapacity(64).span(new SpanOptions().setMaxSpanRows(16)).deploy(vertx));
        await(p.finished());
        Sink sink = (Sink) p.stage("sink");
        StagePipelineStats st = await(p.undeploy());
        assertThat(sink.error).isNull();
        assertThat(sink.good).as("every row reached the sink intact").isEqualTo(100);
        assertThat(sink.failed).isZero();
        assertThat(st.stage("sink").failedRows()).isEmpty();
        assertThat(st.stage("a").failedRows()).as("a's own span had been completed before the throw").isEmpty();
    }

    /** Holds the first span for 400 ms, then completes it; completes every other span at once. */
    static final class SlowFirst extends SpanStage {
        @Override
        protected void process(Span span) {
            if (span.first() == 0) {
                vertx.setTimer(400, id -> complete(span));
            } else {
                complete(span);
            }
        }
    }

    /**
     * A span held for less than the stage timeout is not failed, not even at the watchdog's first
     * tick (250 ms in, a quarter of the 1 s timeout): the stall clocks start at deployment, where
     * they once started at 0, so that the first tick took a stage still on its first span for one
     * stuck since the clock's origin and failed its rows.
     */
    @Test
    void aSpanHeldLessThanTheStageTimeout_isNotFailed_atTheWatchdogsFirstTick() throws Exception {
        StagePipeline p = await(StagePipeline.builder().name("first-tick").source("numbers", () -> new Numbers(64))
            .stage("slow", SlowFirst::new, 1).stage("sink", Sink::new, 1).stageTimeoutMillis(1000)
            .ringCapacity(64).span(new SpanOptions().setMaxSpanRows(16)).deploy(vertx));
        await(p.finished());
        Sink sink = (Sink) p.stage("sink");
        StagePipelineStats st = await(p.undeploy());
        assertThat(st.stage("slow").stuckSpans()).as("held 400 ms of a 1000 ms timeout").isZero();
        assertThat(sink.failed).isZero();
        assertThat(sink.good).isEqualTo(64);
    }

    @Test
    void theWatchdogFailsASpanAStageHoldsTooLong_andTheRingMovesOn() throws Exception {
        int n = 200;
        StagePipeline p = await(StagePipeline.builder().name("stubborn").source("numbers", () -> new Numbers(n))
            .stage("stubborn", Stubborn::new, 1).stage("sink", Sink::new, 1).stageTimeoutMillis(100)
            .ringCapacity(64).span(new SpanOptions().setMaxSpanRows(16)).deploy(vertx));
        await(p.finished());
        Sink sink = (Sink) p.stage("sink");
        StagePipelineStats st = await(p.undeploy());
        assertThat(st.stage("stubborn").stuckSpans()).isEqualTo(1);
        assertThat(st.stage("stubborn").stuckRows()).isEqualTo(16);
        assertThat(st.stage("stubborn").failedRows()).isEqualTo(Map.of("stuck", 16L));
        assertThat(sink.failed).isEqualTo(16);
        assertThat(sink.lastFailReason).isEqualTo(Reasons.STUCK);
        assertThat(sink.lastFailedBy).isEqualTo(0);
        assertThat(sink.good).isEqualTo(n - 16);
        assertThat(sink.error).as("rows still arrive in order").isNull();
    }

    /** Completes its first span, then stops consuming: later spans go to an address nobody consumes. */
    static final class Deaf extends Check {
        Deaf() {
            super(2);
        }

        @Override
        protected void process(DeltaRing.Row row) {
            super.process(row);
            if (consumer().isRegistered()) {
                consumer().unregister();
            }
        }
    }

    @Test
    void theWatchdogFailsSpansSentToAnAddressNobodyConsumes() throws Exception {
        int n = 160; // 10 spans; the ring holds 4, so at least 6 are sent after the stage stopped consuming
        StagePipeline p = await(StagePipeline.builder().name("deaf").source("numbers", () -> new Numbers(n))
            .stage("deaf", Deaf::new, 1).stage("sink", Sink::new, 1).stageTimeoutMillis(50)
            .ringCapacity(64).span(new SpanOptions().setMaxSpanRows(16).setLingerMillis(60_000)).deploy(vertx));
        await(p.finished());
        StagePipelineStats st = await(p.undeploy());
        Sink sink = (Sink) p.stage("sink");
        long delivered = st.stage("deaf").rows();
        assertThat(delivered).isBetween(16L, 64L);
        assertThat(st.stage("deaf").stuckRows()).as("every row the stage never got").isEqualTo(n - delivered);
        assertThat(st.stage("deaf").stuckSpans()).isEqualTo((n - delivered) / 16);
        assertThat(st.stage("deaf").failedRows()).isEqualTo(Map.of("stuck", n - delivered));
        assertThat(sink.failed).isEqualTo(n - delivered);
        assertThat(sink.good).isEqualTo(delivered);
        assertThat(sink.error).isNull();
        assertThat(st.rowsInFlight()).isZero();
    }

    @Test
    void theJsonDeclarationRoundTrips_andDeploysWithTheRegisteredFactories() throws Exception {
        JsonObject json = new JsonObject("""
            {"name": "json", "ringCapacity": 128, "span": {"maxSpanRows": 8, "lingerMillis": 2},
             "stageTimeoutMillis": 3000, "drainTimeoutMillis": 4000, "source": "numbers",
             "stages": [{"name": "a", "factory": "check2", "instances": 1},
                        {"name": "b", "factory": "check3", "instances": 1},
                        {"name": "sink", "factory": "sink", "instances": 1}]}""");
        StagePipelineOptions o = new StagePipelineOptions(json);
        assertThat(o.toJson()).isEqualTo(json);
        assertThat(new StagePipelineOptions(o.toJson())).isEqualTo(o).isEqualTo(new StagePipelineOptions(o));
        assertThat(new StagePipelineOptions(new JsonObject().put("source", "s")
            .put("stages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("name", "x")))).getStages())
            .containsExactly(new StageSpec("x", "x", 1));
        StagePipeline.Builder java = threeStages(10).name("json").ringCapacity(128)
            .span(new SpanOptions().setMaxSpanRows(8).setLingerMillis(2)).stageTimeoutMillis(3000).drainTimeoutMillis(4000);
        assertThat(java.declaration().toJson().getJsonArray("stages").getJsonObject(2))
            .isEqualTo(new JsonObject().put("name", "sink").put("factory", "sink").put("instances", 1));
        assertThat(new StagePipelineOptions(java.declaration().toJson())).isEqualTo(java.declaration());

        int n = 500;
        StagePipeline p = await(StagePipeline.builder().sourceFactory("numbers", () -> new Numbers(n))
            .factory("check2", () -> new Check(2)).factory("check3", () -> new Check(3)).factory("sink", Sink::new)
            .options(json).deploy(vertx));
        assertThat(p.options()).isEqualTo(o);
        await(p.finished());
        assertThat(((Sink) p.stage("sink")).good).isEqualTo(n);
        assertThat(await(p.undeploy()).stage("b").rows()).isEqualTo(n);
    }

    @Test
    void invalidDeclarations_failWithMessagesNamingTheLimit() {
        assertThatThrownBy(() -> await(threeStages(1).stage("wide", Sink::new, 65).deploy(vertx)))
            .isInstanceOf(IllegalArgumentException.class) // Future.await throws the failure itself
            .hasMessage("stage 'wide': instances 65 outside [1, 64]");
        assertThatThrownBy(() -> await(StagePipeline.builder().options(new JsonObject().put("source", "numbers")
            .put("stages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("name", "x"))))
            .sourceFactory("numbers", () -> new Numbers(1)).deploy(vertx)))
            .hasMessageContaining("stage 'x': no factory registered as 'x'");
        assertThatThrownBy(() -> await(StagePipeline.builder().stage("a", Sink::new, 1).deploy(vertx)))
            .hasMessageContaining("a pipeline needs a source");
        assertThatThrownBy(() -> await(threeStages(1).stage("a", Sink::new, 1).deploy(vertx)))
            .hasMessage("stage names must be unique and not blank: 'a'");
        assertThatThrownBy(() -> await(threeStages(1).ringCapacity(100).deploy(vertx)))
            .hasMessageContaining("capacity must be a power of two: 100");
        Sink shared = new Sink();
        assertThatThrownBy(() -> await(StagePipeline.builder().source("numbers", () -> new Numbers(1))
            .stage("a", () -> shared, 1).stage("b", () -> shared, 1).deploy(vertx)))
            .hasMessageContaining("a factory must make a new instance on each call");
        assertThat(vertx.deploymentIDs()).as("a failed deploy leaves nothing deployed").isEmpty();
    }
}
