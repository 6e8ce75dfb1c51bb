package io.github.hotpool.benchmarks.vertx;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.vertx.ContextPools;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.internal.VertxInternal;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One local event-bus hop (sender thread to a consumer on an event loop, which reads the batch and
 * signals back through a volatile counter) carrying 8 triples as: a pooled SoA handle
 * ({@code pooledHandle}, zero-copy codec, released by the consumer back to the sender's pool), a
 * freshly allocated equivalent heap object ({@code freshObject}), a Vert.x {@link Buffer}, which the
 * bus copies on local delivery ({@code bufferCopy}), and a shared constant string
 * ({@code eventBusOnly}: the event bus's own per-message cost, the floor for the others).
 * Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes per hop on all threads, and
 * {@code pooledHandle - eventBusOnly} is what the handle codec adds.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class EventBusHopBenchmark {

    static final String ADDRESS = "hop";
    private static final int LANES = 8;

    /** The heap equivalent of one SoA buffer: 8 triples in three arrays. */
    static final class HeapBatch {
        final long[] s = new long[LANES];
        final long[] p = new long[LANES];
        final long[] o = new long[LANES];
    }

    /** Local-only codec for {@link HeapBatch}: passes the object itself, like the handle codec. */
    static final class HeapBatchCodec implements MessageCodec<HeapBatch, HeapBatch> {
        @Override
        public void encodeToWire(Buffer buffer, HeapBatch b) {
            throw new UnsupportedOperationException("local only");
        }

        @Override
        public HeapBatch decodeFromWire(int pos, Buffer buffer) {
            throw new UnsupportedOperationException("local only");
        }

        @Override
        public HeapBatch transform(HeapBatch b) {
            return b;
        }

        @Override
        public String name() {
            return "heap-batch";
        }

        @Override
        public byte systemCodecID() {
            return -1;
        }
    }

    private Vertx vertx;
    private EventBus bus;
    private BufferPool pool;
    private final AtomicLong consumed = new AtomicLong();
    private volatile long sink;
    private long sent;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        vertx = Vertx.vertx();
        bus = vertx.eventBus();
        bus.registerDefaultCodec(HeapBatch.class, new HeapBatchCodec());
        // owned by this (benchmark) thread: the consumer's release is a remote release, as in a pipeline
        pool = new BufferPool(new PoolOptions().setSoaBuffers(64).setName("hop"));
        CompletableFuture<Void> ready = new CompletableFuture<>();
        ((VertxInternal) vertx).createEventLoopContext().runOnContext(v -> {
            ContextPools.current(); // installs the handle codec on this Vertx
            bus.consumer(ADDRESS, msg -> {
                Object body = msg.body();
                if (body instanceof SoaBuffer) {
                    SoaBuffer b = (SoaBuffer) body;
                    sink = b.subject(LANES - 1) ^ b.object(0);
                    ContextPools.release(b);
                } else if (body instanceof HeapBatch) {
                    HeapBatch h = (HeapBatch) body;
                    sink = h.s[LANES - 1] ^ h.o[0];
                } else if (body instanceof Buffer) {
                    Buffer buf = (Buffer) body;
                    sink = buf.getLong((LANES - 1) * 8) ^ buf.getLong(2 * LANES * 8);
                }
                consumed.lazySet(consumed.get() + 1);
            }).completion().onComplete(ar -> ready.complete(null));
        });
        ready.get(10, TimeUnit.SECONDS);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private void awaitHop() {
        sent++;
        while (consumed.get() != sent) {
            Thread.onSpinWait();
        }
    }

    @Benchmark
    public void pooledHandle() {
        SoaBuffer b = pool.acquire(LANES);
        for (int i = 0; i < LANES; i++) {
            b.set(i, sent + i, 7, i);
        }
        b.length(LANES);
        bus.send(ADDRESS, b);
        awaitHop();
    }

    @Benchmark
    public void freshObject() {
        HeapBatch h = new HeapBatch();
        for (int i = 0; i < LANES; i++) {
            h.s[i] = sent + i;
            h.p[i] = 7;
            h.o[i] = i;
        }
        bus.send(ADDRESS, h);
        awaitHop();
    }

    @Benchmark
    public void bufferCopy() {
        Buffer buf = Buffer.buffer(3 * LANES * 8);
        for (int i = 0; i < LANES; i++) {
            buf.setLong(i * 8, sent + i).setLong((LANES + i) * 8, 7).setLong((2 * LANES + i) * 8, i);
        }
        bus.send(ADDRESS, buf);
        awaitHop();
    }

    @Benchmark
    public void eventBusOnly() {
        bus.send(ADDRESS, ADDRESS);
        awaitHop();
    }
}
