package io.github.hotpool.pipeline;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.SoaLayout;
import io.github.hotpool.triples.Hook;
import io.vertx.core.Future;
import java.util.List;

/**
 * Reflex stage: evaluates every hook on the run of its predicate and writes the outcome into the
 * receipt that Ingest attached for that hook. Allocation-free.
 */
final class ReflexVerticle extends StageVerticle {

    private BufferPool scratchPool;
    private SoaBuffer constructOut;

    ReflexVerticle() {
        super(Stage.REFLEX);
    }

    @Override
    void init() {
        // CONSTRUCT8 needs somewhere to write; this private one-buffer pool belongs to this thread
        scratchPool = new BufferPool(new PoolOptions().setSoaBuffers(1).setReceipts(1).setReceiptsPerBuffer(1)
            .setName("reflex-scratch"));
        constructOut = scratchPool.acquire(SoaLayout.MAX_RUN_LEN);
    }

    @Override
    public Future<?> stop() {
        return super.stop().andThen(ar -> {
            constructOut.close();
            scratchPool.close();
        });
    }

    @Override
    void work(Ledger ledger, int slot, SoaBuffer b) {
        reflex(rt.hooks, b, constructOut);
    }

    /** The stage function, shared with benchmarks: receipt i of {@code b} gets hook (hookId). */
    static void reflex(List<Hook> hooks, SoaBuffer b, SoaBuffer constructOut) {
        for (int i = 0, n = b.receiptCount(); i < n; i++) {
            Receipt r = b.receipt(i);
            Hook hook = hooks.get(r.hookId() - 1);
            int run = runOf(b, hook.predicate());
            if (run < 0) {
                continue; // predicate absent from this batch: the receipt stays unmatched and is not emitted
            }
            GuardSteps.evaluate(hook, b, run, r, constructOut);
        }
    }

    /** Runs have distinct predicates (Load groups by predicate), so at most one matches. */
    static int runOf(SoaBuffer b, long predicate) {
        return GuardSteps.runOf(b, predicate);
    }
}
