package io.github.hotpool.pipeline;

import io.github.hotpool.vertx.JsonOptions;
import io.vertx.core.json.JsonObject;

/**
 * Options of one pipeline stage: its event-bus address and how many verticle instances serve it.
 * Vert.x options shape (no-arg, copy and JSON constructors, {@link #toJson()}); mutable, not
 * thread-safe: configure before deploying.
 */
public final class StageOptions extends JsonOptions {

    /** Default number of verticle instances of a stage. */
    public static final int DEFAULT_INSTANCES = 1;

    /** The JSON fields, each declared once: what {@link #StageOptions(JsonObject)} reads and {@link #toJson()} writes. */
    public static final Fields<StageOptions> FIELDS = fields("stage", StageOptions::new)
        .integer("instances", StageOptions::getInstances, StageOptions::setInstances)
        .string("address", StageOptions::getAddress, StageOptions::setAddress)
        .string("context", StageOptions::getContext, StageOptions::setContext)
        .build();

    private String address;
    private int instances = DEFAULT_INSTANCES;
    private String context;

    /** Options with no address yet (the pipeline fills in its default) and one instance. */
    public StageOptions() {
    }

    /** A copy of {@code other}. */
    public StageOptions(StageOptions other) {
        this(other.toJson());
    }

    /** Options read from {@code json} ({@code address}, {@code instances}, {@code context}); nothing else. */
    public StageOptions(JsonObject json) {
        FIELDS.read(json, this);
    }

    /** @return these options as JSON; {@code address} and {@code context} only when set */
    @Override
    public JsonObject toJson() {
        return FIELDS.write(this);
    }

    /** @return the event-bus address, or null for the pipeline's default */
    public String getAddress() {
        return address;
    }

    /** Sets the event-bus address the stage consumes from. */
    public StageOptions setAddress(String address) {
        this.address = address;
        return this;
    }

    /** @return the number of verticle instances */
    public int getInstances() {
        return instances;
    }

    /** Sets the number of verticle instances (>= 1). */
    public StageOptions setInstances(int instances) {
        this.instances = instances;
        return this;
    }

    /** @return the shared context this stage runs on in the ring pipeline, or null for one of its own */
    public String getContext() {
        return context;
    }

    /**
     * Sets a shared context for the stage in the ring pipeline: its Load, Reflex and Emit stages
     * that name the same context run on one event loop (each must then have one instance); null:
     * a context of its own. The handle pipeline ignores it.
     */
    public StageOptions setContext(String context) {
        this.context = context;
        return this;
    }

    void validate(String stage) {
        if (context != null && (context.isBlank() || instances != 1)) {
            throw new IllegalArgumentException(stage + " context '" + context + "': "
                + (context.isBlank() ? "a shared context needs a name" : "a stage on a shared context has one instance, not "
                + instances));
        }
        if (instances < 1 || instances > 64) {
            throw new IllegalArgumentException(stage + " instances " + instances + " outside [1, 64]");
        }
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException(stage + " address must not be blank");
        }
    }
}
