package io.github.hotpool.benchmarks.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The benchmark's variants do the pipeline's work: one run of the bundled data through each ends
 * the lockchain at the head {@code GuardPipeline} ends it at, with every triple parsed.
 */
@Timeout(120)
class SameChainTest {

    private static byte[] data;
    private static String pipelineHead;

    @BeforeAll
    static void runThePipeline() throws Exception {
        data = BenchHooks.data();
        pipelineHead = PipelineBenchmark.guardHead(data);
        assertThat(pipelineHead).hasSize(64).isNotEqualTo("0".repeat(64));
    }

    @Test
    void direct_endsTheChainAtThePipelinesHead() {
        DirectPipeline direct = new DirectPipeline(BenchHooks.hooks());
        assertThat(direct.run(data)).isEqualTo(PipelineBenchmark.TRIPLES);
        assertThat(direct.badLines()).isZero();
        assertThat(direct.sealAndHead()).isEqualTo(pipelineHead);
    }

    @ParameterizedTest(name = "{0}, {1} handler groups")
    @CsvSource({"BLOCKING, 1", "YIELDING, 2", "LITE_BLOCKING, 3", "SLEEPING, 1"})
    void disruptor_endsTheChainAtThePipelinesHead(DisruptorPipeline.Wait wait, int groups) {
        try (DisruptorPipeline d = new DisruptorPipeline(BenchHooks.hooks(), wait, groups)) {
            assertThat(d.run(data)).isEqualTo(PipelineBenchmark.TRIPLES);
            assertThat(d.badLines()).isZero();
            assertThat(d.sealAndHead()).isEqualTo(pipelineHead);
        }
    }

    @Test
    void heap_endsTheChainAtThePipelinesHead() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            HeapPipeline heap = new HeapPipeline(vertx, BenchHooks.hooks());
            PipelineBenchmark.await(heap.deploy());
            assertThat(heap.run(data)).isEqualTo(PipelineBenchmark.TRIPLES);
            assertThat(heap.sealAndHead()).isEqualTo(pipelineHead);
        } finally {
            PipelineBenchmark.await(vertx.close());
        }
    }

    @Test
    void secondRun_continuesTheChain() {
        DirectPipeline direct = new DirectPipeline(BenchHooks.hooks());
        direct.run(data);
        direct.run(data);
        assertThat(direct.sealAndHead()).isNotEqualTo(pipelineHead);
    }
}
