package io.github.hotpool.cluster;

import io.vertx.core.json.JsonObject;

/**
 * A clustered run that could not go on once it had started, with what it had done by then: the
 * summary {@link ClusterRun#run} would have given ({@code batches, emitted, failed, retried, ...}),
 * {@code failure} (why), {@code durable} (the chain position Emit last acknowledged: receipts,
 * cycles, head) and {@code acknowledged} (the sequences Emit said were durable, as
 * {@code [first, last]} ranges). Thrown when the node hosting Emit leaves mid-run.
 */
public final class ClusterRunException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient JsonObject summary;

    ClusterRunException(String message, JsonObject summary) {
        super(message);
        this.summary = summary;
    }

    /** @return the run's summary at the moment it failed */
    public JsonObject summary() {
        return summary;
    }
}
