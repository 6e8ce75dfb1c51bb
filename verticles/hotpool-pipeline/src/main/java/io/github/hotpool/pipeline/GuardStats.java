package io.github.hotpool.pipeline;

import io.github.hotpool.pipeline.stage.StagePipelineStats;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A snapshot of a {@link GuardPipeline}'s counters, immutable.
 *
 * @param triples triples parsed into rows
 * @param rows rows (batches of up to 8 lines) published
 * @param receipts receipts appended to the chain
 * @param rowsEmitted rows whose receipts Emit appended
 * @param failedRows rows failed by any stage (their receipts are not chained)
 * @param cutRows rows the source had begun when its input was cut (undeploy, a FAIL bad line): their
 *     lines count as not read, so a resumed run reads them again
 * @param badLines input lines rejected
 * @param bytesRead input bytes read
 * @param stages the stage framework's own counters (ring, spans, per-stage failures)
 * @param connections the HTTP and TCP listeners' counters (all zero without listeners)
 * @param recentErrors the last errors reported (bad lines, store failures), oldest first
 */
public record GuardStats(long triples, long rows, long receipts, long rowsEmitted, long failedRows, long cutRows,
                         long badLines,
                         long bytesRead, StagePipelineStats stages, Connections connections,
                         List<String> recentErrors) {

    /**
     * The listeners' counters.
     *
     * @param open HTTP and TCP connections open now
     * @param refused connections refused over {@code maxConnections}
     * @param idleClosed connections closed after {@code idleTimeoutMillis} of silence
     * @param pauses times a network input was paused because its complete row waited for the ring
     */
    public record Connections(int open, long refused, long idleClosed, long pauses) {
        /** No listener. */
        public static final Connections NONE = new Connections(0, 0, 0, 0);

        /** @return these counters as JSON */
        public JsonObject toJson() {
            return new JsonObject().put("open", open).put("refused", refused).put("idleClosed", idleClosed)
                .put("pauses", pauses);
        }
    }


    /** Copies the list. */
    public GuardStats {
        recentErrors = List.copyOf(recentErrors);
    }

    /** @return rows published and not yet past Emit */
    public long rowsInFlight() {
        return stages.rowsInFlight();
    }

    /** @return this snapshot as JSON */
    public JsonObject toJson() {
        return new JsonObject().put("triples", triples).put("rows", rows).put("receipts", receipts)
            .put("rowsEmitted", rowsEmitted).put("failedRows", failedRows).put("cutRows", cutRows).put("badLines", badLines)
            .put("bytesRead", bytesRead).put("stages", stages.toJson()).put("connections", connections.toJson());
    }
}
