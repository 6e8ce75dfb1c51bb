package io.github.hotpool.benchmarks.pipeline;

import io.github.hotpool.pipeline.GuardPipeline;
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
 * The whole schema.org file (18,061 triples, six hooks) through the RDF guard, five ways; one
 * operation is one triple, so the score is ns per triple (invert for triples/s) and {@code
 * gc.alloc.rate.norm} is bytes per triple, summed over every thread of the JVM. Every variant
 * but {@code handles} runs the same functions (framing into rows of 8 lines, {@code
 * RowTransform}, {@code GuardSteps.load / reflex / emit} into an in-memory receipt store with
 * the default cycle size: sinks off) and produces the same lockchain head, which each trial's
 * setup checks against another variant before it measures.
 * <ul>
 *   <li>{@code pooled}: the v2 pipeline exactly as {@code triple-guard run} deploys it
 *   ({@link GuardPipeline}, no output directory), one {@code ingest(buffer)} per invocation: a
 *   push source frames and parses into a 1024-row Δ-ring, Load, Reflex and Emit get spans of
 *   rows over the event bus;</li>
 *   <li>{@code handles}: the v1 pipeline ({@link Pipeline}: pool handles, one event-bus message
 *   per 8-triple buffer and stage), kept so that its number stays visible;</li>
 *   <li>{@code unpooled}: {@link HeapPipeline}, five verticles with a fresh heap batch per 8
 *   triples and fresh arrays per stage, one event-bus message per batch and hop;</li>
 *   <li>{@code disruptor}: {@link DisruptorPipeline}, the producer (frame + parse) on the
 *   benchmark thread and the steps on Disruptor handler threads over a Δ-ring of the same size
 *   (wait strategy and handler groups are parameters);</li>
 *   <li>{@code direct}: {@link DirectPipeline}, every step one after another on the benchmark
 *   thread: the single-core cost of the work.</li>
 * </ul>
 * All run on a shared machine: compare them only within one run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PipelineBenchmark {

    /**
     * Event-loop threads of the Vertx instance (0: Vert.x's default, 2 x cores). With 1, every
     * stage shares one thread and a hop is a task on the same queue, not a wake-up of another thread.
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

    /** Setup check: a variant that chained other receipts than the others did not do the same work. */
    static void expectSameHead(String variant, String head, String reference, String referenceName) {
        if (!head.equals(reference)) {
            throw new IllegalStateException(variant + " ended the lockchain at " + head + ", " + referenceName
                + " at " + reference + ": they did not do the same work");
        }
    }

    /** The pipeline options of {@code triple-guard run} for the benchmark's hooks, without an output directory. */
    static PipelineOptions guardOptions() {
        return new PipelineOptions().setHooks(BenchHooks.json());
    }

    /** One run of the input through a fresh {@link DirectPipeline}; @return its head, after checking its triples. */
    static String directHead(byte[] data) {
        DirectPipeline d = new DirectPipeline(BenchHooks.hooks());
        expectAllTriples("direct", d.run(data));
        return d.sealAndHead();
    }

    /**
     * One run of the input through a fresh {@link GuardPipeline} on its own Vertx; @return its head
     * after {@code flush()} (the open cycle sealed), after checking its triples.
     */
    static String guardHead(byte[] data) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            GuardPipeline p = await(GuardPipeline.deploy(vertx, guardOptions()));
            expectAllTriples("pooled pipeline", await(p.ingest(Buffer.buffer(data), "schemaorg", null)).getLong("triples"));
            String head = await(p.flush()).getString("head");
            await(p.undeploy());
            return head;
        } finally {
            await(vertx.close());
        }
    }

    /** The v2 pipeline; one state per variant, so a fork builds (and runs threads for) only its own. */
    @State(Scope.Benchmark)
    public static class Pooled {
        Vertx vertx;
        GuardPipeline pipeline;
        Buffer data;

        @Setup(Level.Trial)
        public void setup(PipelineBenchmark b) throws Exception {
            byte[] bytes = BenchHooks.data();
            data = Buffer.buffer(bytes);
            vertx = vertx(b.eventLoops);
            pipeline = await(GuardPipeline.deploy(vertx, guardOptions()));
            expectAllTriples("pooled pipeline", await(pipeline.ingest(data, "schemaorg", null)).getLong("triples"));
            // the same pipeline is measured next: flush() seals one cycle early, which changes no cost
            expectSameHead("pooled pipeline", await(pipeline.flush()).getString("head"), directHead(bytes), "direct");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            await(pipeline.undeploy());
            await(vertx.close());
        }
    }

    /** The v1 pipeline (pool handles). Its chain records other bytes (64-byte records), so only its triples are checked. */
    @State(Scope.Benchmark)
    public static class Handles {
        Vertx vertx;
        Pipeline pipeline;
        Buffer data;

        @Setup(Level.Trial)
        public void setup(PipelineBenchmark b) throws Exception {
            data = Buffer.buffer(BenchHooks.data());
            vertx = vertx(b.eventLoops);
            pipeline = await(Pipeline.deploy(vertx, new PipelineOptions().setHooks(BenchHooks.json())));
            expectAllTriples("handle pipeline", await(pipeline.ingest(data, "schemaorg")).getLong("triples"));
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
        byte[] data;

        @Setup(Level.Trial)
        public void setup(PipelineBenchmark b) throws Exception {
            data = BenchHooks.data();
            vertx = vertx(b.eventLoops);
            heap = new HeapPipeline(vertx, BenchHooks.hooks());
            await(heap.deploy());
            expectAllTriples("heap pipeline", heap.run(data));
            expectSameHead("heap pipeline", heap.sealAndHead(), directHead(data), "direct");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            await(vertx.close());
        }
    }

    /** The Disruptor pipeline. */
    @State(Scope.Benchmark)
    public static class Ring {
        /**
         * The handlers' wait strategy, a {@link DisruptorPipeline.Wait}. SLEEPING (spin, yield, then
         * park 100 ns) with three groups was within 3 % of the best and then the best of BLOCKING,
         * LITE_BLOCKING, YIELDING and SLEEPING x 1, 2, 3 groups in two sweeps on this shared 2-core
         * machine, and the steadiest (docs/benchmarks.md); YIELDING swung most with the load.
         */
        @Param({"SLEEPING"})
        public String waitStrategy;
        /** Handler threads: 1 (load + reflex + emit), 2 (load + reflex, emit) or 3 (one per step). */
        @Param({"3"})
        public int handlerGroups;

        DisruptorPipeline disruptor;
        byte[] data;

        @Setup(Level.Trial)
        public void setup() {
            data = BenchHooks.data();
            // made on the benchmark thread, which is the Δ-ring's owner and the producer
            disruptor = new DisruptorPipeline(BenchHooks.hooks(), DisruptorPipeline.Wait.valueOf(waitStrategy), handlerGroups);
            expectAllTriples("disruptor", disruptor.run(data));
            expectSameHead("disruptor", disruptor.sealAndHead(), directHead(data), "direct");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            disruptor.close();
        }
    }

    /** The steps on the benchmark thread. */
    @State(Scope.Benchmark)
    public static class Direct {
        DirectPipeline direct;
        byte[] data;

        @Setup(Level.Trial)
        public void setup() throws Exception {
            data = BenchHooks.data();
            direct = new DirectPipeline(BenchHooks.hooks());
            expectAllTriples("direct", direct.run(data));
            expectSameHead("direct", direct.sealAndHead(), guardHead(data), "pooled pipeline");
        }
    }

    /** The v2 pipeline, as triple-guard runs it with sinks off (input in memory, 64 KiB chunks). */
    @Benchmark
    @OperationsPerInvocation(TRIPLES)
    public long pooled(Pooled s) throws Exception {
        return await(s.pipeline.ingest(s.data, "schemaorg", null)).getLong("triples");
    }

    /** Pool handles through the five v1 verticles (input in memory, 64 KiB chunks). */
    @Benchmark
    @OperationsPerInvocation(TRIPLES)
    public long handles(Handles s) throws Exception {
        return await(s.pipeline.ingest(s.data, "schemaorg")).getLong("triples");
    }

    /** Fresh heap batches through five verticles doing the same steps, one message per batch and hop. */
    @Benchmark
    @OperationsPerInvocation(TRIPLES)
    public long unpooled(Unpooled s) throws Exception {
        return s.heap.run(s.data);
    }

    /** The same steps on a Disruptor. */
    @Benchmark
    @OperationsPerInvocation(TRIPLES)
    public long disruptor(Ring s) {
        return s.disruptor.run(s.data);
    }

    /** The same steps one after another on one thread. */
    @Benchmark
    @OperationsPerInvocation(TRIPLES)
    public long direct(Direct s) {
        return s.direct.run(s.data);
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.await(60, TimeUnit.SECONDS); // on JMH's thread, never an event loop
    }
}
