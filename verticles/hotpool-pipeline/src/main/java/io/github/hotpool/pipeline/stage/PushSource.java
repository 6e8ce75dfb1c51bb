package io.github.hotpool.pipeline.stage;

/**
 * What feeds a {@link StagePipeline} from input that arrives on its own schedule (a file read,
 * a socket): unlike a {@link RowSource}, which the pipeline pulls, a push source writes rows
 * whenever it has them through the {@link RowWriter} it is started with. Every method runs on the
 * source's event-loop context (the ring's producer thread), never concurrently.
 *
 * <p>Back-pressure: {@link RowWriter#tryClaim()} answers null when the ring is full; the source
 * then pauses its input and resumes it from the {@link RowWriter#onRoom(Runnable)} callback.
 */
public interface PushSource {

    /**
     * Source context, once, after every stage consumes: begin producing rows.
     *
     * @param writer the ring's producer side; valid until {@link #stop()}
     */
    void start(RowWriter writer);

    /**
     * Source context, once, when the pipeline is undeployed: stop producing (pause or close the
     * input). The writer claims nothing after this; rows already published still drain.
     */
    default void stop() {
    }
}
