package io.github.hotpool.pipeline;

import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.triples.Loader;
import io.github.hotpool.triples.TripleBatch;

/**
 * Load stage: regroups the handle's lanes by predicate into runs ({@code pred, off, len}) in
 * place, with the kernel's {@link Loader#loadInto}. Allocation-free.
 */
final class LoadVerticle extends StageVerticle {

    private final TripleBatch scratch = new TripleBatch();

    LoadVerticle() {
        super(Stage.LOAD);
    }

    @Override
    void work(Ledger ledger, int slot, SoaBuffer b) {
        load(scratch, b);
    }

    /** The stage function, shared with benchmarks. */
    static void load(TripleBatch scratch, SoaBuffer b) {
        scratch.clear();
        for (int i = 0, n = b.length(); i < n; i++) {
            scratch.add(b.subject(i), b.predicate(i), b.object(i));
        }
        Loader.loadInto(scratch, b);
    }
}
