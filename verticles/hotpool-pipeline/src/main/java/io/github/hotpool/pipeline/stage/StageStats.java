package io.github.hotpool.pipeline.stage;

import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * An immutable snapshot of one stage's counters.
 *
 * @param name the stage
 * @param spans spans delivered to the stage's code
 * @param rows rows in those spans (failed ones included: they pass through)
 * @param failedRows rows this stage failed, by reason ({@link Reasons#name}: the framework's
 *     reasons by name, the stage's own codes as numbers); the watchdog's under {@code stuck}
 * @param stuckSpans spans the watchdog ended for this stage (held too long, or never taken)
 * @param stuckRows rows in them
 * @param cursor the stage's ring cursor: every row before it has passed the stage
 */
public record StageStats(String name, long spans, long rows, Map<String, Long> failedRows, long stuckSpans,
                         long stuckRows, long cursor) {

    /** Copies the map. */
    public StageStats {
        failedRows = Map.copyOf(failedRows);
    }

    /** @return rows failed by this stage, all reasons */
    public long failedRowsTotal() {
        return failedRows.values().stream().mapToLong(Long::longValue).sum();
    }

    /** @return this snapshot as JSON */
    public JsonObject toJson() {
        JsonObject failed = new JsonObject();
        failedRows.forEach(failed::put);
        return new JsonObject().put("name", name).put("spans", spans).put("rows", rows).put("failedRows", failed)
            .put("stuckSpans", stuckSpans).put("stuckRows", stuckRows).put("cursor", cursor);
    }
}
