package io.github.hotpool.benchmarks.pipeline;

import io.github.hotpool.pipeline.Pipeline;
import io.github.hotpool.pipeline.PipelineOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole schema.org file (18,061 triples, six hooks) through three five-stage pipelines; one
 * operation is one triple, so the score is ns per triple (invert for triples/s) and
 * {@code gc.alloc.rate.norm} is bytes per triple, summed over every thread of the JVM.
 * Both event-bus variants take the same in-memory input in 64 KiB chunks, run the same parser,
 * loader, kernels and lockchain, and keep at most 16 batches in flight.
 * <ul>
 *   <li>{@code pooled}: hotpool-pipeline's verticles ({@code Pipeline.ingest}), pool handles over the
 *   local event bus;</li>
 *   <li>{@code unpooled}: {@link HeapPipeline}, the same five verticles with fresh heap arrays per
 *   batch and stage over the same event bus;</li>
 *   <li>{@code disruptor}: the same stage functions on an LMAX Disruptor ring, one thread per stage,
 *   no event bus.</li>
 * </ul>
 * All three run on a shared machine: compare them only within one run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PipelineBenchmark {

    /**
     * Event-loop threads of the Vertx instance (0: Vert.x's default, 2 x cores). With 1, all five
     * stages share one thread and a hop is a task on the same queue, not a wake-up of another thread.
     */
    @Param({"0"})
    public int eventLoops;

    static Vertx vertx(int eventLoops) {
        return eventLoops > 0 ? Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops)) : Vertx.vertx();
    }

    /** Triples in the bundled schema.org file; setup fails if the data says otherwise. */
    static final int TRIPLES = 18_061;

    /** Setup check: a variant that lost or invented triples would make every score meaningless. */
    static void expectAllTriples(String variant, long triples) {
        if (triples != TRIPLES) {
            throw new IllegalStateException(variant + " saw " + triples + " triples, benchmark expects " + TRIPLES);
        }
    }

    /** The pooled pipeline; one state per variant, so a fork builds (and runs threads for) only its own. */
    @State(Scope.Benchmark)
    public static class Pooled {
        Vertx vertx;
        Pipeline pipeline;
        Buffer data;

        @Setup(Level.Trial)
        public void setup(PipelineBenchmark b) throws Exception {
            data = Buffer.buffer(BenchHooks.data());
            vertx = vertx(b.eventLoops);
            pipeline = await(Pipeline.deploy(vertx, new PipelineOptions().setHooks(BenchHooks.json())));
            long triples = await(pipeline.ingest(data, "schemaorg")).getLong("triples");
            expectAllTriples("pooled pipeline", triples);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            await(pipeline.undeploy());
            await(vertx.close());
        }
    }

    /** The heap pipeline. */
    @State(Scope.Benchmark)
    public static class Unpooled {
        Vertx vertx;
        HeapPipeline heap;
        Buffer data;

        @Setup(Level.Trial)
        public void setup(PipelineBenchmark b) throws Exception {
            data = Buffer.buffer(BenchHooks.data());
            vertx = vertx(b.eventLoops);
            heap = new HeapPipeline(vertx, BenchHooks.hooks());
            await(heap.deploy());
            long triples = heap.run(data);
            expectAllTriples("heap pipeline", triples);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            await(vertx.close());
        }
    }

    /** The Disruptor pipeline. */
    @State(Scope.Benchmark)
    public static class Ring {
        DisruptorPipeline disruptor;
        byte[] data;

        @Setup(Level.Trial)
        public void setup() {
            data = BenchHooks.data();
            disruptor = new DisruptorPipeline(BenchHooks.hooks());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            disruptor.close();
        }
    }

    /** Pool handles through the five hotpool-pipeline verticles (input in memory, 64 KiB chunks). */
    @Benchmark
    @OperationsPerInvocation(TRIPLES)
    public long pooled(Pooled s) throws Exception {
        return await(s.pipeline.ingest(s.data, "schemaorg")).getLong("triples");
    }

    /** Fresh heap batches through verticles of the same shape and stage work (same input, same chunks). */
    @Benchmark
    @OperationsPerInvocation(TRIPLES)
    public long unpooled(Unpooled s) throws Exception {
        return s.heap.run(s.data);
    }

    /** The same stage functions on a Disruptor ring, one thread per stage. */
    @Benchmark
    @OperationsPerInvocation(TRIPLES)
    public long disruptor(Ring s) {
        return s.disruptor.run(s.data);
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
