package io.github.hotpool.pipeline.stage;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.vertx.Span;

/**
 * A {@link SpanStage} for simple stages: {@link #process(DeltaRing.Row)} runs once per row of each
 * span that no earlier stage failed, then the span is completed. An exception fails only its row
 * ({@link Reasons#ROW_THREW}, counted under this stage), and the rest of the span goes on. The loop
 * allocates nothing.
 */
public abstract class RowStage extends SpanStage {

    /**
     * This context: works on one row. May call {@link #fail(DeltaRing.Row, int)} to fail it with a
     * reason of its own.
     *
     * @param row this stage's view, positioned at the row ({@code row.sequence()})
     * @throws Exception to fail this row alone
     */
    protected abstract void process(DeltaRing.Row row) throws Exception;

    @Override
    protected final void process(Span span) {
        DeltaRing.Row row = rows();
        for (long s = span.first(), end = span.end(); s < end; s++) {
            row.at(s);
            if (row.isFailed()) {
                continue;
            }
            try {
                process(row);
            } catch (Exception e) {
                fail(row, Reasons.ROW_THREW);
            }
        }
        complete(span);
    }
}
