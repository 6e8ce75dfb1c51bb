package io.github.hotpool.pipeline.stage;

import io.github.hotpool.core.DeltaRing;

/**
 * What feeds a {@link StagePipeline}: a pull source of Δ-ring rows, called on the source's
 * event-loop context only (the ring's producer thread), never concurrently. The pipeline asks
 * {@link #hasNext()} before it claims a row, so a claimed row is always written. A finite source
 * answers false once; the pipeline then sends the last span and {@link StagePipeline#finished()}
 * completes when every row has passed the last stage. An endless source runs until
 * {@link StagePipeline#undeploy()}.
 *
 * <p>Back-pressure is the ring's: when it is full the pipeline stops calling the source and
 * resumes it when the last stage frees rows.
 */
public interface RowSource {

    /**
     * @return whether there is another row to write; false ends the source for good. May be called
     *     more than once before a {@link #write} (when the ring was full), so it must not consume
     */
    boolean hasNext();

    /**
     * Writes the next row. The row is zeroed and positioned at its sequence
     * ({@link DeltaRing.Row#sequence()}); write lanes and {@code length} (up to 8 triples). If this
     * throws, the row is published failed with {@link Reasons#SOURCE_THREW} and counted.
     *
     * @param row the producer's view, at the claimed row
     */
    void write(DeltaRing.Row row);
}
