package io.github.hotpool.pipeline;

import static io.github.hotpool.pipeline.Ledger.TRANSIT;
import static io.github.hotpool.pipeline.Ledger.word;

import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.triples.CycleSeal;
import io.github.hotpool.triples.Hook;
import io.github.hotpool.triples.HookKernels;
import io.github.hotpool.triples.Lockchain;
import io.github.hotpool.triples.ReceiptRecord;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Emit stage: takes each finished batch, writes the receipts of hooks whose predicate occurred
 * in it to the sinks, extends the lockchain and sends the handle home. Exactly one instance
 * (it owns the chain); everything runs on its context.
 */
final class EmitVerticle extends VerticleBase {

    /*
     * Emit claims a batch by TRANSIT(gen, EMIT) -> FREE: from then on nobody else may end its
     * lease, and all of Emit's work is synchronous, so no timeout applies. When the receipts file
     * cannot keep up, Emit keeps the handles (parked) until the file drains: the pool then runs
     * dry and Ingest pauses its input, so memory stays bounded end to end.
     *
     * A cycle seals when it holds cycleReceipts receipts, on flush, at stop and, with
     * cycleIdleMillis > 0, when its oldest receipt is that old (a periodic check on this context),
     * so sparse traffic on a long-running listener still gets sealed within about 1.25 x that time.
     */

    private Runtime rt;
    private Lockchain chain;
    private long nextCycle;
    private final byte[] record = new byte[ReceiptRecord.LENGTH];
    private AsyncFile receiptsFile;
    private AsyncFile chainFile;
    private WebhookSink webhook;
    private String busSink;
    private MessageConsumer<SoaBuffer> consumer;
    private MessageConsumer<Object> flushConsumer;
    private final List<Parked> parked = new ArrayList<>();
    /** Times a batch's handle was held because the receipts file's write queue was full. */
    private long heldForFile;
    /** System.nanoTime() when the open cycle got its first receipt. */
    private long openSince;
    private long idleTimer = -1;

    private record Parked(Ledger ledger, int slot, long seq, IngestStream stream) {
    }

    @Override
    public Future<?> start() {
        rt = Runtime.of(config().getString(Pipeline.CONFIG_ID));
        busSink = rt.options.getEventBusSink();
        if (rt.options.getWebhookUrl() != null) {
            webhook = new WebhookSink(vertx, rt);
        }
        Future<?> ready = rt.options.getOutDir() == null ? fresh() : openOut(Path.of(rt.options.getOutDir()));
        return ready.compose(v -> {
            consumer = vertx.eventBus().localConsumer(Pipeline.address(rt.options, Stage.EMIT), this::onBatch);
            flushConsumer = vertx.eventBus().localConsumer(Pipeline.flushAddress(rt.options), m -> m.reply(flush()));
            startIdleSeal();
            return Future.all(consumer.completion(), flushConsumer.completion());
        });
    }

    private Future<Void> fresh() {
        chain = new Lockchain(rt.options.getCycleReceipts());
        return Future.succeededFuture();
    }

    private Future<?> openOut(Path dir) {
        return vertx.<ReceiptLog.Replayed>executeBlocking(() -> {
            Files.createDirectories(dir);
            return ReceiptLog.replay(dir, rt.options.getCycleReceipts());
        }).compose(replayed -> {
            chain = replayed.chain();
            nextCycle = replayed.nextCycle();
            rt.receipts.set(replayed.receipts());
            openSince = System.nanoTime(); // an unsealed tail's age is unknown: count from now
            if (chain.pending() >= rt.options.getCycleReceipts()) {
                seal(); // the tail already fills a cycle (an earlier run used a larger cycleReceipts)
            }
            OpenOptions append = new OpenOptions().setWrite(true).setCreate(true).setAppend(true);
            return Future.all(vertx.fileSystem().open(dir.resolve(ReceiptLog.RECEIPTS).toString(), append),
                vertx.fileSystem().open(dir.resolve(ReceiptLog.LOCKCHAIN).toString(), append));
        }).map(files -> {
            receiptsFile = files.resultAt(0);
            chainFile = files.resultAt(1);
            receiptsFile.setWriteQueueMaxSize(rt.options.getReceiptsWriteQueueBytes());
            receiptsFile.drainHandler(v -> unpark());
            return null;
        });
    }

