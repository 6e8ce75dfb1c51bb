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

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Stages declared on one shared context run on one event loop, in order, and start and stop with it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedContextStageTest {

    static Vertx vertx;

    @BeforeAll
    static void up() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void down() throws Exception {
        await(vertx.close());
    }

    /** Check that records the threads it ran on and counts its cleanups. */
    static final class Seen extends Check {
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        final AtomicInteger cleanups = new AtomicInteger();

        Seen(long mark) {
            super(mark);
        }

        @Override
        protected void process(DeltaRing.Row row) {
            threads.add(Thread.currentThread());
            super.process(row);
        }

        @Override
        protected void cleanup() {
            cleanups.incrementAndGet();
        }
    }

    /** Sink that records its threads. */
    static final class SeenSink extends Sink {
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();

        @Override
        protected void process(Span span) throws Exception {
            threads.add(Thread.currentThread());
            super.process(span);
        }
    }

    @Test
    void twoStagesOnASharedContext_runOnOneThread_inOrder_andStopWithIt() throws Exception {
        int n = 20_000;
        StagePipeline p = await(StagePipeline.builder().name("shared").source("numbers", () -> new Numbers(n))
            .stage("a", () -> new Seen(2), 1).stage("b", () -> new Seen(3), 1).stage("sink", SeenSink::new, 1)
            .sharedContext("work", "a", "b")
            .ringCapacity(128).span(new SpanOptions().setMaxSpanRows(8)).deploy(vertx));
        assertThat(p.options().getStages()).extracting(StageSpec::context).containsExactly("work", "work", null);
        await(p.finished());
        Seen a = (Seen) p.stage("a");
        Seen b = (Seen) p.stage("b");
        SeenSink sink = (SeenSink) p.stage("sink");
        assertThat(a.error).isNull();
        assertThat(b.error).isNull();
        assertThat(sink.error).isNull();
        assertThat(sink.good).isEqualTo(n);
        assertThat(a.threads).hasSize(1);
        assertThat(b.threads).as("b on a's event loop").isEqualTo(a.threads);
        assertThat(sink.threads).hasSize(1).doesNotContainAnyElementsOf(a.threads);
        assertThat(a.stageContext()).isSameAs(b.stageContext());
        assertThat(sink.stageContext()).isNotSameAs(a.stageContext());
        int deployed = vertx.deploymentIDs().size();
        assertThat(deployed).as("source, one host for a and b, sink").isEqualTo(3);
        StagePipelineStats st = await(p.undeploy());
        assertThat(st.stage("b").rows()).isEqualTo(n);
        assertThat(a.cleanups.get()).isEqualTo(1);
        assertThat(b.cleanups.get()).isEqualTo(1);
        assertThat(vertx.deploymentIDs()).isEmpty();
    }

    @Test
    void theJsonDeclaration_carriesTheContext_andSharedStagesAreValidated() throws Exception {
        JsonObject json = new JsonObject("""
            {"name": "j", "source": "numbers", "ringCapacity": 64,
             "stages": [{"name": "a", "factory": "check2", "context": "w"},
                        {"name": "sink", "factory": "sink", "context": "w"}]}""");
        StagePipelineOptions o = new StagePipelineOptions(json);
        assertThat(new StagePipelineOptions(o.toJson())).isEqualTo(o);
        assertThat(o.getStages().get(1).context()).isEqualTo("w");
        StagePipeline p = await(StagePipeline.builder().sourceFactory("numbers", () -> new Numbers(500))
            .factory("check2", () -> new Check(2)).factory("sink", Sink::new).options(json).deploy(vertx));
        await(p.finished());
        assertThat(((Sink) p.stage("sink")).good).isEqualTo(500);
        assertThat(p.stage("a").stageContext()).isSameAs(p.stage("sink").stageContext());
        await(p.undeploy());

        assertThatThrownBy(() -> await(StagePipeline.builder().source("numbers", () -> new Numbers(1))
            .stage("a", Sink::new, 2).sharedContext("w", "a").deploy(vertx)))
            .hasMessage("stage 'a': a stage on shared context 'w' has one instance, not 2");
        assertThatThrownBy(() -> await(StagePipeline.builder().source("numbers", () -> new Numbers(1))
            .stage("a", Sink::new, 1).sharedContext(" ", "a").deploy(vertx)))
            .hasMessage("stage 'a': a shared context needs a name");
        assertThatThrownBy(() -> StagePipeline.builder().stage("a", Sink::new, 1).sharedContext("w", "b"))
            .hasMessage("sharedContext 'w': no stage 'b' declared before it");
        assertThat(vertx.deploymentIDs()).isEmpty();
    }
}
