package io.github.hotpool.pipeline.stage;

import io.github.hotpool.core.RingStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * An immutable snapshot of a {@link StagePipeline}: the source, the ring and every stage. Counts add
 * up: {@code rowsProduced = published}; every published row before {@code ring.gating()} passed
 * every stage; a row failed anywhere is counted once, under the stage that failed it first.
 *
 * @param rowsProduced rows the source wrote and published
 * @param sourceFailedRows rows whose {@link RowSource#write} threw (published failed)
 * @param spansSent spans the source sent to the first stage
 * @param staleMessages span messages no stage took (duplicates, late, foreign), ring-wide
 * @param wakeUps times a full ring woke the source
 * @param ring the ring's own snapshot (claimed, published, gating, occupancy, full answers, cursors)
 * @param stages each stage's counters, in pipeline order
 */
public record StagePipelineStats(long rowsProduced, long sourceFailedRows, long spansSent, long staleMessages,
                                 long wakeUps, RingStats ring, List<StageStats> stages) {

    /** Copies the list. */
    public StagePipelineStats {
        stages = List.copyOf(stages);
    }

    /** @return rows published and not yet passed by the last stage */
    public long rowsInFlight() {
        return ring.published() - ring.gating();
    }

    /**
     * @param name a stage name
     * @return its counters
     * @throws IllegalArgumentException if there is no such stage
     */
    public StageStats stage(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no stage '" + name + "'"));
    }

    /** @return rows failed by any stage or the source */
    public long failedRowsTotal() {
        return sourceFailedRows + stages.stream().mapToLong(StageStats::failedRowsTotal).sum();
    }

    /** @return this snapshot as JSON */
    public JsonObject toJson() {
        JsonArray a = new JsonArray();
        stages.forEach(s -> a.add(s.toJson()));
        return new JsonObject().put("rowsProduced", rowsProduced).put("sourceFailedRows", sourceFailedRows)
            .put("spansSent", spansSent).put("staleMessages", staleMessages).put("wakeUps", wakeUps)
            .put("claimed", ring.claimed()).put("published", ring.published()).put("gating", ring.gating())
            .put("highestOccupancy", ring.highestOccupancy()).put("fullAnswers", ring.fullAnswers())
            .put("stages", a);
    }
}
