package io.github.hotpool.pipeline;

import io.github.hotpool.vertx.SpanOptions;

import io.github.hotpool.pipeline.store.Durability;
import io.github.hotpool.pipeline.store.ReceiptStore;
import io.github.hotpool.vertx.ExhaustionPolicy;
import io.github.hotpool.vertx.HotpoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * Options of a whole pipeline: stage addresses and instances, the Ingest pool, hooks, timeouts,
 * the bad-line policy, sinks and listeners. Vert.x options shape ({@code DEFAULT_*} constants,
 * no-arg / copy / JSON constructors, {@link #toJson()}, fluent setters); mutable, not
 * thread-safe: configure, then hand to {@link Pipeline#deploy}, which takes a copy.
 */
public class PipelineOptions {

    public static final String DEFAULT_ADDRESS_PREFIX = "hotpool.pipeline";
    public static final long DEFAULT_STAGE_TIMEOUT_MILLIS = 5_000;
    public static final BadLinePolicy DEFAULT_BAD_LINE_POLICY = BadLinePolicy.SKIP;
    public static final int DEFAULT_MAX_LINE_LENGTH = 8 * 1024;
    public static final int DEFAULT_CYCLE_RECEIPTS = 1024;
    /** No idle seal: cycles seal when full, on flush and at shutdown only. */
    public static final long DEFAULT_CYCLE_IDLE_MILLIS = 0;
    /** Vert.x's own default write-queue bound of an {@code AsyncFile}. */
    public static final int DEFAULT_RECEIPTS_WRITE_QUEUE_BYTES = 4 * 1024 * 1024;
    /** Group commit: receipts are forced and acknowledged in batches (see {@link Durability#BATCH}). */
    public static final Durability DEFAULT_DURABILITY = Durability.BATCH;
    /** Group commit: at most this long between a receipt being appended and its forced flush. */
    public static final long DEFAULT_SYNC_MILLIS = 10;
    /** Group commit: a flush starts as soon as this many receipts wait. */
    public static final int DEFAULT_SYNC_RECEIPTS = 4096;
    public static final int DEFAULT_WEBHOOK_MAX_RETRIES = 3;
    public static final long DEFAULT_WEBHOOK_BACKOFF_MILLIS = 100;
    public static final int DEFAULT_WEBHOOK_MAX_IN_FLIGHT = 64;
    /** One webhook attempt, connect to last byte of the answer. */
    public static final long DEFAULT_WEBHOOK_TIMEOUT_MILLIS = 10_000;
    public static final int DEFAULT_PORT = -1;
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** An HTTP or TCP connection that sends nothing for 30 s is closed. */
    public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 30_000;
    /** Open HTTP and TCP connections, both listeners and every Ingest instance together. */
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    /** A partial batch of an HTTP or TCP input is dispatched once it is 5 ms old. */
    public static final long DEFAULT_BATCH_LINGER_MILLIS = 5;
    /** The ring pipeline's Δ-ring: 1024 rows of 8 triples, the original design's total capacity. */
    public static final int DEFAULT_RING_CAPACITY = 1024;

    private String addressPrefix = DEFAULT_ADDRESS_PREFIX;
    private StageOptions ingest = new StageOptions();
    private StageOptions transform = new StageOptions();
    private StageOptions load = new StageOptions();
    private StageOptions reflex = new StageOptions();
    private StageOptions emit = new StageOptions();
    private HotpoolOptions pool = defaultPool();
    private JsonArray hooks = new JsonArray();
    private long stageTimeoutMillis = DEFAULT_STAGE_TIMEOUT_MILLIS;
    private BadLinePolicy badLinePolicy = DEFAULT_BAD_LINE_POLICY;
    private int maxLineLength = DEFAULT_MAX_LINE_LENGTH;
    private int cycleReceipts = DEFAULT_CYCLE_RECEIPTS;
    private long cycleIdleMillis = DEFAULT_CYCLE_IDLE_MILLIS;
    private int receiptsWriteQueueBytes = DEFAULT_RECEIPTS_WRITE_QUEUE_BYTES;
    private Durability durability = DEFAULT_DURABILITY;
    private long syncMillis = DEFAULT_SYNC_MILLIS;
    private int syncReceipts = DEFAULT_SYNC_RECEIPTS;
    private String outDir;
    private String eventBusSink;
    private String webhookUrl;
    private int webhookMaxRetries = DEFAULT_WEBHOOK_MAX_RETRIES;
    private long webhookBackoffMillis = DEFAULT_WEBHOOK_BACKOFF_MILLIS;
    private int webhookMaxInFlight = DEFAULT_WEBHOOK_MAX_IN_FLIGHT;
    private long webhookTimeoutMillis = DEFAULT_WEBHOOK_TIMEOUT_MILLIS;
    private String host = DEFAULT_HOST;
    private int httpPort = DEFAULT_PORT;
    private int tcpPort = DEFAULT_PORT;
    private long idleTimeoutMillis = DEFAULT_IDLE_TIMEOUT_MILLIS;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private long batchLingerMillis = DEFAULT_BATCH_LINGER_MILLIS;
    private int ringCapacity = DEFAULT_RING_CAPACITY;
    private SpanOptions span = new SpanOptions();

    /** @return rows in the ring pipeline's Δ-ring (the handle pipeline ignores it) */
    public int getRingCapacity() {
        return ringCapacity;
    }

    /**
     * @param ringCapacity rows in the ring pipeline's Δ-ring, a power of two in [16, 1048576]
     * @return this
     */
    public PipelineOptions setRingCapacity(int ringCapacity) {
        this.ringCapacity = ringCapacity;
        return this;
    }

    /** @return the ring pipeline's spans: rows per span and linger (a copy) */
    public SpanOptions getSpan() {
        return new SpanOptions(span);
    }

    /**
     * @param span rows per span and linger of the ring pipeline (copied); they change neither its rows
     *     nor its receipts, only how often a span crosses the event bus
     * @return this
     */
    public PipelineOptions setSpan(SpanOptions span) {
        this.span = new SpanOptions(span);
        return this;
    }

    /**
     * The group-commit rule both pipelines' Emit follows: whether to start a flush of {@code store}
     * now rather than at the sync timer.
     *
     * @param waiters someone waits for the next flush (flush(), a seal, shutdown)
     * @param fullQueue the receipts write queue is over {@code receiptsWriteQueueBytes} with batches
     *     waiting on it
     */
    boolean flushNow(io.github.hotpool.pipeline.store.ReceiptStore store, boolean waiters, boolean fullQueue) {
        return store.dir() == null || durability == Durability.FSYNC || syncMillis == 0 || waiters || fullQueue
            || store.bufferedReceipts() >= syncReceipts;
    }

    /** Default options: one instance per stage, no hooks, no sinks, no listeners. */
    public PipelineOptions() {
    }

    /** A deep copy of {@code other}. */
    public PipelineOptions(PipelineOptions other) {
        this(other.toJson());
    }

    /** Options read from {@code json}; absent fields keep their defaults. */
    public PipelineOptions(JsonObject json) {
        addressPrefix = json.getString("addressPrefix", DEFAULT_ADDRESS_PREFIX);
        ingest = stage(json, "ingest");
        transform = stage(json, "transform");
        load = stage(json, "load");
        reflex = stage(json, "reflex");
        emit = stage(json, "emit");
        JsonObject p = json.getJsonObject("pool");
        pool = p == null ? defaultPool() : new HotpoolOptions(p);
        hooks = json.getJsonArray("hooks", new JsonArray()).copy();
        stageTimeoutMillis = json.getLong("stageTimeoutMillis", DEFAULT_STAGE_TIMEOUT_MILLIS);
        badLinePolicy = BadLinePolicy.valueOf(json.getString("badLinePolicy", DEFAULT_BAD_LINE_POLICY.name()));
        maxLineLength = json.getInteger("maxLineLength", DEFAULT_MAX_LINE_LENGTH);
        cycleReceipts = json.getInteger("cycleReceipts", DEFAULT_CYCLE_RECEIPTS);
        cycleIdleMillis = json.getLong("cycleIdleMillis", DEFAULT_CYCLE_IDLE_MILLIS);
        receiptsWriteQueueBytes = json.getInteger("receiptsWriteQueueBytes", DEFAULT_RECEIPTS_WRITE_QUEUE_BYTES);
        durability = Durability.parse(json.getString("durability", DEFAULT_DURABILITY.name()));
        syncMillis = json.getLong("syncMillis", DEFAULT_SYNC_MILLIS);
        syncReceipts = json.getInteger("syncReceipts", DEFAULT_SYNC_RECEIPTS);
        outDir = json.getString("outDir");
        eventBusSink = json.getString("eventBusSink");
        webhookUrl = json.getString("webhookUrl");
        webhookMaxRetries = json.getInteger("webhookMaxRetries", DEFAULT_WEBHOOK_MAX_RETRIES);
        webhookBackoffMillis = json.getLong("webhookBackoffMillis", DEFAULT_WEBHOOK_BACKOFF_MILLIS);
        webhookMaxInFlight = json.getInteger("webhookMaxInFlight", DEFAULT_WEBHOOK_MAX_IN_FLIGHT);
        webhookTimeoutMillis = json.getLong("webhookTimeoutMillis", DEFAULT_WEBHOOK_TIMEOUT_MILLIS);
        host = json.getString("host", DEFAULT_HOST);
        httpPort = json.getInteger("httpPort", DEFAULT_PORT);
        tcpPort = json.getInteger("tcpPort", DEFAULT_PORT);
        idleTimeoutMillis = json.getLong("idleTimeoutMillis", DEFAULT_IDLE_TIMEOUT_MILLIS);
        maxConnections = json.getInteger("maxConnections", DEFAULT_MAX_CONNECTIONS);
        batchLingerMillis = json.getLong("batchLingerMillis", DEFAULT_BATCH_LINGER_MILLIS);
        ringCapacity = json.getInteger("ringCapacity", DEFAULT_RING_CAPACITY);
        JsonObject sp = json.getJsonObject("span");
        span = sp == null ? new SpanOptions() : new SpanOptions(sp);
    }

    private static StageOptions stage(JsonObject json, String key) {
        JsonObject s = json.getJsonObject(key);
        return s == null ? new StageOptions() : new StageOptions(s);
    }

    /** The Ingest pool's defaults: the core defaults, but waiting (back-pressure) instead of failing. */
    static HotpoolOptions defaultPool() {
        return new HotpoolOptions().setExhaustionPolicy(ExhaustionPolicy.WAIT).setWaitTimeoutMillis(60_000);
    }

    /**
     * @return these options as JSON (round-trips through {@link #PipelineOptions(JsonObject)}); it
     *     holds {@code webhookUrl} as set, credentials included, unlike {@link #toString()}
     */
    public JsonObject toJson() {
        JsonObject json = new JsonObject()
            .put("addressPrefix", addressPrefix)
            .put("ingest", ingest.toJson()).put("transform", transform.toJson()).put("load", load.toJson())
            .put("reflex", reflex.toJson()).put("emit", emit.toJson())
            .put("pool", pool.toJson())
            .put("hooks", hooks.copy())
            .put("stageTimeoutMillis", stageTimeoutMillis)
            .put("badLinePolicy", badLinePolicy.name())
            .put("maxLineLength", maxLineLength)
            .put("cycleReceipts", cycleReceipts)
            .put("cycleIdleMillis", cycleIdleMillis)
            .put("receiptsWriteQueueBytes", receiptsWriteQueueBytes)
            .put("durability", durability.name())
            .put("syncMillis", syncMillis)
            .put("syncReceipts", syncReceipts)
            .put("webhookMaxRetries", webhookMaxRetries)
            .put("webhookBackoffMillis", webhookBackoffMillis)
            .put("webhookMaxInFlight", webhookMaxInFlight)
            .put("webhookTimeoutMillis", webhookTimeoutMillis)
            .put("host", host)
            .put("httpPort", httpPort)
            .put("tcpPort", tcpPort)
            .put("idleTimeoutMillis", idleTimeoutMillis)
            .put("maxConnections", maxConnections)
            .put("batchLingerMillis", batchLingerMillis)
            .put("ringCapacity", ringCapacity)
            .put("span", span.toJson());
        putIfSet(json, "outDir", outDir);
        putIfSet(json, "eventBusSink", eventBusSink);
        putIfSet(json, "webhookUrl", webhookUrl);
        return json;
    }

    private static void putIfSet(JsonObject json, String key, String value) {
        if (value != null) {
            json.put(key, value);
        }
    }

    /**
     * Fills in default stage addresses and checks every value.
     *
     * @return this
     * @throws IllegalArgumentException naming the field, the value and the limit
     */
    public PipelineOptions validate() {
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
        pool.validate();
        requireRange("stageTimeoutMillis", stageTimeoutMillis, 1, 3_600_000);
        if (ringCapacity < 16 || ringCapacity > 1 << 20 || Integer.bitCount(ringCapacity) != 1) {
            throw new IllegalArgumentException("ringCapacity must be a power of two in [16, 1048576]: ringCapacity="
                + ringCapacity);
        }
        span.validate();
        if (span.getMaxSpanRows() > ringCapacity) {
            throw new IllegalArgumentException("span.maxSpanRows " + span.getMaxSpanRows()
                + " exceeds ringCapacity " + ringCapacity);
        }
        requireRange("maxLineLength", maxLineLength, 16, 1 << 24);
        requireRange("cycleReceipts", cycleReceipts, 1, ReceiptStore.MAX_CYCLE_RECEIPTS);
        requireRange("cycleIdleMillis", cycleIdleMillis, 0, 86_400_000);
        requireRange("receiptsWriteQueueBytes", receiptsWriteQueueBytes, 2, 1 << 30);
        requireRange("syncMillis", syncMillis, 0, 60_000);
        requireRange("syncReceipts", syncReceipts, 1, 1 << 24);
        requireRange("webhookMaxRetries", webhookMaxRetries, 0, 100);
        requireRange("webhookBackoffMillis", webhookBackoffMillis, 1, 600_000);
        requireRange("webhookMaxInFlight", webhookMaxInFlight, 1, 1 << 16);
        requireRange("webhookTimeoutMillis", webhookTimeoutMillis, 1, 600_000);
        if (webhookUrl != null) {
            String bad = WebhookSink.checkUrl(webhookUrl);
            if (bad != null) {
                throw new IllegalArgumentException("webhookUrl " + WebhookSink.redact(webhookUrl) + ": " + bad);
            }
        }
        requireRange("httpPort", httpPort, -1, 65535);
        requireRange("tcpPort", tcpPort, -1, 65535);
        requireRange("idleTimeoutMillis", idleTimeoutMillis, 0, 86_400_000);
        requireRange("maxConnections", maxConnections, 1, 1 << 16);
        requireRange("batchLingerMillis", batchLingerMillis, 0, 60_000);
        return this;
    }

    private void fillAddress(StageOptions s, String stage) {
        if (s.getAddress() == null) {
            s.setAddress(addressPrefix + "." + stage);
        }
    }

    private static void requireRange(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " " + value + " outside [" + min + ", " + max + "]");
        }
    }

    public String getAddressPrefix() {
        return addressPrefix;
    }

    /** Sets the prefix of the default stage addresses ({@code prefix.ingest}, {@code prefix.transform}...). */
    public PipelineOptions setAddressPrefix(String addressPrefix) {
        this.addressPrefix = Objects.requireNonNull(addressPrefix, "addressPrefix");
        return this;
    }

    public StageOptions getIngest() {
        return ingest;
    }

    public PipelineOptions setIngest(StageOptions ingest) {
        this.ingest = ingest;
        return this;
    }

    public StageOptions getTransform() {
        return transform;
    }

    public PipelineOptions setTransform(StageOptions transform) {
        this.transform = transform;
        return this;
    }

    public StageOptions getLoad() {
        return load;
    }

    public PipelineOptions setLoad(StageOptions load) {
        this.load = load;
        return this;
    }

    public StageOptions getReflex() {
        return reflex;
    }

    public PipelineOptions setReflex(StageOptions reflex) {
        this.reflex = reflex;
        return this;
    }

    public StageOptions getEmit() {
        return emit;
    }

    public PipelineOptions setEmit(StageOptions emit) {
        this.emit = emit;
        return this;
    }

    public HotpoolOptions getPool() {
        return pool;
    }

    /** Sets the options of each Ingest instance's pool (the pool every handle comes from). */
    public PipelineOptions setPool(HotpoolOptions pool) {
        this.pool = pool;
        return this;
    }

    public JsonArray getHooks() {
        return hooks;
    }

    /** Sets the hooks: an array of hook objects as docs/hooks.md describes. */
    public PipelineOptions setHooks(JsonArray hooks) {
        this.hooks = hooks;
        return this;
    }

    public long getStageTimeoutMillis() {
        return stageTimeoutMillis;
    }

    /** Sets how long one stage may hold (or wait to receive) a batch before the batch fails. */
    public PipelineOptions setStageTimeoutMillis(long stageTimeoutMillis) {
        this.stageTimeoutMillis = stageTimeoutMillis;
        return this;
    }

    public BadLinePolicy getBadLinePolicy() {
        return badLinePolicy;
    }

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

    public int getCycleReceipts() {
        return cycleReceipts;
    }

    /** Sets how many receipts a lockchain cycle holds before Emit seals it. */
    public PipelineOptions setCycleReceipts(int cycleReceipts) {
        this.cycleReceipts = cycleReceipts;
        return this;
    }

    public long getCycleIdleMillis() {
        return cycleIdleMillis;
    }

    /**
     * Sets how old the oldest receipt of the open cycle may get before Emit seals the cycle
     * anyway (0: never; cycles then seal when full, on flush and at shutdown). Makes cycle
     * boundaries, hence the head, depend on timing.
     */
    public PipelineOptions setCycleIdleMillis(long cycleIdleMillis) {
        this.cycleIdleMillis = cycleIdleMillis;
        return this;
    }

    public int getReceiptsWriteQueueBytes() {
        return receiptsWriteQueueBytes;
    }

    /** Sets how many bytes may wait for the receipt store's next flush before Emit holds handles (back-pressure). */
    public PipelineOptions setReceiptsWriteQueueBytes(int receiptsWriteQueueBytes) {
        this.receiptsWriteQueueBytes = receiptsWriteQueueBytes;
        return this;
    }

    public Durability getDurability() {
        return durability;
    }

    /** Sets when receipts are forced to disk, and so when batches are acknowledged (docs/lockchain.md). */
    public PipelineOptions setDurability(Durability durability) {
        this.durability = Objects.requireNonNull(durability, "durability");
        return this;
    }

    public long getSyncMillis() {
        return syncMillis;
    }

    /** Sets, for {@link Durability#BATCH} and {@link Durability#NONE}, the longest wait before a flush. */
    public PipelineOptions setSyncMillis(long syncMillis) {
        this.syncMillis = syncMillis;
        return this;
    }

    public int getSyncReceipts() {
        return syncReceipts;
    }

    /** Sets, for {@link Durability#BATCH} and {@link Durability#NONE}, how many waiting receipts start a flush at once. */
    public PipelineOptions setSyncReceipts(int syncReceipts) {
        this.syncReceipts = syncReceipts;
        return this;
    }

    public String getOutDir() {
        return outDir;
    }

    /** Sets the directory of {@code receipts.jsonl} and {@code lockchain.jsonl} (null: no files). */
    public PipelineOptions setOutDir(String outDir) {
        this.outDir = outDir;
        return this;
    }

    public String getEventBusSink() {
        return eventBusSink;
    }

    /** Sets an event-bus address that receives every receipt as a JsonObject (null: none). */
    public PipelineOptions setEventBusSink(String eventBusSink) {
        this.eventBusSink = eventBusSink;
        return this;
    }

    public String getWebhookUrl() {
        return webhookUrl;
    }

    /**
     * Sets an http(s) URL that receives each batch's receipts as a JSON array by POST (null: none).
     * Userinfo in it is sent as Basic authorization. Messages and {@link #toString()} show it with
     * userinfo and credential-like query parameters (token, key, secret, password, auth, sig...)
     * masked; a secret in the path is not recognised, so keep credentials out of the path.
     */
    public PipelineOptions setWebhookUrl(String webhookUrl) {
        this.webhookUrl = webhookUrl;
        return this;
    }

    public int getWebhookMaxRetries() {
        return webhookMaxRetries;
    }

    public PipelineOptions setWebhookMaxRetries(int webhookMaxRetries) {
        this.webhookMaxRetries = webhookMaxRetries;
        return this;
    }

    public long getWebhookBackoffMillis() {
        return webhookBackoffMillis;
    }

    /**
     * Sets the first retry delay; each further retry doubles it, and each actual delay is drawn
     * uniformly from [half, all] of that (jitter).
     */
    public PipelineOptions setWebhookBackoffMillis(long webhookBackoffMillis) {
        this.webhookBackoffMillis = webhookBackoffMillis;
        return this;
    }

    public int getWebhookMaxInFlight() {
        return webhookMaxInFlight;
    }

    /**
     * Sets how many webhook posts may be pending (first attempt to final outcome, retry waits
     * included); a post beyond it is dropped, counted in {@link PipelineStats#webhookDropped()} and
     * {@link PipelineStats#sinkFailures()}, and reported. Emit never waits for the webhook.
     */
    public PipelineOptions setWebhookMaxInFlight(int webhookMaxInFlight) {
        this.webhookMaxInFlight = webhookMaxInFlight;
        return this;
    }

    public long getWebhookTimeoutMillis() {
        return webhookTimeoutMillis;
    }

    /**
     * Sets how long one webhook attempt may take, from connecting to the last byte of the answer;
     * then the request is reset and the attempt counts as failed (retried like a 5xx).
     */
    public PipelineOptions setWebhookTimeoutMillis(long webhookTimeoutMillis) {
        this.webhookTimeoutMillis = webhookTimeoutMillis;
        return this;
    }

    public String getHost() {
        return host;
    }

    public PipelineOptions setHost(String host) {
        this.host = host;
        return this;
    }

    public int getHttpPort() {
        return httpPort;
    }

    /** Sets the port of the HTTP ingest endpoint (POST N-Triples bodies); -1: off, 0: any free port. */
    public PipelineOptions setHttpPort(int httpPort) {
        this.httpPort = httpPort;
        return this;
    }

    public int getTcpPort() {
        return tcpPort;
    }

    /** Sets the port of the TCP ingest socket (one N-Triples stream per connection); -1: off, 0: any. */
    public PipelineOptions setTcpPort(int tcpPort) {
        this.tcpPort = tcpPort;
        return this;
    }

    public long getIdleTimeoutMillis() {
        return idleTimeoutMillis;
    }

    /**
     * Sets how long an HTTP or TCP connection may send nothing before it is closed (0: never).
     * Only the peer's silence counts: time the input is paused by back-pressure (waiting for a
     * pool buffer) or spent answering does not. An input cut this way fails with the reason; its
     * batches already dispatched are processed. Checked every quarter of the timeout.
     */
    public PipelineOptions setIdleTimeoutMillis(long idleTimeoutMillis) {
        this.idleTimeoutMillis = idleTimeoutMillis;
        return this;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    /**
     * Sets how many HTTP and TCP connections may be open at once, both listeners and all Ingest
     * instances together. A connection over the cap is closed as it is accepted (TCP peers first
     * get an error line) and counted in {@link PipelineStats#refusedConnections()}.
     */
    public PipelineOptions setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
        return this;
    }

    public long getBatchLingerMillis() {
        return batchLingerMillis;
    }

    /**
     * Sets how long a partial batch (fewer than 8 lines) of an HTTP or TCP input may wait for
     * more lines before it is dispatched anyway (0: until it is full or the input ends). Bounds
     * both the time an idle connection holds a pool buffer and a receipt's latency on a slow
     * stream; a sender pausing mid-batch for longer splits the batch there, so over the network
     * batch boundaries, hence the head, may depend on timing. Files and in-memory input never
     * linger.
     */
    public PipelineOptions setBatchLingerMillis(long batchLingerMillis) {
        this.batchLingerMillis = batchLingerMillis;
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PipelineOptions && toJson().equals(((PipelineOptions) o).toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    /** The options as JSON, with {@code webhookUrl} redacted: safe to log. */
    @Override
    public String toString() {
        JsonObject json = toJson();
        if (webhookUrl != null) {
            json.put("webhookUrl", WebhookSink.redact(webhookUrl));
        }
        return json.encode();
    }
}
