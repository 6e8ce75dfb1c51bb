package io.github.hotpool.benchmarks.pipeline;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.Ring;
import io.github.hotpool.core.RingOptions;
import io.github.hotpool.core.SoaLayout;
import io.github.hotpool.pipeline.PipelineOptions;
import io.github.hotpool.triples.Hook;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.internal.ContextInternal;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The unpooled variant: the guard's stages as five verticles (Ingest, Transform, Load, Reflex,
 * Emit, deployed in that order from the end) linked by the local event bus, one message per
 * batch of up to 8 triples per hop, where every batch is a fresh heap object with fresh arrays
 * per stage. It does the pipeline's work with the pipeline's own functions: Ingest frames with
 * {@link RowLines} (the same rows as the pipeline's framer), Transform parses with {@code
 * RowTransform}, Load, Reflex and Emit call {@code GuardSteps.load}, {@code reflex} and {@code
 * emit} (into an in-memory {@code ReceiptStore}, flushed every 64 rows), so its lockchain head is
 * the pipeline's.
 *
 * <p>What stays here is only what differs, heap batches per message: those functions work on
 * Δ-ring rows, so each stage owns a one-row Δ-ring as scratch, copies the heap batch into that
 * row, calls its function there and copies the result out into fresh heap arrays (lanes; runs;
 * the receipts' fields and runs), which are the message the next stage gets. At most 16 batches
 * are in flight (the v1 pipeline's 16 pool buffers): Ingest stops there and Emit wakes it. Not
 * thread-safe: one run at a time.
 */
final class HeapPipeline {

    static final int IN_FLIGHT = 16;
    /** Fields of one receipt on the heap: cycle, shard, hook, ticks, actual ticks, lanes, flags, span, a-hash, result. */
    static final int RECEIPT_FIELDS = 10;
    private static final DeliveryOptions HOP = new DeliveryOptions().setLocalOnly(true);

    /** One batch, allocated per batch on purpose, with fresh arrays per stage. */
    static final class HeapBatch {
        byte[] lines;
        int[] starts;
        long[] lineNumbers;
        int lineCount;
        long seq;
        long[] s;
        long[] p;
        long[] o;
        int n;
        long[] runPred;
        int[] runOff;
        int[] runLen;
        long[] receipts;
        int[] hookRuns;
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
    private final AtomicInteger inFlight = new AtomicInteger();
    private Ingest ingest;
    private Emit emit;
    private volatile Promise<Long> done;
    private volatile long issued = -1;
    private final AtomicInteger emitted = new AtomicInteger();
    private long triples;

    HeapPipeline(Vertx vertx, List<Hook> hooks) {
        this.vertx = vertx;
        this.hooks = hooks;
        vertx.eventBus().registerDefaultCodec(HeapBatch.class, new Codec());
    }

    /**
     * A stage verticle: takes a batch from {@code in}, works on it in its scratch row, sends it to
     * {@code out}. The scratch row's sequence follows the batches' (checked), so Reflex's cycle
     * ids are the pipeline's.
     */
    private abstract class Stage extends VerticleBase {
        final String in;
        final String out;
        GuardTables tables;
        private DeltaRing scratch;
        private DeltaRing.Row row;

        Stage(String in, String out) {
            this.in = in;
            this.out = out;
        }

        @Override
        public Future<?> start() {
            // made here, on the stage's event loop: the scratch ring's owner
            tables = new GuardTables(hooks, 1);
            scratch = new DeltaRing(new RingOptions().setName(in).setCapacity(1).chain("scratch"));
            row = scratch.row(Ring.PRODUCER);
            return vertx.eventBus().<HeapBatch>localConsumer(in, m -> {
                HeapBatch b = m.body();
                long seq = scratch.tryClaim(1);
                if (seq != b.seq) {
                    throw new IllegalStateException(in + " got batch " + b.seq + " at scratch row " + seq);
                }
                work(b, row.at(seq));
                scratch.publish(seq + 1);
                scratch.advance(0, seq + 1);
                if (out != null) {
                    vertx.eventBus().send(out, b, HOP);
                }
            }).completion();
        }

        abstract void work(HeapBatch b, DeltaRing.Row row);
    }

    /** Heap lanes into the scratch row. */
    private static void lanesIn(HeapBatch b, DeltaRing.Row row) {
        for (int i = 0; i < b.n; i++) {
            row.set(i, b.s[i], b.p[i], b.o[i]);
        }
        row.length(b.n);
    }

    /** The scratch row's lanes out into fresh heap arrays. */
    private static void lanesOut(DeltaRing.Row row, HeapBatch b) {
        b.n = row.length();
        b.s = new long[SoaLayout.MAX_RUN_LEN];
        b.p = new long[SoaLayout.MAX_RUN_LEN];
        b.o = new long[SoaLayout.MAX_RUN_LEN];
        for (int i = 0; i < b.n; i++) {
            b.s[i] = row.subject(i);
            b.p[i] = row.predicate(i);
            b.o[i] = row.object(i);
        }
    }

    /** RowTransform on the batch's staged lines, lanes out. */
    private final class Transform extends Stage {
        Transform() {
            super("h.transform", "h.load");
        }

        @Override
        void work(HeapBatch b, DeltaRing.Row row) {
            tables.parse(b.lines, b.starts, b.lineCount, b.lineNumbers, row);
            lanesOut(row, b);
        }
    }

    /** GuardSteps.load in the scratch row; lanes and runs out. */
    private final class Load extends Stage {
        Load() {
            super("h.load", "h.reflex");
        }

        @Override
        void work(HeapBatch b, DeltaRing.Row row) {
            lanesIn(b, row);
            tables.load(row);
            lanesOut(row, b);
            int runs = row.runCount();
            b.runPred = new long[runs];
            b.runOff = new int[runs];
            b.runLen = new int[runs];
            for (int r = 0; r < runs; r++) {
                b.runPred[r] = row.runPredicate(r);
                b.runOff[r] = row.runOffset(r);
                b.runLen[r] = row.runLength(r);
            }
        }
    }

    /** Lanes and runs in, GuardSteps.reflex, every hook's receipt fields and run out. */
    private final class Reflex extends Stage {
        Reflex() {
            super("h.reflex", "h.emit");
        }

        @Override
        void work(HeapBatch b, DeltaRing.Row row) {
            lanesIn(b, row);
            for (int r = 0; r < b.runPred.length; r++) {
                row.addRun(b.runPred[r], b.runOff[r], b.runLen[r]);
            }
            tables.reflex(row);
            int n = hooks.size();
            b.receipts = new long[n * RECEIPT_FIELDS];
            b.hookRuns = new int[n];
            for (int h = 0; h < n; h++) {
                Receipt r = tables.receipt(row, h);
                int f = h * RECEIPT_FIELDS;
                b.receipts[f] = r.cycleId();
                b.receipts[f + 1] = r.shardId();
                b.receipts[f + 2] = r.hookId();
                b.receipts[f + 3] = r.ticks();
                b.receipts[f + 4] = r.actualTicks();
                b.receipts[f + 5] = r.lanes();
                b.receipts[f + 6] = r.flags();
                b.receipts[f + 7] = r.spanId();
                b.receipts[f + 8] = r.aHash();
                b.receipts[f + 9] = r.result();
                b.hookRuns[h] = tables.run(row, h);
            }
        }
    }

    /** Lanes, receipts and runs in, GuardSteps.emit; frees the batch's place, completes the run after the last. */
    private final class Emit extends Stage {
        Emit() {
            super("h.emit", null);
        }

        @Override
        void work(HeapBatch b, DeltaRing.Row row) {
            lanesIn(b, row);
            for (int h = 0, n = hooks.size(); h < n; h++) {
                int f = h * RECEIPT_FIELDS;
                tables.receipt(row, h).clear().cycleId(b.receipts[f]).shardId((int) b.receipts[f + 1])
                    .hookId((int) b.receipts[f + 2]).ticks(b.receipts[f + 3]).actualTicks(b.receipts[f + 4])
                    .lanes((int) b.receipts[f + 5]).flags((int) b.receipts[f + 6]).spanId(b.receipts[f + 7])
                    .aHash(b.receipts[f + 8]).result(b.receipts[f + 9]);
                tables.run(row, h, b.hookRuns[h]);
            }
            tables.emit(row);
            triples += b.n;
            inFlight.decrementAndGet();
            ingest.wake();
            if (emitted.incrementAndGet() == issued) {
                tables.flush();
                done.tryComplete(triples);
            }
        }
    }

    /**
     * Frames the input into heap batches and sends them to Transform; stops at IN_FLIGHT batches
     * out and is woken by Emit (one queued task per burst of wakes).
     */
    private final class Ingest extends VerticleBase {
        private final AtomicBoolean wakePending = new AtomicBoolean();
        private final Runnable wakeTask = () -> {
            wakePending.set(false);
            frame();
        };
        private volatile boolean hungry;
        private RowLines lines;
        private boolean reading;
        private long seq;
        private int sent;

        @Override
        public Future<?> start() {
            lines = new RowLines(new PipelineOptions().getMaxLineLength());
            return Future.succeededFuture();
        }

        void run(byte[] data) {
            context.runOnContext(v -> {
                lines.reset(data);
                reading = true;
                sent = 0;
                frame();
            });
        }

        void wake() {
            if (hungry && wakePending.compareAndSet(false, true)) {
                ((ContextInternal) context).nettyEventLoop().execute(wakeTask);
            }
        }

        private void frame() {
            while (reading) {
                if (inFlight.get() >= IN_FLIGHT) {
                    hungry = true;
                    java.lang.invoke.VarHandle.fullFence();
                    if (inFlight.get() >= IN_FLIGHT) {
                        return; // Emit wakes us
                    }
                }
                hungry = false;
                if (!lines.next()) {
                    reading = false;
                    issued = sent;
                    if (emitted.get() == sent) {
                        done.tryComplete(triples);
                    }
                    return;
                }
                HeapBatch b = new HeapBatch();
                // a fresh heap copy of the batch's lines, each ending with '\n' (what this variant measures)
                int total = 0;
                for (int i = 0; i < lines.lines; i++) {
                    total += lines.to[i] - lines.from[i] + 1;
                }
                b.lines = new byte[total];
                b.starts = new int[lines.lines + 1];
                for (int i = 0, at = 0; i < lines.lines; i++) {
                    int n = lines.to[i] - lines.from[i];
                    System.arraycopy(lines.input, lines.from[i], b.lines, at, n);
                    at += n;
                    b.lines[at++] = '\n';
                    b.starts[i + 1] = at;
                }
                b.lineNumbers = Arrays.copyOf(lines.lineNumbers, lines.lines);
                b.lineCount = lines.lines;
                b.seq = seq++;
                sent++;
                inFlight.incrementAndGet();
                vertx.eventBus().send("h.transform", b, HOP);
            }
        }
    }

    /** Deploys the stages from the end, as the pipelines deploy theirs, so their contexts land on the same event loops. */
    Future<?> deploy() {
        ingest = new Ingest();
        emit = new Emit();
        return vertx.deployVerticle(emit)
            .compose(v -> vertx.deployVerticle(new Reflex()))
            .compose(v -> vertx.deployVerticle(new Load()))
            .compose(v -> vertx.deployVerticle(new Transform()))
            .compose(v -> vertx.deployVerticle(ingest));
    }

    /** Streams {@code input} through the five stages; the chain goes on from the last run. @return the triples emitted */
    long run(byte[] input) throws Exception {
        Promise<Long> p = Promise.promise();
        done = p;
        issued = -1;
        emitted.set(0);
        triples = 0;
        ingest.run(input);
        return p.future().await(); // on JMH's thread, never an event loop
    }

    /**
     * After a run: seals the open cycle; @return the chain's head (hex). For checks: it reads
     * Emit's store from the caller's thread, ordered by the run's completion.
     */
    String sealAndHead() {
        return emit.tables.sealAndHead();
    }
}
