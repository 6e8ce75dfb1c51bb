package io.github.hotpool.cluster;

import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.pipeline.store.ReceiptStore;
import io.github.hotpool.triples.Hook;
import io.github.hotpool.triples.HookKernels;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;

/**
 * Emit of one clustered run: chains each unit's receipts into the {@link ReceiptStore} once, in
 * arrival order, and tells the source which units are durable after each flush lands. Owner-thread
 * only (the node's stage context), except the store's writes, which run on a worker one at a time.
 */
final class ClusterEmit {

    /*
     * Dedupe: a unit the source sent again (its node died, or its acknowledgement came late) may
     * reach Emit twice. The set of chained sequences decides: the second copy chains nothing, but
     * is acknowledged again after the next flush lands (by then the first copy is durable too:
     * flushes land in order), so a source that lost the first acknowledgement still hears.
     *
     * Acknowledgement: "durable" is sent to the source only when the flush holding the unit's
     * receipts has landed (forced as the durability option says). The source keeps its copy of the
     * unit until then, so a unit is never lost once the source hears it is durable, and never
     * dropped before. Each acknowledgement carries the chain position its flush made durable
     * (receipts, sealed cycles, head of the last sealed cycle), so the source knows how far the
     * chain is durable if this node dies.
     */

    private final Vertx vertx;
    private final ReceiptStore store;
    private final List<Hook> hooks;
    private final String acksAddress;
    private final BitSet chained = new BitSet();
    /** (seq, triples) pairs acknowledged when the next flush lands. */
    private Buffer collecting = Buffer.buffer();
    private final List<Promise<JsonObject>> waiters = new ArrayList<>();
    private long duplicates;
    private long units;
    private long storeFailures;

    ClusterEmit(Vertx vertx, ReceiptStore store, List<Hook> hooks, String acksAddress) {
        this.vertx = vertx;
        this.store = store;
        this.hooks = hooks;
        this.acksAddress = acksAddress;
    }

    /** Chains {@code b}'s matched receipts unless unit {@code seq} was chained already; keeps nothing of {@code b}. */
    void emit(long seq, SoaBuffer b) {
        if (seq > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("unit sequence " + seq + " exceeds " + Integer.MAX_VALUE);
        }
        if (chained.get((int) seq)) {
            duplicates++;
        } else {
            if (store.failure() != null) {
                storeFailures++;
                throw new IllegalStateException("receipt store failed: " + store.failure().getMessage());
            }
            chained.set((int) seq);
            units++;
            for (int i = 0, n = b.receiptCount(); i < n; i++) {
                Receipt r = b.receipt(i);
                if ((r.flags() & HookKernels.FLAG_PREDICATE_MATCH) == 0) {
                    continue;
                }
                Hook hook = hooks.get(r.hookId() - 1);
                store.beginReceipt(r, hook.name());
                if (r.result() != 0) {
                    subjects(b, hook);
                }
                store.endReceipt();
            }
        }
        collecting.appendLong(seq).appendInt(b.length());
        scheduleFlush();
    }

    private void subjects(SoaBuffer b, Hook hook) {
        int run = RunStages.runOf(b, hook.predicate());
        if (run >= 0) {
            for (int i = b.runOffset(run), end = i + b.runLength(run); i < end; i++) {
                long s = b.subject(i);
                if (s != 0) {
                    store.subject(s);
                }
            }
        }
    }

    /** Group commit: one flush at a time; what arrives meanwhile goes with the next. */
    private void scheduleFlush() {
        if (store.flushing() || collecting.length() == 0 && store.bufferedBytes() == 0 && waiters.isEmpty()) {
            return;
        }
        Buffer acks = collecting;
        collecting = Buffer.buffer();
        List<Promise<JsonObject>> answer = waiters.isEmpty() ? List.of() : new ArrayList<>(waiters);
        waiters.clear();
        ReceiptStore.Flush f = store.takeFlush();
        // the chain position this flush makes durable: what it holds, captured as it is taken
        DeliveryOptions position = new DeliveryOptions().addHeader(Addresses.H_RECEIPTS, Long.toString(store.receipts()))
            .addHeader(Addresses.H_CYCLES, Long.toString(store.cycles()))
            .addHeader(Addresses.H_HEAD, HexFormat.of().formatHex(store.head()));
        Future<Void> written = store.dir() == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
            store.write(f);
            return null;
        });
        written.onComplete(ar -> {
            store.flushed(f);
            if (ar.succeeded()) {
                if (acks.length() > 0) {
                    vertx.eventBus().send(acksAddress, acks, position);
                }
                answer.forEach(p -> p.complete(state()));
            } else {
                storeFailures++;
                answer.forEach(p -> p.fail(ar.cause()));
            }
            scheduleFlush();
        });
    }

    /** Seals the open cycle and completes with the chain state once it is durable. */
    Future<JsonObject> sealAndFlush() {
        Promise<JsonObject> p = Promise.promise();
        if (store.failure() != null) {
            p.fail(store.failure());
            return p.future();
        }
        if (store.pending() > 0) {
            store.seal();
        }
        waiters.add(p);
        scheduleFlush();
        return p.future();
    }

    JsonObject state() {
        return new JsonObject().put("head", HexFormat.of().formatHex(store.head())).put("cycles", store.cycles())
            .put("receipts", store.receipts()).put("units", units).put("duplicates", duplicates)
            .put("storeFailures", storeFailures);
    }

    ReceiptStore store() {
        return store;
    }
}
