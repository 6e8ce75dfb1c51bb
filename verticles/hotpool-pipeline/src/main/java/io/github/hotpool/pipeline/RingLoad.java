package io.github.hotpool.pipeline;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.pipeline.stage.RowStage;
import io.github.hotpool.triples.TripleBatch;

/** Load stage of the ring pipeline: {@link GuardSteps#load} on every row. Allocation-free. */
final class RingLoad extends RowStage {

    private final TripleBatch scratch = new TripleBatch();

    @Override
    protected void process(DeltaRing.Row row) {
        GuardSteps.load(scratch, row);
    }
}
