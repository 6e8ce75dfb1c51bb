package io.github.hotpool.pipeline;

import io.vertx.core.json.JsonObject;

import java.util.Objects;
import java.util.Set;

/**
 * The stages part of {@link PipelineOptions} (JSON key {@code stages}): each stage's event-bus
 * address and instance count, and how long a stage may hold a unit of work. Vert.x options shape;
 * mutable, not thread-safe.
 */
public class StagesOptions extends JsonOptions {

    static final String PART = "stages";
    static final Set<String> FIELDS = Set.of("addressPrefix", "ingest", "transform", "load", "reflex", "emit",
        "stageTimeoutMillis");

    public static final String DEFAULT_ADDRESS_PREFIX = "hotpool.pipeline";
    public static final long DEFAULT_STAGE_TIMEOUT_MILLIS = 5_000;

    private String addressPrefix = DEFAULT_ADDRESS_PREFIX;
    private StageOptions ingest = new StageOptions();
    private StageOptions transform = new StageOptions();
    private StageOptions load = new StageOptions();
    private StageOptions reflex = new StageOptions();
    private StageOptions emit = new StageOptions();
    private long stageTimeoutMillis = DEFAULT_STAGE_TIMEOUT_MILLIS;

    /** Defaults: one instance per stage, addresses under {@link #DEFAULT_ADDRESS_PREFIX}. */
    public StagesOptions() {
    }

    /** A deep copy of {@code other}. */
    public StagesOptions(StagesOptions other) {
        this(other.toJson());
    }

    /**
     * @param json the {@code stages} object; absent fields keep their defaults
     * @throws IllegalArgumentException for an unknown field or a field of the wrong type
     */
    public StagesOptions(JsonObject json) {
        OptionsJson.onlyKnown(json, PART, FIELDS);
        addressPrefix = json.getString("addressPrefix", DEFAULT_ADDRESS_PREFIX);
        ingest = stage(json, "ingest");
        transform = stage(json, "transform");
        load = stage(json, "load");
        reflex = stage(json, "reflex");
        emit = stage(json, "emit");
        stageTimeoutMillis = json.getLong("stageTimeoutMillis", DEFAULT_STAGE_TIMEOUT_MILLIS);
    }

    private static StageOptions stage(JsonObject json, String key) {
        JsonObject s = OptionsJson.object(json, PART, key);
        return s == null ? new StageOptions() : new StageOptions(s, PART + "." + key);
    }

    /** @return this part as JSON, readable by {@link #StagesOptions(JsonObject)} */
    @Override
    public JsonObject toJson() {
        return new JsonObject().put("addressPrefix", addressPrefix)
            .put("ingest", ingest.toJson()).put("transform", transform.toJson()).put("load", load.toJson())
            .put("reflex", reflex.toJson()).put("emit", emit.toJson())
            .put("stageTimeoutMillis", stageTimeoutMillis);
    }

    void validate() {
        fillAddress(ingest, "ingest");
        fillAddress(transform, "transform");
        fillAddress(load, "load");
        fillAddress(reflex, "reflex");
        fillAddress(emit, "emit");
        ingest.validate("ingest");
        transform.validate("transform");
        load.validate("load");
        reflex.validate("reflex");
        emit.validate("emit");
        if (emit.getInstances() != 1) {
            throw new IllegalArgumentException("emit instances " + emit.getInstances()
                + " must be 1: one Emit verticle owns the lockchain");
        }
        OptionsJson.requireRange(PART, "stageTimeoutMillis", stageTimeoutMillis, 1, 3_600_000);
    }

    private void fillAddress(StageOptions s, String stage) {
        if (s.getAddress() == null) {
            s.setAddress(addressPrefix + "." + stage);
        }
    }

    public String getAddressPrefix() {
        return addressPrefix;
    }

    /** Sets the prefix of the default stage addresses ({@code prefix.ingest}, {@code prefix.transform}...). */
    public StagesOptions setAddressPrefix(String addressPrefix) {
        this.addressPrefix = Objects.requireNonNull(addressPrefix, "addressPrefix");
        return this;
    }

    public StageOptions getIngest() {
        return ingest;
    }

    public StagesOptions setIngest(StageOptions ingest) {
        this.ingest = Objects.requireNonNull(ingest, "ingest");
        return this;
    }

    public StageOptions getTransform() {
        return transform;
    }

    public StagesOptions setTransform(StageOptions transform) {
        this.transform = Objects.requireNonNull(transform, "transform");
        return this;
    }

    public StageOptions getLoad() {
        return load;
    }

    public StagesOptions setLoad(StageOptions load) {
        this.load = Objects.requireNonNull(load, "load");
        return this;
    }

    public StageOptions getReflex() {
        return reflex;
    }

    public StagesOptions setReflex(StageOptions reflex) {
        this.reflex = Objects.requireNonNull(reflex, "reflex");
        return this;
    }

    public StageOptions getEmit() {
        return emit;
    }

    /** Sets Emit's options; its instances must stay 1 (one Emit owns the lockchain). */
    public StagesOptions setEmit(StageOptions emit) {
        this.emit = Objects.requireNonNull(emit, "emit");
        return this;
    }

    public long getStageTimeoutMillis() {
        return stageTimeoutMillis;
    }

    /** Sets how long one stage may hold (or wait to receive) a unit of work before it fails (watchdog). */
    public StagesOptions setStageTimeoutMillis(long stageTimeoutMillis) {
        this.stageTimeoutMillis = stageTimeoutMillis;
        return this;
    }


}
