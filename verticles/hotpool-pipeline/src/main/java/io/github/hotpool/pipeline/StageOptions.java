package io.github.hotpool.pipeline;

import io.vertx.core.json.JsonObject;

/**
 * Options of one pipeline stage: its event-bus address and how many verticle instances serve it.
 * Vert.x options shape (no-arg, copy and JSON constructors, {@link #toJson()}); mutable, not
 * thread-safe: configure before deploying.
 */
public class StageOptions extends JsonOptions {

    /** Default number of verticle instances of a stage. */
    public static final int DEFAULT_INSTANCES = 1;

    private String address;
    private int instances = DEFAULT_INSTANCES;
    private String context;

    /** Options with no address yet (the pipeline fills in its default) and one instance. */
    public StageOptions() {
    }

    /** A copy of {@code other}. */
    public StageOptions(StageOptions other) {
        this.address = other.address;
        this.instances = other.instances;
        this.context = other.context;
    }

    /** Options read from {@code json} ({@code address}, {@code instances}, {@code context}); nothing else. */
    public StageOptions(JsonObject json) {
        this(json, "stage");
    }

    /** As {@link #StageOptions(JsonObject)}; {@code path} names the object in errors. */
    StageOptions(JsonObject json, String path) {
        OptionsJson.onlyKnown(json, path, java.util.Set.of("address", "instances", "context"));
        this.address = json.getString("address");
        this.instances = json.getInteger("instances", DEFAULT_INSTANCES);
        this.context = json.getString("context");
    }

    /** @return these options as JSON */
    @Override
    public JsonObject toJson() {
        JsonObject json = new JsonObject().put("instances", instances);
        if (address != null) {
            json.put("address", address);
        }
        if (context != null) {
            json.put("context", context);
        }
        return json;
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
