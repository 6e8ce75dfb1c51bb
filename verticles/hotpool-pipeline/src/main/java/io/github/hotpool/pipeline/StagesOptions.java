package io.github.hotpool.pipeline;

import io.github.hotpool.vertx.JsonOptions;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * The stages part of {@link PipelineOptions} (JSON key {@code stages}): each stage's event-bus
 * address and instance count, and how long a stage may hold a unit of work. Vert.x options shape;
 * mutable, not thread-safe.
 */
public final class StagesOptions extends JsonOptions {

    static final String PART = "stages";

    public static final String DEFAULT_ADDRESS_PREFIX = "hotpool.pipeline";
    public static final long DEFAULT_STAGE_TIMEOUT_MILLIS = 5_000;

    /** The JSON fields, each declared once: what {@link #StagesOptions(JsonObject)} reads and {@link #toJson()} writes. */
    public static final Fields<StagesOptions> FIELDS = fields("stages", StagesOptions::new)
        .string("addressPrefix", StagesOptions::getAddressPrefix, StagesOptions::setAddressPrefix)
        .part("ingest", StageOptions.FIELDS, StagesOptions::getIngest, StagesOptions::setIngest)
        .part("transform", StageOptions.FIELDS, StagesOptions::getTransform, StagesOptions::setTransform)
        .part("load", StageOptions.FIELDS, StagesOptions::getLoad, StagesOptions::setLoad)
        .part("reflex", StageOptions.FIELDS, StagesOptions::getReflex, StagesOptions::setReflex)
        .part("emit", StageOptions.FIELDS, StagesOptions::getEmit, StagesOptions::setEmit)
        .longInteger("stageTimeoutMillis", StagesOptions::getStageTimeoutMillis, StagesOptions::setStageTimeoutMillis)
        .build();

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
        FIELDS.read(json, this);
    }

    /** @return this part as JSON, readable by {@link #StagesOptions(JsonObject)} */
    @Override
    public JsonObject toJson() {
        return FIELDS.write(this);
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
        requireRange(PART, "stageTimeoutMillis", stageTimeoutMillis, 1, 3_600_000);
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
