package io.github.hotpool.triples;

/**
 * A {@link TripleSink} that cuts a stream of triples into batches of at most 8 and hands each
 * full batch to a consumer; single-threaded, allocation-free.
 */
public final class Batcher implements TripleSink {

    /** Receives each batch; the batch is reused after the call returns. */
    @FunctionalInterface
    public interface BatchConsumer {
        /** Handles one batch of 1..8 triples. */
        void onBatch(TripleBatch batch);
    }

    private final TripleBatch batch = new TripleBatch();
    private final BatchConsumer consumer;

    /** A batcher handing batches to {@code consumer}. */
    public Batcher(BatchConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public void accept(long s, long p, long o) {
        if (batch.add(s, p, o)) {
            consumer.onBatch(batch);
            batch.clear();
        }
    }

    /** Hands over a partly filled batch, if any (call at end of input). */
    public void flush() {
        if (batch.size > 0) {
            consumer.onBatch(batch);
            batch.clear();
        }
    }
}
