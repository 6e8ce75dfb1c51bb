package io.github.hotpool.pipeline;

import io.github.hotpool.vertx.ExhaustionPolicy;
import io.github.hotpool.vertx.HotpoolOptions;
import io.github.hotpool.vertx.JsonOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * Options of a whole guard pipeline, in typed parts: {@link StagesOptions stages} (addresses,
 * instances, the watchdog), {@link RingsOptions rings} (the Δ-ring and its spans),
 * {@link ListenerOptions listeners} (HTTP and TCP ingest), {@link SinkOptions sinks} (event bus,
 * webhook) and {@link LockchainOptions lockchain} (files, cycles, durability); beside them the
 * hooks, the Ingest pool and how input lines are read. Both pipelines take it ({@link Pipeline},
 * {@link GuardPipeline}); each part says what applies to which.
 *
 * <p>Vert.x options shape (no-arg, copy and JSON constructors, {@link #toJson()}, fluent setters);
 * mutable, not thread-safe: configure, then hand to {@code deploy}, which takes a copy. The JSON
 * shape has one object per part and is read strictly: an unknown field anywhere is an error
 * naming it (and, for a field of the flat shape used before the parts, where it lives now).
 * <pre>{@code
 * {"hooks": [...], "pool": {...}, "badLinePolicy": "SKIP", "maxLineLength": 8192,
 *  "stages": {"addressPrefix": "hotpool.pipeline", "transform": {"instances": 2}, "stageTimeoutMillis": 5000, ...},
 *  "rings": {"ringCapacity": 1024, "span": {"maxSpanRows": 64, "lingerMillis": 1}},
 *  "listeners": {"host": "127.0.0.1", "httpPort": -1, "tcpPort": -1, ...},
 *  "sinks": {"webhookUrl": "https://...", "webhookMaxRetries": 3, ...},
 *  "lockchain": {"outDir": "out", "cycleReceipts": 1024, "durability": "BATCH", ...}}
 * }</pre>
 */
public final class PipelineOptions extends JsonOptions {

    /**
     * The JSON fields, each declared once: what {@link #PipelineOptions(JsonObject)} reads and
     * {@link #toJson()} writes; each part brings its own table.
     */
    public static final Fields<PipelineOptions> FIELDS = fields("pipeline", PipelineOptions::new)
        .array("hooks", PipelineOptions::getHooks, PipelineOptions::setHooks)
        .part("pool", HotpoolOptions.FIELDS, PipelineOptions::getPool, PipelineOptions::setPool)
        .oneOf("badLinePolicy", BadLinePolicy.class, PipelineOptions::getBadLinePolicy, PipelineOptions::setBadLinePolicy)
        .integer("maxLineLength", PipelineOptions::getMaxLineLength, PipelineOptions::setMaxLineLength)
        .part(StagesOptions.PART, StagesOptions.FIELDS, PipelineOptions::getStages, PipelineOptions::setStages)
        .part(RingsOptions.PART, RingsOptions.FIELDS, PipelineOptions::getRings, PipelineOptions::setRings)
        .part(ListenerOptions.PART, ListenerOptions.FIELDS, PipelineOptions::getListeners, PipelineOptions::setListeners)
        .part(SinkOptions.PART, SinkOptions.FIELDS, PipelineOptions::getSinks, PipelineOptions::setSinks)
        .part(LockchainOptions.PART, LockchainOptions.FIELDS, PipelineOptions::getLockchain, PipelineOptions::setLockchain)
        .build();

    public static final BadLinePolicy DEFAULT_BAD_LINE_POLICY = BadLinePolicy.SKIP;
    public static final int DEFAULT_MAX_LINE_LENGTH = 8 * 1024;

    private JsonArray hooks = new JsonArray();
    private HotpoolOptions pool = defaultPool();
    private BadLinePolicy badLinePolicy = DEFAULT_BAD_LINE_POLICY;
    private int maxLineLength = DEFAULT_MAX_LINE_LENGTH;
    private StagesOptions stages = new StagesOptions();
    private RingsOptions rings = new RingsOptions();
    private ListenerOptions listeners = new ListenerOptions();
    private SinkOptions sinks = new SinkOptions();
    private LockchainOptions lockchain = new LockchainOptions();

    /** Default options: one instance per stage, no hooks, no sinks, no listeners, no files. */
    public PipelineOptions() {
    }

    /** A deep copy of {@code other}. */
    public PipelineOptions(PipelineOptions other) {
        this(other.toJson());
    }

    /**
     * Options read from {@code json}; absent fields keep their defaults.
     *
     * @throws IllegalArgumentException for an unknown field (anywhere), a part that is not an
     *     object, a value of the wrong type or an unknown enum value, naming its path
     */
    public PipelineOptions(JsonObject json) {
        FIELDS.read(json, this);
    }

    /** The Ingest pool's defaults: the core defaults, but waiting (back-pressure) instead of failing. */
    static HotpoolOptions defaultPool() {
        return new HotpoolOptions().setExhaustionPolicy(ExhaustionPolicy.WAIT).setWaitTimeoutMillis(60_000);
    }

    /**
     * @return these options as JSON (round-trips through {@link #PipelineOptions(JsonObject)}); it
     *     holds {@code sinks.webhookUrl} as set, credentials included, unlike {@link #toString()}
     */
    @Override
    public JsonObject toJson() {
        return FIELDS.write(this);
    }

    /**
     * Fills in default stage addresses and checks every value of every part.
     *
     * @return this
     * @throws IllegalArgumentException naming the field (with its part), the value and the limit
     */
    public PipelineOptions validate() {
        stages.validate();
        pool.validate();
        requireRange("", "maxLineLength", maxLineLength, 16, 1 << 24);
        rings.validate();
        listeners.validate();
        sinks.validate();
        lockchain.validate();
        return this;
    }

    /** @return the hooks (live): an array of hook objects as docs/hooks.md describes */
    public JsonArray getHooks() {
        return hooks;
    }

    /** Sets the hooks: an array of hook objects as docs/hooks.md describes. */
    public PipelineOptions setHooks(JsonArray hooks) {
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        return this;
    }

    /** @return the options of each Ingest instance's pool (live; the handle pipeline's buffers) */
    public HotpoolOptions getPool() {
        return pool;
    }

    /** Sets the options of each Ingest instance's pool (the pool every handle comes from). */
    public PipelineOptions setPool(HotpoolOptions pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
        return this;
    }

    public BadLinePolicy getBadLinePolicy() {
        return badLinePolicy;
    }

    /** Sets what a bad input line does: skipped and reported, or fails its input. */
    public PipelineOptions setBadLinePolicy(BadLinePolicy badLinePolicy) {
        this.badLinePolicy = Objects.requireNonNull(badLinePolicy, "badLinePolicy");
        return this;
    }

    public int getMaxLineLength() {
        return maxLineLength;
    }

    /** Sets the longest accepted line in bytes; longer lines are bad lines. Bounds staging memory. */
    public PipelineOptions setMaxLineLength(int maxLineLength) {
        this.maxLineLength = maxLineLength;
        return this;
    }

    /** @return the stages part (live) */
    public StagesOptions getStages() {
        return stages;
    }

    /** Sets the stages part: addresses, instances, the watchdog's timeout. */
    public PipelineOptions setStages(StagesOptions stages) {
        this.stages = Objects.requireNonNull(stages, "stages");
        return this;
    }

    /** @return the rings part (live) */
    public RingsOptions getRings() {
        return rings;
    }

    /** Sets the rings part: the Δ-ring's rows and the span options of the ring pipeline. */
    public PipelineOptions setRings(RingsOptions rings) {
        this.rings = Objects.requireNonNull(rings, "rings");
        return this;
    }

    /** @return the listeners part (live) */
    public ListenerOptions getListeners() {
        return listeners;
    }

    /** Sets the listeners part: the HTTP and TCP ingest endpoints and their limits. */
    public PipelineOptions setListeners(ListenerOptions listeners) {
        this.listeners = Objects.requireNonNull(listeners, "listeners");
        return this;
    }

    /** @return the sinks part (live) */
    public SinkOptions getSinks() {
        return sinks;
    }

    /** Sets the sinks part: the event-bus and webhook receivers of receipts. */
    public PipelineOptions setSinks(SinkOptions sinks) {
        this.sinks = Objects.requireNonNull(sinks, "sinks");
        return this;
    }

    /** @return the lockchain part (live) */
    public LockchainOptions getLockchain() {
        return lockchain;
    }

    /** Sets the lockchain part: output directory, cycles, durability. */
    public PipelineOptions setLockchain(LockchainOptions lockchain) {
        this.lockchain = Objects.requireNonNull(lockchain, "lockchain");
        return this;
    }


    /** The options as JSON, with {@code sinks.webhookUrl} redacted: safe to log. */
    @Override
    public String toString() {
        return toJson().put(SinkOptions.PART, sinks.toRedactedJson()).encode();
    }
}
