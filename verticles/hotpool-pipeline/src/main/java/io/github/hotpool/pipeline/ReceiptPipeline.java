package io.github.hotpool.pipeline;

import io.github.hotpool.pipeline.store.InputMark;
import io.github.hotpool.pipeline.store.ReceiptStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * What both RDF guard pipelines offer a caller that feeds inputs and chains their receipts: the
 * ring pipeline ({@link GuardPipeline}) and the handle pipeline ({@link Pipeline}). Thread-safety:
 * every method may be called on any thread.
 */
public interface ReceiptPipeline {

    /** @return what the receipt store found when it opened the output directory */
    ReceiptStore.Recovery recovery();

    /**
     * Streams an N-Triples file.
     *
     * @param mark the input's identity and where to resume, or null
     * @return the summary ({@code source, lines, triples, batches, failedBatches, badLines}) once every
     *     batch of the file is durable
     */
    Future<JsonObject> ingestFile(String path, InputMark mark);

    /**
     * Streams N-Triples already in memory, framed like a file.
     *
     * @param name the input's name in error reports
     * @param mark the input's identity and where to resume, or null
     * @return the summary, as {@link #ingestFile(String, InputMark)}
     */
    Future<JsonObject> ingest(Buffer data, String name, InputMark mark);

    /** Seals the open cycle and makes it durable. @return the chain state: {@code head}, {@code cycles}, {@code receipts}, ... */
    Future<JsonObject> flush();

    /** @return why the pipeline cannot go on (the receipt store failed), or null */
    String failure();

    /** Stops taking input, drains, seals and undeploys; idempotent. */
    Future<Void> undeploy();
}
