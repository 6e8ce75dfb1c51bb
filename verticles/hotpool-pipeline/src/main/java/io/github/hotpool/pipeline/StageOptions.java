package io.github.hotpool.pipeline;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * Options of one pipeline stage: its event-bus address and how many verticle instances serve it.
 * Vert.x options shape (no-arg, copy and JSON constructors, {@link #toJson()}); mutable, not
 * thread-safe: configure before deploying.
 */
public class StageOptions {

    /** Default number of verticle instances of a stage. */
    public static final int DEFAULT_INSTANCES = 1;

    private String address;
    private int instances = DEFAULT_INSTANCES;

    /** Options with no address yet (the pipeline fills in its default) and one instance. */
    public StageOptions() {
    }

    /** A copy of {@code other}. */
    public StageOptions(StageOptions other) {
        this.address = other.address;
        this.instances = other.instances;
    }

    /** Options read from {@code json} ({@code address}, {@code instances}). */
    public StageOptions(JsonObject json) {
        this.address = json.getString("address");
        this.instances = json.getInteger("instances", DEFAULT_INSTANCES);
    }

    /** @return these options as JSON */
    public JsonObject toJson() {
        JsonObject json = new JsonObject().put("instances", instances);
        if (address != null) {
            json.put("address", address);
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

    void validate(String stage) {
        if (instances < 1 || instances > 64) {
            throw new IllegalArgumentException(stage + " instances " + instances + " outside [1, 64]");
        }
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException(stage + " address must not be blank");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StageOptions && Objects.equals(address, ((StageOptions) o).address)
            && instances == ((StageOptions) o).instances;
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, instances);
    }

    @Override
    public String toString() {
        return toJson().encode();
    }
}
