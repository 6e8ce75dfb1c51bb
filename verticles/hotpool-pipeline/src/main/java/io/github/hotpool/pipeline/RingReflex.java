package io.github.hotpool.pipeline;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.pipeline.stage.RowStage;

/** Reflex stage of the ring pipeline: {@link GuardSteps#reflex} on every row. Allocation-free. */
final class RingReflex extends RowStage {

    private final GuardState state;

    RingReflex(GuardState state) {
        this.state = state;
    }

    @Override
    protected void process(DeltaRing.Row row) {
        long every = state.failEvery;
        if (every > 0 && row.sequence() % every == 0) {
            throw new IllegalStateException("injected fault in row " + row.sequence());
        }
        GuardSteps.reflex(state.hooks, row, state.receipts, state.hookRuns, state.index(row.sequence()) * state.hookCount,
            state.reflexScratch, state.constructOut);
    }
}
