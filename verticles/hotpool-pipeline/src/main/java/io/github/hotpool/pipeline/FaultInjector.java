package io.github.hotpool.pipeline;

/**
 * Test seam: decides, per batch and stage, whether to throw or delay. Called on the stage's
 * thread; implementations must be thread-safe when stages run on several threads.
 */
interface FaultInjector {

    FaultInjector NONE = (stage, seq) -> 0;

    /**
     * @return 0 to go on, a positive delay in milliseconds to hold the batch that long first
     * @throws RuntimeException to make the stage fail the batch
     */
    long before(Stage stage, long seq);
}
