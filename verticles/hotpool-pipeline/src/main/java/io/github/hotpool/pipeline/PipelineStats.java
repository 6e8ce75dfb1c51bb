package io.github.hotpool.pipeline;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A snapshot of a pipeline's counters. Immutable, thread-safe.
 *
 * @param batches batches issued by Ingest
 * @param emitted batches Emit finished
 * @param failedException batches failed because a stage threw
 * @param failedTimeout batches failed because a stage held them past the stage timeout
 * @param failedLost batches no stage took within the stage timeout
 * @param failedUndeployed batches failed because the pipeline was undeployed under them
 * @param failedStore batches failed because the receipt store could not make their receipts durable
 * @param triples triples parsed
 * @param receipts receipts emitted (and chained)
 * @param badLines input lines rejected
 * @param pauses times Ingest paused an input because every handle was out
 * @param resumes times it resumed
 * @param staleDeliveries deliveries of handles whose batch had already failed (dropped untouched)
 * @param sinkFailures receipts posts the webhook gave up on, was refused (4xx) or dropped
 * @param maxQueuedChunks most input chunks held at once while an input was paused
 * @param soaInUse handles out of the Ingest pools now
 * @param recentErrors the latest errors, oldest first (at most 100)
 * @param openConnections HTTP and TCP connections open now
 * @param refusedConnections connections closed on accept because {@code maxConnections} were open
 * @param idleClosedConnections connections closed because their peer sent nothing for {@code idleTimeoutMillis}
 * @param webhookDropped webhook posts dropped because {@code webhookMaxInFlight} were pending (counted in
 *     {@code sinkFailures} too)
 */
public record PipelineStats(long batches, long emitted, long failedException, long failedTimeout, long failedLost,
                            long failedUndeployed, long failedStore, long triples, long receipts, long badLines, long pauses,
                            long resumes, long staleDeliveries, long sinkFailures, long maxQueuedChunks,
                            int soaInUse, List<String> recentErrors, int openConnections,
                            long refusedConnections, long idleClosedConnections, long webhookDropped) {

    /** @return failed batches, all causes */
    public long failed() {
        return failedException + failedTimeout + failedLost + failedUndeployed + failedStore;
    }

    /** @return the snapshot as JSON */
    public JsonObject toJson() {
        return new JsonObject().put("batches", batches).put("emitted", emitted).put("failed", failed())
            .put("failedException", failedException).put("failedTimeout", failedTimeout)
            .put("failedLost", failedLost).put("failedUndeployed", failedUndeployed)
            .put("failedStore", failedStore).put("triples", triples)
            .put("receipts", receipts).put("badLines", badLines).put("pauses", pauses).put("resumes", resumes)
            .put("staleDeliveries", staleDeliveries).put("sinkFailures", sinkFailures)
            .put("maxQueuedChunks", maxQueuedChunks).put("soaInUse", soaInUse)
            .put("recentErrors", new JsonArray(recentErrors)).put("openConnections", openConnections)
            .put("refusedConnections", refusedConnections).put("idleClosedConnections", idleClosedConnections)
            .put("webhookDropped", webhookDropped);
    }

    static PipelineStats of(Runtime rt) {
        int inUse = 0;
        for (Ledger l : rt.ledgers) {
            inUse += l.pool.soaInUse();
        }
        return new PipelineStats(rt.batches.get(), rt.emitted.get(), rt.failed.get(Failure.EXCEPTION.ordinal()),
            rt.failed.get(Failure.TIMEOUT.ordinal()), rt.failed.get(Failure.LOST.ordinal()),
            rt.failed.get(Failure.UNDEPLOYED.ordinal()), rt.failed.get(Failure.STORE.ordinal()), rt.triples.get(), rt.receipts.get(), rt.badLines.get(),
            rt.pauses.get(), rt.resumes.get(), rt.staleDeliveries.get(), rt.sinkFailures.get(),
            rt.maxQueuedChunks.get(), inUse, rt.recentErrors(), rt.connections.get(), rt.refusedConnections.get(),
            rt.idleClosedConnections.get(), rt.webhookDropped.get());
    }
}
