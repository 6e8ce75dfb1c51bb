package io.github.hotpool.pipeline.stage;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.vertx.Span;

/**
 * A {@link SpanStage} for simple stages: {@link #process(DeltaRing.Row)} runs once per row of each
 * span that no earlier stage failed, then the span is completed. A throw (an exception, or an
 * error other than the JVM's own {@link VirtualMachineError}) fails only its row ({@link
 * Reasons#ROW_THREW}, counted under this stage, and handed to {@link #rowThrew}), and the rest of
 * the span goes on. The loop allocates nothing.
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
            } catch (VirtualMachineError e) {
                throw e; // out of memory, stack overflow: the JVM's, not the row's (fails the span)
            } catch (Throwable t) {
                // an Error too (an AssertionError, a NoClassDefFoundError): the row's, like an exception
                fail(row, Reasons.ROW_THREW);
                rowThrew(row, t);
            }
        }
        complete(span);
    }

    /**
     * This context: what a row's exception was, after the row was failed and counted. Does nothing
     * by default (the count is in the stage's stats under {@link Reasons#ROW_THREW}); override it
     * to log or sample the exceptions, so that a bug is told from a deliberate reject. Must not
     * throw; what it throws fails the rest of the span as {@link Reasons#STAGE_THREW}.
     *
     * @param row this stage's view, at the failed row
     * @param thrown what {@link #process(DeltaRing.Row)} threw
     */
    protected void rowThrew(DeltaRing.Row row, Throwable thrown) {
    }
}