    @Override
    public Future<?> stop() {
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
        }
        flush();
        unpark();
        List<Future<?>> closing = new ArrayList<>();
        closing.add(consumer.unregister());
        closing.add(flushConsumer.unregister());
        if (webhook != null) {
            webhook.close();
        }
        if (receiptsFile != null) {
            closing.add(receiptsFile.close());
            closing.add(chainFile.close());
        }
        return Future.join(closing);
    }

    private void onBatch(Message<SoaBuffer> msg) {
        SoaBuffer b = msg.body();
        Ledger ledger = Ledger.of(b);
        int slot = b.slot();
        if (ledger == null || !ledger.move(slot, word(b.generation(), Stage.EMIT.ordinal(), TRANSIT),
                Ledger.FREE, System.nanoTime())) {
            rt.staleDeliveries.incrementAndGet();
            return;
        }
        long seq = ledger.seq[slot];
        IngestStream stream = ledger.stream[slot];
        try {
            rt.faults.before(Stage.EMIT, seq);
            emit(b);
        } catch (Throwable t) {
            ledger.release(slot);
            rt.failed(seq, stream, Failure.EXCEPTION, Stage.EMIT, t);
            return;
        }
        if (receiptsFile != null && receiptsFile.writeQueueFull()) {
            parked.add(new Parked(ledger, slot, seq, stream));
            heldForFile++;
            return;
        }
        ledger.release(slot);
        rt.emitted(seq, stream);
    }

    private void unpark() {
        for (Parked p : parked) {
            p.ledger.release(p.slot);
            rt.emitted(p.seq, p.stream);
        }
        parked.clear();
    }

    private void emit(SoaBuffer b) {
        Buffer lines = null;
        JsonArray posted = null;
        for (int i = 0, n = b.receiptCount(); i < n; i++) {
            Receipt r = b.receipt(i);
            if ((r.flags() & HookKernels.FLAG_PREDICATE_MATCH) == 0) {
                continue;
            }
            ReceiptRecord.encode(r, record, 0);
            if (chain.pending() == 0) {
                openSince = System.nanoTime();
            }
            chain.add(record, 0);
            rt.receipts.incrementAndGet();
            if (receiptsFile != null || busSink != null || webhook != null) {
                Hook hook = rt.hooks.get(r.hookId() - 1);
                JsonObject json = ReceiptLog.toJson(r, nextCycle, hook);
                if (r.result() != 0 && rt.terms != null) {
                    json.put("subjects", subjects(b, hook));
                }
                if (receiptsFile != null) {
                    lines = lines == null ? Buffer.buffer() : lines;
                    lines.appendString(json.encode()).appendByte((byte) '\n');
                }
                if (busSink != null) {
                    vertx.eventBus().publish(busSink, json);
                }
                if (webhook != null) {
                    posted = posted == null ? new JsonArray() : posted;
                    posted.add(json);
                }
            }
            if (chain.pending() >= rt.options.getCycleReceipts()) {
                if (lines != null) {
                    receiptsFile.write(lines);
                    lines = null;
                }
                seal();
            }
        }
        if (lines != null) {
            receiptsFile.write(lines);
        }
        if (posted != null) {
            webhook.post(posted);
        }
    }

    /** Names the live subjects of the run the hook fired on (informational: not part of the hashed record). */
    private JsonArray subjects(SoaBuffer b, Hook hook) {
        JsonArray names = new JsonArray();
        int run = ReflexVerticle.runOf(b, hook.predicate());
        if (run >= 0) {
            for (int i = b.runOffset(run), end = i + b.runLength(run); i < end; i++) {
                long s = b.subject(i);
                if (s != 0) {
                    String name = rt.terms.name(s);
                    names.add(name != null ? name : ReceiptLog.hex(s)); // evicted from the bounded table: the id
                }
            }
        }
        return names;
    }

    private void startIdleSeal() {
        long idleMillis = rt.options.getCycleIdleMillis();
        if (idleMillis > 0) {
            long idleNanos = idleMillis * 1_000_000L;
            idleTimer = vertx.setPeriodic(Math.max(1, idleMillis / 4), id -> {
                if (chain.pending() > 0 && System.nanoTime() - openSince >= idleNanos) {
                    seal();
                }
            });
        }
    }

    private void seal() {
        CycleSeal seal = chain.seal(nextCycle++);
        if (chainFile != null) {
            chainFile.write(Buffer.buffer(ReceiptLog.toJson(seal).encode()).appendByte((byte) '\n'));
        }
    }

    /**
     * Seals the open cycle (if it holds receipts); returns the chain state: {@code head},
     * {@code cycles}, {@code receipts} and {@code heldForFile} (times a handle waited for the
     * receipts file to drain).
     */
    private JsonObject flush() {
        if (chain != null && chain.pending() > 0) {
            seal();
        }
        return new JsonObject().put("head", ReceiptLog.hex(chain == null ? new byte[32] : chain.head()))
            .put("cycles", nextCycle).put("receipts", rt.receipts.get()).put("heldForFile", heldForFile);
    }
}
