package io.github.hotpool.pipeline;

import static io.github.hotpool.pipeline.Ledger.TRANSIT;
import static io.github.hotpool.pipeline.Ledger.word;

import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.pipeline.store.Durability;
import io.github.hotpool.pipeline.store.InputMark;
import io.github.hotpool.pipeline.store.ReceiptStore;
import io.github.hotpool.triples.Hook;
import io.github.hotpool.triples.HookKernels;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Emit stage: takes each finished batch, appends the receipts of hooks whose predicate occurred
 * in it to the {@link ReceiptStore} (and the sinks), and acknowledges the batch once the store
 * has made those receipts durable. Exactly one instance (it owns the chain); everything runs on
 * its context except the store's blocking writes, which run on a worker, one flush at a time.
 */
final class EmitVerticle extends VerticleBase {

    /*
     * Emit claims a batch by TRANSIT(gen, EMIT) -> FREE: from then on nobody else may end its
     * lease, and all of Emit's work is synchronous. The receipts are copied into the store's line
     * buffer, so the handle goes home at once, unless more than receiptsWriteQueueBytes wait for
     * the disk: then Emit keeps handles (parked) until the next flush lands, the pool runs dry and
     * Ingest pauses its input, so memory stays bounded end to end.
     *
     * A batch counts as emitted (its stream's summary, an HTTP 200) only when the flush that holds
     * its receipts has returned: forced, under FSYNC and BATCH. Flushes run one at a time; while
     * one is on the disk, receipts gather for the next (group commit).
     *
     * A cycle seals when it holds cycleReceipts receipts, on flush, at stop and, with
     * cycleIdleMillis > 0, when its oldest receipt is that old, so sparse traffic on a long-running
     * listener still gets sealed within about 1.25 x that time.
     */

    /** Batches that may wait for one flush before Emit holds handles (batches without receipts add no bytes). */
    static final int MAX_WAITING_ACKS = 1 << 16;

    private Runtime rt;
    private ReceiptStore store;
    private WebhookSink webhook;
    private String busSink;
    private MessageConsumer<SoaBuffer> consumer;
    private MessageConsumer<Object> flushConsumer;
    private final List<Parked> parked = new ArrayList<>();
    /** Batches whose receipts wait for the next flush, and the spare list for the one after. */
    private Acks collecting = new Acks();
    private Acks spare = new Acks();
    /** Pipeline.flush() callers waiting for the next flush. */
    private List<Promise<JsonObject>> flushWaiters = new ArrayList<>();
    /** Times a batch's handle was held because too many receipt bytes waited for the disk. */
    private long heldForFile;
    /** System.nanoTime() when the open cycle got its first receipt. */
    private long openSince;
    private long idleTimer = -1;
    private long syncTimer = -1;

    private record Parked(Ledger ledger, int slot) {
    }

    /** Batches acknowledged together when one flush lands; reused, grows to the largest flush. */
    private static final class Acks {
        long[] seq = new long[64];
        IngestStream[] stream = new IngestStream[64];
        int n;

        void add(long s, IngestStream st) {
            if (n == seq.length) {
                seq = java.util.Arrays.copyOf(seq, n * 2);
                stream = java.util.Arrays.copyOf(stream, n * 2);
            }
            seq[n] = s;
            stream[n++] = st;
        }

        void clear() {
            java.util.Arrays.fill(stream, 0, n, null);
            n = 0;
        }
    }

    @Override
    public Future<?> start() {
        rt = Runtime.of(config().getString(Pipeline.CONFIG_ID));
        busSink = rt.options.getSinks().getEventBusSink();
        if (rt.options.getSinks().getWebhookUrl() != null) {
            webhook = new WebhookSink(vertx, rt);
        }
        Future<ReceiptStore> ready = rt.options.getLockchain().getOutDir() == null
            ? Future.succeededFuture(ReceiptStore.inMemory(rt.options.getLockchain().getCycleReceipts()))
            : vertx.executeBlocking(() -> ReceiptStore.open(Path.of(rt.options.getLockchain().getOutDir()),
                rt.options.getLockchain().getCycleReceipts(), rt.options.getLockchain().getDurability()));
        return ready.compose(s -> {
            store = s;
            rt.recovery = s.recovery();
            openSince = System.nanoTime(); // an unsealed tail's age is unknown: count from now
            consumer = vertx.eventBus().localConsumer(Pipeline.address(rt.options, Stage.EMIT), this::onBatch);
            flushConsumer = vertx.eventBus().localConsumer(Pipeline.flushAddress(rt.options), this::onFlush);
            startIdleSeal();
            return Future.all(consumer.completion(), flushConsumer.completion());
        });
    }

