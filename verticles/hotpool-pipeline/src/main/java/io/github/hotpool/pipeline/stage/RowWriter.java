package io.github.hotpool.pipeline.stage;

import io.github.hotpool.core.DeltaRing;
import io.vertx.core.Context;

/**
 * The producer side of a {@link StagePipeline}'s Δ-ring, handed to a {@link PushSource}: claim a
 * row, write it, publish it; published rows leave in spans (full, or after the span linger).
 * Owner-thread only: the source's context. Allocation-free apart from the span's event-bus send.
 *
 * <pre>{@code
 * DeltaRing.Row row = writer.tryClaim();     // null: the ring is full (pause the input)
 * if (row == null) { writer.onRoom(this::resume); return; }
 * row.set(0, s, p, o).length(1);
 * writer.publish();
 * }</pre>
 */
public interface RowWriter {

    /**
     * Claims the next row, zeroed and positioned at its sequence.
     *
     * @return the producer's view at the claimed row, or null when the ring is full (the
     *     {@link #onRoom(Runnable)} callback then runs once a row is freed) or the pipeline stops
     */
    DeltaRing.Row tryClaim();

    /** Publishes the claimed row; it leaves in the open span. */
    void publish();

    /**
     * Publishes the claimed row as failed with {@code reason}: the stages pass it over.
     *
     * @param reason 0..65535
     */
    void publishFailed(int reason);

    /** Sends the open span now rather than at its linger (end of an input). */
    void flush();

    /**
     * Sets what runs, on the source's context, when a full ring has room again after
     * {@link #tryClaim()} answered null. May run spuriously: claim again.
     *
     * @param onRoom quick and non-throwing
     */
    void onRoom(Runnable onRoom);

    /** @return the sequence the next claimed row will have (rows claimed so far) */
    long nextSequence();

    /** @return whether the pipeline is stopping: claim nothing more */
    boolean stopping();

    /** @return the source's context (the ring's producer) */
    Context context();
}
