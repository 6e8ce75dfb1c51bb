package io.github.hotpool.benchmarks.pipeline;

import io.github.hotpool.triples.Hook;
import io.github.hotpool.triples.HookOp;
import io.github.hotpool.triples.NTriplesParser;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The unpooled variant: the same Ingest → Transform → Load → Reflex → Emit verticles over the
 * local event bus, but every batch is a fresh heap object (lines, lanes, runs, receipts) and
 * Emit hashes receipts with a fresh digest array per receipt. At most 16 batches in flight, like
 * the pooled pipeline's 16 buffers, so neither variant floods the event bus.
 */
final class HeapPipeline {

    static final int IN_FLIGHT = 16;

    /** One batch, allocated per batch on purpose. */
    static final class HeapBatch {
        byte[] lines;
        long seq;
        long[] s = new long[8];
        long[] p = new long[8];
        long[] o = new long[8];
        int n;
        long[] runPred = new long[8];
        int[] runOff = new int[8];
        int[] runLen = new int[8];
        int runs;
        long[][] receipts;
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
    private volatile Promise<Long> done;
    private volatile long expected;
    private final AtomicInteger emitted = new AtomicInteger();
    long receipts;
    private final java.util.concurrent.atomic.AtomicReference<Runnable> resume = new java.util.concurrent.atomic.AtomicReference<>();
    private final io.vertx.core.Context feeder;

    HeapPipeline(Vertx vertx, List<Hook> hooks) {
        this.vertx = vertx;
        this.hooks = hooks;
        this.feeder = vertx.getOrCreateContext();
        vertx.eventBus().registerDefaultCodec(HeapBatch.class, new Codec());
    }

    private static final class Stage extends VerticleBase {
        final String in;
        final String out;
        final Consumer<HeapBatch> work;

        Stage(String in, String out, Consumer<HeapBatch> work) {
            this.in = in;
            this.out = out;
            this.work = work;
        }

        @Override
        public Future<?> start() {
            return vertx.eventBus().<HeapBatch>localConsumer(in, m -> {
                work.accept(m.body());
                if (out != null) {
                    vertx.eventBus().send(out, m.body());
                }
            }).completion();
        }
    }

    Future<?> deploy() {
        NTriplesParser parser = new NTriplesParser();
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return vertx.deployVerticle(new Stage("h.emit", null, b -> emit(b, sha)))
            .compose(v -> vertx.deployVerticle(new Stage("h.reflex", "h.emit", this::reflex)))
            .compose(v -> vertx.deployVerticle(new Stage("h.load", "h.reflex", HeapPipeline::load)))
            .compose(v -> vertx.deployVerticle(new Stage("h.transform", "h.load", b -> parse(parser, b))));
    }

    /** Ingest on the calling thread's side: stages batches, at most IN_FLIGHT at once. */
    long run(byte[] input) throws Exception {
        java.util.ArrayList<HeapBatch> batches = new java.util.ArrayList<>();
        StagedLines.each(input, (src, from, to) -> {
            HeapBatch b = new HeapBatch();
            b.lines = java.util.Arrays.copyOfRange(src, from, to);
            batches.add(b);
        });
        Promise<Long> p = Promise.promise();
        done = p;
        expected = batches.size();
        emitted.set(0);
        receipts = 0;
        feeder.runOnContext(v -> feed(batches, 0));
        return p.future().toCompletionStage().toCompletableFuture().get();
    }

    private void feed(List<HeapBatch> batches, int from) {
        int i = from;
        while (i < batches.size() && inFlight.get() < IN_FLIGHT) {
            HeapBatch b = batches.get(i);
            b.seq = i++;
            inFlight.incrementAndGet();
            vertx.eventBus().send("h.transform", b);
        }
        if (i < batches.size()) {
            int next = i;
            resume.set(() -> feed(batches, next));
            // Emit may have freed a place between our check and the set: then resume at once
            if (inFlight.get() < IN_FLIGHT) {
                Runnable r = resume.getAndSet(null);
                if (r != null) {
                    feeder.runOnContext(v -> r.run());
                }
            }
        }
    }