    @Override
    public Future<?> stop() {
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
        }
        List<Future<?>> closing = new ArrayList<>();
        closing.add(consumer.unregister());
        closing.add(flushConsumer.unregister());
        if (webhook != null) {
            webhook.close();
        }
        if (store == null) {
            return Future.join(closing);
        }
        Promise<JsonObject> last = Promise.promise();
        if (rt.crashOnStop) {
            flushWaiters.add(last); // durable, but no seal
            scheduleFlush();
        } else {
            sealAndFlush(last);
        }
        closing.add(last.future().otherwiseEmpty().eventually(() -> vertx.executeBlocking(() -> {
            store.close(); // releases the directory's lock
            return null;
        })));
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
        if (stream.cutFrom(seq)) {
            // a bad line under FAIL in this batch or an earlier one of its input: not chained, and
            // its triples not counted, as the ring pipeline counts none of a cut row
            int triples = b.length();
            stream.triples.addAndGet(-triples);
            rt.triples.addAndGet(-triples);
            ledger.release(slot);
            stream.cut(seq);
            return;
        }
        if (store.failure() != null) {
            ledger.release(slot);
            rt.failed(seq, stream, Failure.STORE, Stage.EMIT, store.failure());
            return;
        }
        try {
            rt.faults.before(Stage.EMIT, seq);
            emit(b);
        } catch (Throwable t) {
            ledger.release(slot);
            rt.failed(seq, stream, Failure.EXCEPTION, Stage.EMIT, t);
            return;
        }
        collecting.add(seq, stream);
        if (store.flushing() && (store.bufferedBytes() >= rt.options.getLockchain().getReceiptsWriteQueueBytes()
                || collecting.n >= MAX_WAITING_ACKS)) {
            parked.add(new Parked(ledger, slot));
            heldForFile++;
        } else {
            ledger.release(slot);
        }
        scheduleFlush();
    }

    private void emit(SoaBuffer b) {
        JsonArray posted = null;
        for (int i = 0, n = b.receiptCount(); i < n; i++) {
            Receipt r = b.receipt(i);
            if ((r.flags() & HookKernels.FLAG_PREDICATE_MATCH) == 0) {
                continue;
            }
            if (store.pending() == 0) {
                openSince = System.nanoTime();
            }
            Hook hook = rt.hooks.get(r.hookId() - 1);
            store.beginReceipt(r, hook.name());
            if (r.result() != 0) {
                subjects(b, hook);
            }
            store.endReceipt();
            rt.receipts.incrementAndGet();
            if (busSink != null || webhook != null) {
                JsonObject json = new JsonObject(Buffer.buffer(store.lastLine()));
                if (busSink != null) {
                    vertx.eventBus().publish(busSink, json);
                }
                if (webhook != null) {
                    posted = posted == null ? new JsonArray() : posted;
                    posted.add(json);
                }
            }
        }
        if (posted != null) {
            webhook.post(posted);
        }
    }

    /** Adds the live subjects of the run the hook fired on (their ids are chained; names go beside). */
    private void subjects(SoaBuffer b, Hook hook) {
        int run = ReflexVerticle.runOf(b, hook.predicate());
        if (run >= 0) {
            for (int i = b.runOffset(run), end = i + b.runLength(run); i < end; i++) {
                long s = b.subject(i);
                if (s != 0) {
                    store.subject(s);
                    String name = rt.terms == null ? null : rt.terms.name(s);
                    if (name != null) {
                        store.name(s, name);
                    }
                }
            }
        }
    }

    /** Starts a flush now, or arms the sync timer, as the durability policy says. */
    private void scheduleFlush() {
        if (store.flushing() || store.bufferedBytes() == 0 && collecting.n == 0 && flushWaiters.isEmpty()) {
            return; // a landing flush calls again
        }
        boolean now = rt.options.getLockchain().flushNow(store, !flushWaiters.isEmpty(),
            collecting.n > 0 && store.bufferedBytes() >= rt.options.getLockchain().getReceiptsWriteQueueBytes());
        if (now) {
            startFlush();
        } else if (syncTimer < 0) {
            syncTimer = vertx.setTimer(rt.options.getLockchain().getSyncMillis(), id -> {
                syncTimer = -1;
                if (!store.flushing()) {
                    startFlush();
                }
            });
        }
    }

    private void startFlush() {
        if (syncTimer >= 0) {
            vertx.cancelTimer(syncTimer);
            syncTimer = -1;
        }
        Acks acks = collecting;
        InputMark progress = null;
        for (int i = 0; i < acks.n; i++) {
            IngestStream st = acks.stream[i];
            st.settled(acks.seq[i]); // durable once this flush lands: the checkpoint may say so
            if (st.mark != null) {
                progress = st.progress();
            }
        }
        if (progress != null) {
            store.input(progress);
        }
        ReceiptStore.Flush f = store.takeFlush();
        collecting = spare;
        spare = null;
        f.attachment = acks;
        // a waiter that comes while this flush is on the disk belongs to the next flush: never hand
        // this flush the list that later waiters are added to
        List<Promise<JsonObject>> waiters = flushWaiters.isEmpty() ? List.of() : flushWaiters;
        if (!waiters.isEmpty()) {
            flushWaiters = new ArrayList<>();
        }
        if (store.dir() == null) {
            landed(f, acks, waiters, null); // in memory: nothing to wait for
            return;
        }
        vertx.<Void>executeBlocking(() -> {
            store.write(f);
            return null;
        }).onComplete(ar -> landed(f, acks, waiters, ar.cause()));
    }

    /** A flush is on disk (or failed): acknowledge its batches, free held handles, answer waiters. */
    private void landed(ReceiptStore.Flush f, Acks acks, List<Promise<JsonObject>> waiters, Throwable failure) {
        store.flushed(f);
        if (failure != null && rt.fatal.compareAndSet(null, failure.getMessage())) {
            rt.error(failure.getMessage());
        }
        for (int i = 0; i < acks.n; i++) {
            if (failure == null) {
                rt.emitted(acks.seq[i], acks.stream[i]);
            } else {
                rt.failed(acks.seq[i], acks.stream[i], Failure.STORE, Stage.EMIT, failure);
            }
        }
        acks.clear();
        spare = acks;
        for (Parked p : parked) {
            p.ledger.release(p.slot);
        }
        parked.clear();
        for (Promise<JsonObject> w : waiters) {
            if (failure == null) {
                w.complete(state());
            } else {
                w.fail(failure);
            }
        }
        if (failure == null) {
            scheduleFlush();
        } else {
            failWaiting(failure);
        }
    }

    /** After a write error nothing more is written: everything still waiting fails. */
    private void failWaiting(Throwable failure) {
        for (int i = 0; i < collecting.n; i++) {
            rt.failed(collecting.seq[i], collecting.stream[i], Failure.STORE, Stage.EMIT, failure);
        }
        collecting.clear();
        List<Promise<JsonObject>> waiters = flushWaiters;
        flushWaiters = new ArrayList<>();
        waiters.forEach(w -> w.fail(failure));
    }

    private void startIdleSeal() {
        long idleMillis = rt.options.getLockchain().getCycleIdleMillis();
        if (idleMillis > 0) {
            long idleNanos = idleMillis * 1_000_000L;
            idleTimer = vertx.setPeriodic(Math.max(1, idleMillis / 4), id -> {
                if (idleSealDue(store.pending(), openSince, System.nanoTime(), idleNanos)) {
                    store.seal();
                    scheduleFlush();
                }
            });
        }
    }

    /** True when an open cycle holding {@code pending} receipts, opened at {@code openSince}, is due. */
    static boolean idleSealDue(int pending, long openSince, long now, long idleNanos) {
        return pending > 0 && now - openSince >= idleNanos;
    }

    private void onFlush(Message<Object> m) {
        Promise<JsonObject> p = Promise.promise();
        sealAndFlush(p);
        p.future().onComplete(ar -> {
            if (ar.succeeded()) {
                m.reply(ar.result());
            } else {
                m.fail(1, ar.cause().getMessage());
            }
        });
    }

    /**
     * Seals the open cycle (if it holds receipts) and completes {@code done} with the chain state
     * ({@code head}, {@code cycles}, {@code receipts}, {@code heldForFile}) once it is durable.
     */
    private void sealAndFlush(Promise<JsonObject> done) {
        if (store.failure() != null) {
            done.fail(store.failure());
            return;
        }
        if (store.pending() > 0) {
            store.seal();
        }
        flushWaiters.add(done);
        scheduleFlush();
    }

    private JsonObject state() {
        return new JsonObject().put("head", HexFormat.of().formatHex(store.head())).put("cycles", store.cycles())
            .put("receipts", store.receipts()).put("heldForFile", heldForFile);
    }
}
