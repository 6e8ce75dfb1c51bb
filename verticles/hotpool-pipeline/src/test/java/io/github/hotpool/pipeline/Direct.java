package io.github.hotpool.pipeline;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.triples.Batcher;
import io.github.hotpool.triples.Hook;
import io.github.hotpool.triples.HookKernels;
import io.github.hotpool.triples.HookOp;
import io.github.hotpool.triples.Loader;
import io.github.hotpool.pipeline.store.ReceiptStore;
import io.github.hotpool.triples.NTriplesParser;
import io.github.hotpool.triples.ReceiptRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference the pipeline is checked against: the triple kernel called directly on one thread,
 * no event bus, batches of 8 in input order, one receipt per hook whose predicate occurs in a batch.
 */
final class Direct {

    long triples;
    long receipts;
    long aHashXor;
    String head;
    /** Encoded receipt records per batch sequence number. */
    final Map<Long, List<byte[]>> bySeq = new HashMap<>();

    static Direct run(byte[] input, List<Hook> hooks, int cycleReceipts) {
        ReceiptStore chain = ReceiptStore.inMemory(cycleReceipts);
        Direct d = run(input, hooks, chain);
        if (chain.pending() > 0) {
            chain.seal();
        }
        d.head = java.util.HexFormat.of().formatHex(chain.head());
        return d;
    }

    /** Runs {@code input} into {@code chain}, which continues where it was and is left open. */
    static Direct run(byte[] input, List<Hook> hooks, ReceiptStore chain) {
        Direct d = new Direct();
        BufferPool pool = new BufferPool(new PoolOptions());
        BufferPool scratch = new BufferPool(new PoolOptions().setSoaBuffers(1));
        SoaBuffer out = scratch.acquire(8);
        long[] seq = {0};
        NTriplesParser parser = new NTriplesParser();
        Batcher batcher = new Batcher(batch -> {
            List<byte[]> recs = new ArrayList<>();
            try (SoaBuffer b = pool.acquire(8)) {
                Loader.loadInto(batch, b);
                for (Hook h : hooks) {
                    int run = -1;
                    for (int r = 0; r < b.runCount(); r++) {
                        if (b.runPredicate(r) == h.predicate()) {
                            run = r;
                        }
                    }
                    if (run < 0) {
                        continue;
                    }
                    Receipt rc = pool.acquireReceipt().cycleId(seq[0]).shardId(0).hookId(h.id());
                    if (h.op() == HookOp.CONSTRUCT8) {
                        out.length(0);
                        HookKernels.construct8(h, b, run, out, rc);
                    } else {
                        HookKernels.eval(h, b, run, rc);
                    }
                    byte[] rec = ReceiptRecord.encode(rc);
                    recs.add(rec);
                    d.receipts++;
                    d.aHashXor ^= rc.aHash();
                    chain.beginReceipt(rc, h.name());
                    if (rc.result() != 0) {
                        for (int i = b.runOffset(run), end = i + b.runLength(run); i < end; i++) {
                            if (b.subject(i) != 0) {
                                chain.subject(b.subject(i));
                            }
                        }
                    }
                    chain.endReceipt(); // seals a full cycle
                    rc.close();
                }
            }
            d.bySeq.put(seq[0]++, recs);
        });
        parser.feed(input, 0, input.length, batcher);
        parser.finish(batcher);
        batcher.flush();
        d.triples = parser.triples();
        return d;
    }
}
