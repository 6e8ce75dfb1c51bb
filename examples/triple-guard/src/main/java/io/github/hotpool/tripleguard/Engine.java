package io.github.hotpool.tripleguard;

import io.github.hotpool.pipeline.GuardPipeline;
import io.github.hotpool.pipeline.GuardStats;
import io.github.hotpool.pipeline.Pipeline;
import io.github.hotpool.pipeline.PipelineStats;
import io.github.hotpool.pipeline.store.InputMark;
import io.github.hotpool.pipeline.store.ReceiptStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What {@code run} drives: the ring pipeline ({@link GuardPipeline}, files and the bundled data)
 * or the handle pipeline ({@link Pipeline}, which also serves HTTP, TCP and stdin). One shape for
 * both, so that the command has one way to run, summarise and stop either.
 */
interface Engine {

    /** The counters a summary line shows. */
    record Counts(long triples, long batches, long receipts, long failed, long badLines, long bytesRead,
                  long inFlight, List<String> recentErrors) {
    }

    ReceiptStore.Recovery recovery();

    Future<JsonObject> ingestFile(String path, InputMark mark);

    Future<JsonObject> ingest(Buffer data, String name, InputMark mark);

    /** Seals the open cycle; the chain state ({@code head}, {@code cycles}, ...). */
    Future<JsonObject> flush();

    /** Stops the listeners, lets open requests finish, seals: the chain state. */
    Future<JsonObject> drain(long millis);

    String failure();

    Counts counts();

    Future<?> undeploy();

    /** The ring pipeline. */
    static Engine of(GuardPipeline p) {
        return new Engine() {
            @Override
            public ReceiptStore.Recovery recovery() {
                return p.recovery();
            }

            @Override
            public Future<JsonObject> ingestFile(String path, InputMark mark) {
                return p.ingestFile(path, mark);
            }

            @Override
            public Future<JsonObject> ingest(Buffer data, String name, InputMark mark) {
                return p.ingest(data, name, mark);
            }

            @Override
            public Future<JsonObject> flush() {
                return p.flush();
            }

            @Override
            public Future<JsonObject> drain(long millis) {
                return p.flush();
            }

            @Override
            public String failure() {
                return p.failure();
            }

            @Override
            public Counts counts() {
                GuardStats s = p.stats();
                return new Counts(s.triples(), s.rows(), s.receipts(), s.failedRows(), s.badLines(), s.bytesRead(),
                    s.rowsInFlight(), s.recentErrors());
            }

            @Override
            public Future<?> undeploy() {
                return p.undeploy();
            }
        };
    }

    /** The handle pipeline. */
    static Engine of(Pipeline p) {
        return new Engine() {
            @Override
            public ReceiptStore.Recovery recovery() {
                return p.recovery();
            }

            @Override
            public Future<JsonObject> ingestFile(String path, InputMark mark) {
                return p.ingestFile(path, mark);
            }

            @Override
            public Future<JsonObject> ingest(Buffer data, String name, InputMark mark) {
                return p.ingest(data, name, mark);
            }

            @Override
            public Future<JsonObject> flush() {
                return p.flush();
            }

            @Override
            public Future<JsonObject> drain(long millis) {
                return p.drain(millis);
            }

            @Override
            public String failure() {
                return p.failure();
            }

            @Override
            public Counts counts() {
                PipelineStats s = p.stats();
                return new Counts(s.triples(), s.batches(), s.receipts(), s.failed(), s.badLines(), -1, s.soaInUse(),
                    s.recentErrors());
            }

            @Override
            public Future<?> undeploy() {
                return p.undeploy();
            }
        };
    }
}
