package io.github.hotpool.pipeline.stage;

import io.github.hotpool.core.Ring;
import io.github.hotpool.vertx.Span;

/**
 * Reason codes the stage framework fails rows with. A stage's own codes are any other values in
 * 0..{@value Ring#MAX_FAIL_REASON}; the framework's sit at the top of that range.
 */
public final class Reasons {

    /** {@link SpanStage#process(Span)} threw: every row of the span still held is failed. */
    public static final int STAGE_THREW = Span.REASON_HANDLER_THREW;
    /** {@link RowStage#process(io.github.hotpool.core.DeltaRing.Row)} threw: that row alone is failed. */
    public static final int ROW_THREW = Ring.MAX_FAIL_REASON - 1;
    /** The watchdog ended a span a stage held (or never received) for longer than the stage timeout. */
    public static final int STUCK = Ring.MAX_FAIL_REASON - 2;
    /** {@link RowSource#write} threw: the row is published failed, so it still flows and is counted. */
    public static final int SOURCE_THREW = Ring.MAX_FAIL_REASON - 3;

    private Reasons() {
    }

    /**
     * @param reason a reason code
     * @return a short name: the framework's codes by name, others as their number
     */
    public static String name(int reason) {
        switch (reason) {
            case STAGE_THREW: return "stage-threw";
            case ROW_THREW: return "row-threw";
            case STUCK: return "stuck";
            case SOURCE_THREW: return "source-threw";
            default: return Integer.toString(reason);
        }
    }
}
