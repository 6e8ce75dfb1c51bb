package io.github.hotpool.pipeline;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.pipeline.stage.RowStage;

/** Reflex stage of the ring pipeline: {@link GuardSteps#reflex} on every row. Allocation-free. */
final class RingReflex extends RowStage {

    private final GuardState state;
    private final SoaBuffer scratch;
    private final SoaBuffer constructOut;

    /** @param instance this instance's number, 0..reflex instances - 1: which scratch buffers are its own */
    RingReflex(GuardState state, int instance) {
        this.state = state;
        this.scratch = state.reflexScratch[instance];
        this.constructOut = state.constructOut[instance];
    }

    @Override
    protected void process(DeltaRing.Row row) {
        long every = state.failEvery;
        if (every > 0 && row.sequence() % every == 0) {
            throw new IllegalStateException("injected fault in row " + row.sequence());
        }
        GuardSteps.reflex(state.hooks, row, state.receipts, state.hookRuns, state.index(row.sequence()) * state.hookCount,
            scratch, constructOut, state.firstBatch);
    }
}
