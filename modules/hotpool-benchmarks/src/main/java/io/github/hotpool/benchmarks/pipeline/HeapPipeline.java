package io.github.hotpool.benchmarks.pipeline;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.SoaLayout;
import io.github.hotpool.pipeline.PipelineOptions;
import io.github.hotpool.triples.Hook;
import io.github.hotpool.triples.HookKernels;
import io.github.hotpool.triples.HookOp;
import io.github.hotpool.triples.Loader;
import io.github.hotpool.triples.Lockchain;
import io.github.hotpool.triples.NTriplesParser;
import io.github.hotpool.triples.ReceiptRecord;
import io.github.hotpool.triples.TripleBatch;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.internal.ContextInternal;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The unpooled variant: five verticles deployed in the pooled pipeline's order (Emit, Reflex,
 * Load, Transform, Ingest), linked by the local event bus, where every batch is a fresh heap
 * object. The stage work is the pooled pipeline's: Ingest frames the same in-memory input in
 * 64 KiB chunks (blank and comment lines dropped, line numbers kept) and copies each batch's
 * lines into a fresh array; Transform runs the same parser (SKIP with a per-error handler, one
 * feed per batch); Load runs {@link Loader#loadInto}, Reflex the real {@link HookKernels}, Emit
 * the real {@link Lockchain} with the same cycle size. The kernels need SoA memory, so each stage
 * copies the heap batch into its own scratch buffer, runs the kernel there and copies the result
 * out into fresh heap arrays (lanes, runs, one 64-byte record per matched receipt). At most 16
 * batches in flight, like the pooled pipeline's 16 buffers; Ingest waits for Emit to free a place
 * exactly as the pooled Ingest waits for a buffer to come home. Not thread-safe: one run at a time.
 */
final class HeapPipeline {

    static final int IN_FLIGHT = 16;
    private static final DeliveryOptions HOP = new DeliveryOptions().setLocalOnly(true);

    /** One batch, allocated per batch on purpose, with fresh arrays per stage. */
    static final class HeapBatch {
        byte[] lines;
        long[] lineNumber;
        int lineCount;
        long seq;
        long[] s;
        long[] p;
        long[] o;
        int n;
        long[] runPred;
        int[] runOff;
        int[] runLen;
        int runs;
        byte[][] receipts;
    }

    static final class Codec implements MessageCodec<HeapBatch, HeapBatch> {
        @Override public void encodeToWire(Buffer buffer, HeapBatch b) { throw new UnsupportedOperationException(); }
        @Override public HeapBatch decodeFromWire(int pos, Buffer buffer) { throw new UnsupportedOperationException(); }
        @Override public HeapBatch transform(HeapBatch b) { return b; }
        @Override public String name() { return "heap-batch"; }
        @Override public byte systemCodecID() { return -1; }
    }

    private final Vertx vertx;
    private final List<Hook> hooks;
    private final int cycleReceipts = new PipelineOptions().getCycleReceipts();
    private final AtomicInteger inFlight = new AtomicInteger();
    private Ingest ingest;
    private volatile Promise<Long> done;
    private volatile long issued = -1;
    private final AtomicInteger emitted = new AtomicInteger();
    private long triples;
    long receipts;

    HeapPipeline(Vertx vertx, List<Hook> hooks) {
        this.vertx = vertx;
        this.hooks = hooks;
        vertx.eventBus().registerDefaultCodec(HeapBatch.class, new Codec());
    }

    /** A stage verticle: takes a batch from {@code in}, works on it, sends it to {@code out}. */
    private abstract static class Stage extends VerticleBase {
        final String in;
        final String out;

        Stage(String in, String out) {
            this.in = in;
            this.out = out;
        }

        @Override
        public Future<?> start() {
            init();
            return vertx.eventBus().<HeapBatch>localConsumer(in, m -> {
                work(m.body());
                if (out != null) {
                    vertx.eventBus().send(out, m.body(), HOP);
                }
            }).completion();
        }

        void init() {
        }

        abstract void work(HeapBatch b);
    }

    /** Parses into fresh lane arrays with the pooled Transform's parser settings. */
    private static final class Transform extends Stage {
        private final NTriplesParser parser = new NTriplesParser(
            new PipelineOptions().getMaxLineLength() + 1, NTriplesParser.ErrorPolicy.SKIP);
        private HeapBatch target;
        long badLines;

        Transform() {
            super("h.transform", "h.load");
            parser.errorHandler(e -> badLines++); // the bundled data has none; reported like Transform would
        }

        @Override
        void work(HeapBatch b) {
            b.s = new long[SoaLayout.MAX_RUN_LEN];
            b.p = new long[SoaLayout.MAX_RUN_LEN];
            b.o = new long[SoaLayout.MAX_RUN_LEN];
            target = b;
            parser.reset();
            parser.feed(b.lines, 0, b.lines.length, this::accept);
        }

        private void accept(long s, long p, long o) {
            HeapBatch b = target;
            b.s[b.n] = s;
            b.p[b.n] = p;
            b.o[b.n++] = o;
        }
    }

    /** Heap lanes into the stage's scratch SoA buffer, the real loader, results out into fresh arrays. */
    private static final class Load extends Stage {
        private final TripleBatch scratch = new TripleBatch();
        private SoaBuffer soa;

        Load() {
            super("h.load", "h.reflex");
        }

        @Override
        void init() {
            soa = new BufferPool(new PoolOptions().setSoaBuffers(1).setName("heap-load")).acquire(SoaLayout.MAX_RUN_LEN);
        }

        @Override
        void work(HeapBatch b) {
            scratch.clear();
            for (int i = 0; i < b.n; i++) {
                scratch.add(b.s[i], b.p[i], b.o[i]);
            }
            int runs = Loader.loadInto(scratch, soa);
            b.s = new long[SoaLayout.MAX_RUN_LEN];
            b.p = new long[SoaLayout.MAX_RUN_LEN];
            b.o = new long[SoaLayout.MAX_RUN_LEN];
            for (int i = 0; i < b.n; i++) {
                b.s[i] = soa.subject(i);
                b.p[i] = soa.predicate(i);
                b.o[i] = soa.object(i);
            }
            b.runPred = new long[runs];
            b.runOff = new int[runs];
            b.runLen = new int[runs];
            for (int r = 0; r < runs; r++) {
                b.runPred[r] = soa.runPredicate(r);
                b.runOff[r] = soa.runOffset(r);
                b.runLen[r] = soa.runLength(r);
            }
            b.runs = runs;
        }
    }

    /** Heap batch into the stage's scratch buffer and receipts, the real kernels, one fresh record per matched receipt. */
    private final class Reflex extends Stage {
        private SoaBuffer soa;
        private SoaBuffer constructOut;

        Reflex() {
            super("h.reflex", "h.emit");
        }

        @Override
        void init() {
            BufferPool pool = new BufferPool(new PoolOptions().setSoaBuffers(2).setReceipts(hooks.size())
                .setReceiptsPerBuffer(hooks.size()).setName("heap-reflex"));
            soa = pool.acquire(SoaLayout.MAX_RUN_LEN);
            constructOut = pool.acquire(SoaLayout.MAX_RUN_LEN);
            for (int i = 0; i < hooks.size(); i++) {
                soa.attach(pool.acquireReceipt());
            }
        }

        @Override
        void work(HeapBatch b) {
            for (int i = 0; i < SoaLayout.MAX_RUN_LEN; i++) {
                soa.set(i, b.s[i], b.p[i], b.o[i]);
            }
            soa.length(b.n);
            soa.clearRuns();
            for (int r = 0; r < b.runs; r++) {
                soa.addRun(b.runPred[r], b.runOff[r], b.runLen[r]);
            }
            b.receipts = new byte[hooks.size()][];
            for (int i = 0; i < hooks.size(); i++) {
                Hook hook = hooks.get(i);
                Receipt r = soa.receipt(i);
                r.clear();
                r.cycleId(b.seq).shardId(0).hookId(hook.id());
                int run = runOf(hook.predicate());
                if (run < 0) {
                    continue;
                }
                if (hook.op() == HookOp.CONSTRUCT8) {
                    constructOut.length(0);
                    HookKernels.construct8(hook, soa, run, constructOut, r);
                } else {
                    HookKernels.eval(hook, soa, run, r);
                }
                if ((r.flags() & HookKernels.FLAG_PREDICATE_MATCH) != 0) {
                    b.receipts[i] = ReceiptRecord.encode(r);
                }
            }
        }

        private int runOf(long predicate) {
            for (int r = 0, n = soa.runCount(); r < n; r++) {
                if (soa.runPredicate(r) == predicate) {
                    return r;
                }
            }
            return -1;
        }
    }

    /** Extends the lockchain with each matched receipt, seals full cycles, frees the batch's place. */
    private final class Emit extends Stage {
        private final Lockchain chain = new Lockchain(cycleReceipts);
        private long cycle;

        Emit() {
            super("h.emit", null);
        }

        @Override
        void work(HeapBatch b) {
            for (byte[] rec : b.receipts) {
                if (rec != null) { // only receipts whose predicate occurred were recorded (as the pooled Emit filters)
                    chain.add(rec, 0);
                    receipts++;
                    if (chain.pending() == cycleReceipts) {
                        chain.seal(cycle++);
                    }
                }
            }
            triples += b.n;
            inFlight.decrementAndGet();
            ingest.wake();
            if (emitted.incrementAndGet() == issued) {
                done.tryComplete(triples);
            }
        }
    }

    /**
     * Frames the input into heap batches and sends them to Transform; stops at IN_FLIGHT batches
     * out and is woken by Emit (one queued task per burst of wakes, like the pool's release listener).
     */
    private final class Ingest extends VerticleBase {
        private final AtomicBoolean wakePending = new AtomicBoolean();
        private final Runnable wakeTask = () -> {
            wakePending.set(false);
            frame();
        };
        private volatile boolean hungry;
        private Buffer input;
        private final byte[] chunk = new byte[64 * 1024];
        private int chunkStart;
        private int chunkEnd;
        private int pos;
        private final byte[] staging = new byte[SoaLayout.MAX_RUN_LEN * (new PipelineOptions().getMaxLineLength() + 1)];
        private int stagedLength;
        private final long[] lineNumber = new long[SoaLayout.MAX_RUN_LEN];
        private int lineCount;
        private long line;
        private long seq;

        @Override
        public Future<?> start() {
            return Future.succeededFuture();
        }

        void run(Buffer data) {
            context.runOnContext(v -> {
                input = data;
                chunkStart = 0;
                chunkEnd = 0;
                pos = 0;
                line = 1;
                seq = 0;
                stagedLength = 0;
                lineCount = 0;
                frame();
            });
        }

        void wake() {
            if (hungry && wakePending.compareAndSet(false, true)) {
                ((ContextInternal) context).nettyEventLoop().execute(wakeTask);
            }
        }

        private void frame() {
            while (input != null) {
                if (inFlight.get() >= IN_FLIGHT) {
                    hungry = true;
                    java.lang.invoke.VarHandle.fullFence();
                    if (inFlight.get() >= IN_FLIGHT) {
                        return; // Emit wakes us
                    }
                }
                hungry = false;
                if (pos == chunkEnd && !nextChunk()) {
                    if (lineCount > 0) {
                        dispatch();
                    }
                    issued = seq;
                    input = null;
                    if (emitted.get() == seq) {
                        done.tryComplete(triples);
                    }
                    return;
                }
                frameChunk();
            }
        }

        private boolean nextChunk() {
            int length = input.length();
            if (chunkStart >= length) {
                return false;
            }
            int to = Math.min(length, chunkStart + MemoryChunk.SIZE);
            input.slice(chunkStart, to).getBytes(0, to - chunkStart, chunk, 0);
            chunkEnd = to - chunkStart;
            chunkStart = to;
            pos = 0;
            return true;
        }

        /** Lines of the current chunk into staging until the chunk ends or a batch is sent. */
        private void frameChunk() {
            while (pos < chunkEnd) {
                int eol = pos;
                while (eol < chunkEnd && chunk[eol] != '\n') {
                    eol++;
                }
                System.arraycopy(chunk, pos, staging, stagedLength, eol - pos);
                stagedLength += eol - pos;
                if (eol == chunkEnd) {
                    pos = chunkEnd; // the line goes on in the next chunk
                    return;
                }
                pos = eol + 1;
                if (endLine()) {
                    return;
                }
            }
        }

        /** @return true when a batch was sent */
        private boolean endLine() {
            long number = line++;
            int start = lineCount == 0 ? 0 : lineStart;
            int end = stagedLength;
            if (end > start && staging[end - 1] == '\r') {
                end--;
            }
            if (blankOrComment(start, end)) {
                stagedLength = start;
                return false;
            }
            staging[end++] = '\n';
            stagedLength = end;
            lineNumber[lineCount++] = number;
            lineStart = end;
            if (lineCount == SoaLayout.MAX_RUN_LEN) {
                dispatch();
                return true;
            }
            return false;
        }

        private int lineStart;

        private boolean blankOrComment(int from, int to) {
            for (int i = from; i < to; i++) {
                byte c = staging[i];
                if (c != ' ' && c != '\t') {
                    return c == '#';
                }
            }
            return true;
        }

        private void dispatch() {
            HeapBatch b = new HeapBatch();
            b.lines = java.util.Arrays.copyOf(staging, stagedLength);
            b.lineNumber = java.util.Arrays.copyOf(lineNumber, lineCount);
            b.lineCount = lineCount;
            b.seq = seq++;
            stagedLength = 0;
            lineCount = 0;
            lineStart = 0;
            inFlight.incrementAndGet();
            vertx.eventBus().send("h.transform", b, HOP);
        }
    }

    /** Chunk size of the heap Ingest's reads: the pooled Ingest's file and memory chunk size. */
    private static final class MemoryChunk {
        static final int SIZE = 64 * 1024;
    }

    /** Deploys the stages in the pooled pipeline's order, so their contexts land on the same event loops. */
    Future<?> deploy() {
        ingest = new Ingest();
        return vertx.deployVerticle(new Emit())
            .compose(v -> vertx.deployVerticle(new Reflex()))
            .compose(v -> vertx.deployVerticle(new Load()))
            .compose(v -> vertx.deployVerticle(new Transform()))
            .compose(v -> vertx.deployVerticle(ingest));
    }

    /** Streams {@code input} through the five stages; @return the triples emitted. */
    long run(Buffer input) throws Exception {
        Promise<Long> p = Promise.promise();
        done = p;
        issued = -1;
        emitted.set(0);
        triples = 0;
        receipts = 0;
        ingest.run(input);
        return p.future().toCompletionStage().toCompletableFuture().get();
    }
}