    private static void parse(NTriplesParser parser, HeapBatch b) {
        parser.reset();
        parser.feed(b.lines, 0, b.lines.length, (s, p, o) -> {
            b.s[b.n] = s;
            b.p[b.n] = p;
            b.o[b.n++] = o;
        });
        parser.finish((s, p, o) -> {
            b.s[b.n] = s;
            b.p[b.n] = p;
            b.o[b.n++] = o;
        });
    }

    private static void load(HeapBatch b) {
        long[] s = new long[8];
        long[] p = new long[8];
        long[] o = new long[8];
        int lane = 0;
        int placed = 0;
        for (int i = 0; i < b.n; i++) {
            if ((placed & 1 << i) != 0) {
                continue;
            }
            long pred = b.p[i];
            int off = lane;
            for (int j = i; j < b.n; j++) {
                if ((placed & 1 << j) == 0 && b.p[j] == pred) {
                    s[lane] = b.s[j];
                    p[lane] = pred;
                    o[lane++] = b.o[j];
                    placed |= 1 << j;
                }
            }
            b.runPred[b.runs] = pred;
            b.runOff[b.runs] = off;
            b.runLen[b.runs++] = lane - off;
        }
        b.s = s;
        b.p = p;
        b.o = o;
    }

    private void reflex(HeapBatch b) {
        b.receipts = new long[hooks.size()][];
        for (int h = 0; h < hooks.size(); h++) {
            Hook hook = hooks.get(h);
            for (int r = 0; r < b.runs; r++) {
                if (b.runPred[r] != hook.predicate()) {
                    continue;
                }
                int sHits = 0;
                int oHits = 0;
                int soHits = 0;
                int lanes = 0;
                for (int i = b.runOff[r]; i < b.runOff[r] + b.runLen[r]; i++) {
                    int live = b.s[i] != 0 ? 1 : 0;
                    lanes += live;
                    int sEq = live & (b.s[i] == hook.subject() ? 1 : 0);
                    int oEq = live & (b.o[i] == hook.object() ? 1 : 0);
                    sHits += sEq;
                    oHits += oEq;
                    soHits += sEq & oEq;
                }
                long result = hook.op() == HookOp.ASK_OP ? (oHits > 0 ? 1 : 0)
                    : hook.op() == HookOp.COUNT_OP_GE ? (Long.compareUnsigned(oHits, hook.k()) >= 0 ? 1 : 0)
                    : hook.op() == HookOp.ASK_SPO ? (soHits > 0 ? 1 : 0)
                    : hook.op() == HookOp.CONSTRUCT8 ? (1L << lanes) - 1
                    : unsupported(hook);
                long[] receipt = new long[8];
                receipt[0] = b.seq;
                receipt[1] = hook.id();
                receipt[4] = lanes;
                receipt[6] = hook.subject() ^ hook.predicate() ^ hook.object() ^ hook.k() ^ result ^ b.runPred[r];
                receipt[7] = result;
                b.receipts[h] = receipt;
            }
        }
    }

    private static long unsupported(Hook hook) {
        throw new IllegalArgumentException("the heap variant implements the bundled hooks' ops only, not " + hook.op());
    }

    private void emit(HeapBatch b, MessageDigest sha) {
        for (long[] r : b.receipts) {
            if (r != null) {
                byte[] rec = new byte[64];
                java.nio.ByteBuffer.wrap(rec).asLongBuffer().put(r);
                sha.update((byte) 0);
                sha.update(rec);
                sha.digest(); // leaf hash, as the lockchain does per receipt (fresh array here)
                receipts++;
            }
        }
        inFlight.decrementAndGet();
        Runnable r = resume.getAndSet(null);
        if (r != null) {
            feeder.runOnContext(v -> r.run());
        }
        if (emitted.incrementAndGet() == expected) {
            done.complete(receipts);
        }
    }
}
