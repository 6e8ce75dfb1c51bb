package io.github.hotpool.vertx;

import io.github.hotpool.core.CapacityPolicy;
import io.github.hotpool.core.PoolOptions;
import io.vertx.core.json.JsonObject;

/**
 * Options of one context-local pool, in the Vert.x options shape: {@code DEFAULT_*} constants,
 * no-arg, copy and {@link JsonObject} constructors, {@link #toJson()}, fluent setters.
 *
 * <p>Wraps the core {@link PoolOptions} (sizes and name) and adds what only the Vert.x binding
 * does: the exhaustion policy with its wait queue, and the leak watch. JSON keys are the property
 * names ({@code soaBuffers}, {@code receipts}, {@code receiptsPerBuffer}, {@code name},
 * {@code exhaustionPolicy}, {@code maxWaitQueueSize}, {@code waitTimeoutMillis}, {@code leakLevel},
 * {@code leakThresholdMillis}, and for adaptive capacity {@code capacityPolicy}, {@code maxSoaBuffers},
 * {@code growthStep}, {@code idleMillis}, {@code growAtPercent}, {@code capacityCheckMillis}); a
 * verticle's config passes them under the key {@link #CONFIG_KEY}. The conversion is the field
 * table {@link #FIELDS}, read strictly ({@link JsonOptions}): an unknown key is an error.
 *
 * <p>Adaptive capacity (off by default): the pool's capacity keeper runs the core pool's policy
 * step ({@link io.github.hotpool.core.BufferPool#maintain(long)}) every {@code capacityCheckMillis}
 * on the owner context, and once more, as its own task, whenever a request has to wait.
 *
 * <p>Thread-safety: a mutable value object, not thread-safe; pools copy it when they are built.
 */
public final class HotpoolOptions extends JsonOptions {

    /** Key of the options object inside a verticle's {@code config()}. */
    public static final String CONFIG_KEY = "hotpool";
    public static final int DEFAULT_SOA_BUFFERS = PoolOptions.DEFAULT_SOA_BUFFERS;
    public static final int DEFAULT_RECEIPTS = PoolOptions.DEFAULT_RECEIPTS;
    public static final int DEFAULT_RECEIPTS_PER_BUFFER = PoolOptions.DEFAULT_RECEIPTS_PER_BUFFER;
    /** No name: the pool is named after its deployment and context. */
    public static final String DEFAULT_NAME = null;
    public static final ExhaustionPolicy DEFAULT_EXHAUSTION_POLICY = ExhaustionPolicy.FAIL;
    public static final int DEFAULT_MAX_WAIT_QUEUE_SIZE = 1024;
    public static final long DEFAULT_WAIT_TIMEOUT_MILLIS = 1_000;
    public static final LeakLevel DEFAULT_LEAK_LEVEL = LeakLevel.SIMPLE;
    public static final long DEFAULT_LEAK_THRESHOLD_MILLIS = 30_000;
    public static final CapacityPolicy DEFAULT_CAPACITY_POLICY = PoolOptions.DEFAULT_CAPACITY_POLICY;
    public static final int DEFAULT_MAX_SOA_BUFFERS = PoolOptions.DEFAULT_MAX_SOA_BUFFERS;
    public static final int DEFAULT_GROWTH_STEP = PoolOptions.DEFAULT_GROWTH_STEP;
    public static final long DEFAULT_IDLE_MILLIS = PoolOptions.DEFAULT_IDLE_MILLIS;
    public static final int DEFAULT_GROW_AT_PERCENT = PoolOptions.DEFAULT_GROW_AT_PERCENT;
    /** Default period of an adaptive pool's capacity check, in milliseconds. */
    public static final long DEFAULT_CAPACITY_CHECK_MILLIS = 100;

    /** The JSON fields, each declared once: what {@link #HotpoolOptions(JsonObject)} reads and {@link #toJson()} writes. */
    public static final Fields<HotpoolOptions> FIELDS = fields("hotpool", HotpoolOptions::new)
        .integer("soaBuffers", HotpoolOptions::getSoaBuffers, HotpoolOptions::setSoaBuffers)
        .integer("receipts", HotpoolOptions::getReceipts, HotpoolOptions::setReceipts)
        .integer("receiptsPerBuffer", HotpoolOptions::getReceiptsPerBuffer, HotpoolOptions::setReceiptsPerBuffer)
        .oneOf("exhaustionPolicy", ExhaustionPolicy.class, HotpoolOptions::getExhaustionPolicy,
            HotpoolOptions::setExhaustionPolicy)
        .integer("maxWaitQueueSize", HotpoolOptions::getMaxWaitQueueSize, HotpoolOptions::setMaxWaitQueueSize)
        .longInteger("waitTimeoutMillis", HotpoolOptions::getWaitTimeoutMillis, HotpoolOptions::setWaitTimeoutMillis)
        .oneOf("leakLevel", LeakLevel.class, HotpoolOptions::getLeakLevel, HotpoolOptions::setLeakLevel)
        .longInteger("leakThresholdMillis", HotpoolOptions::getLeakThresholdMillis, HotpoolOptions::setLeakThresholdMillis)
        .oneOf("capacityPolicy", CapacityPolicy.class, HotpoolOptions::getCapacityPolicy, HotpoolOptions::setCapacityPolicy)
        .integer("maxSoaBuffers", HotpoolOptions::getMaxSoaBuffers, HotpoolOptions::setMaxSoaBuffers)
        .integer("growthStep", HotpoolOptions::getGrowthStep, HotpoolOptions::setGrowthStep)
        .longInteger("idleMillis", HotpoolOptions::getIdleMillis, HotpoolOptions::setIdleMillis)
        .integer("growAtPercent", HotpoolOptions::getGrowAtPercent, HotpoolOptions::setGrowAtPercent)
        .longInteger("capacityCheckMillis", HotpoolOptions::getCapacityCheckMillis, HotpoolOptions::setCapacityCheckMillis)
        .bool("spreadOverNumaNodes", HotpoolOptions::isSpreadOverNumaNodes, HotpoolOptions::setSpreadOverNumaNodes)
        .string("name", HotpoolOptions::getName, HotpoolOptions::setName)
        .build();

    private int soaBuffers = DEFAULT_SOA_BUFFERS;
    private int receipts = DEFAULT_RECEIPTS;
    private int receiptsPerBuffer = DEFAULT_RECEIPTS_PER_BUFFER;
    private String name = DEFAULT_NAME;
    private ExhaustionPolicy exhaustionPolicy = DEFAULT_EXHAUSTION_POLICY;
    private int maxWaitQueueSize = DEFAULT_MAX_WAIT_QUEUE_SIZE;
    private long waitTimeoutMillis = DEFAULT_WAIT_TIMEOUT_MILLIS;
    private LeakLevel leakLevel = DEFAULT_LEAK_LEVEL;
    private long leakThresholdMillis = DEFAULT_LEAK_THRESHOLD_MILLIS;
    private CapacityPolicy capacityPolicy = DEFAULT_CAPACITY_POLICY;
    private int maxSoaBuffers = DEFAULT_MAX_SOA_BUFFERS;
    private int growthStep = DEFAULT_GROWTH_STEP;
    private long idleMillis = DEFAULT_IDLE_MILLIS;
    private int growAtPercent = DEFAULT_GROW_AT_PERCENT;
    private long capacityCheckMillis = DEFAULT_CAPACITY_CHECK_MILLIS;
    private boolean spreadOverNumaNodes;

    /** Options with every default. */
    public HotpoolOptions() {
    }

    /** @param other options to copy */
    public HotpoolOptions(HotpoolOptions other) {
        this(other.toJson());
    }

    /**
     * Reads options from JSON, strictly; absent keys keep their defaults.
     *
     * @param json options as written by {@link #toJson()}
     * @throws IllegalArgumentException naming the key of an unknown field, or of a value with the
     *     wrong type, out of the int range or an unknown enum constant
     */
    public HotpoolOptions(JsonObject json) {
        FIELDS.read(json, this);
    }

    /** @return these options as JSON, readable by {@link #HotpoolOptions(JsonObject)}; {@code name} only when set */
    @Override
    public JsonObject toJson() {
        return FIELDS.write(this);
    }

    public int getSoaBuffers() {
        return soaBuffers;
    }

    public HotpoolOptions setSoaBuffers(int soaBuffers) {
        this.soaBuffers = soaBuffers;
        return this;
    }

    public int getReceipts() {
        return receipts;
    }

    public HotpoolOptions setReceipts(int receipts) {
        this.receipts = receipts;
        return this;
    }

    public int getReceiptsPerBuffer() {
        return receiptsPerBuffer;
    }

    public HotpoolOptions setReceiptsPerBuffer(int receiptsPerBuffer) {
        this.receiptsPerBuffer = receiptsPerBuffer;
        return this;
    }

    /** @return the pool name, or null to name the pool after its deployment and context */
    public String getName() {
        return name;
    }

    public HotpoolOptions setName(String name) {
        this.name = name;
        return this;
    }

    public ExhaustionPolicy getExhaustionPolicy() {
        return exhaustionPolicy;
    }

    public HotpoolOptions setExhaustionPolicy(ExhaustionPolicy exhaustionPolicy) {
        this.exhaustionPolicy = exhaustionPolicy;
        return this;
    }

    /** @return most requests that may wait at once under {@link ExhaustionPolicy#WAIT} */
    public int getMaxWaitQueueSize() {
        return maxWaitQueueSize;
    }

    public HotpoolOptions setMaxWaitQueueSize(int maxWaitQueueSize) {
        this.maxWaitQueueSize = maxWaitQueueSize;
        return this;
    }

    /** @return how long a waiting request waits before it fails, in milliseconds */
    public long getWaitTimeoutMillis() {
        return waitTimeoutMillis;
    }

    public HotpoolOptions setWaitTimeoutMillis(long waitTimeoutMillis) {
        this.waitTimeoutMillis = waitTimeoutMillis;
        return this;
    }

    public LeakLevel getLeakLevel() {
        return leakLevel;
    }

    public HotpoolOptions setLeakLevel(LeakLevel leakLevel) {
        this.leakLevel = leakLevel;
        return this;
    }

    /** @return how long a buffer may be held before it is reported as a leak, in milliseconds */
    public long getLeakThresholdMillis() {
        return leakThresholdMillis;
    }

    public HotpoolOptions setLeakThresholdMillis(long leakThresholdMillis) {
        this.leakThresholdMillis = leakThresholdMillis;
        return this;
    }

    /** @return FIXED (the default) or an adaptive policy; see {@link PoolOptions#setCapacityPolicy} */
    public CapacityPolicy getCapacityPolicy() {
        return capacityPolicy;
    }

    public HotpoolOptions setCapacityPolicy(CapacityPolicy capacityPolicy) {
        this.capacityPolicy = capacityPolicy;
        return this;
    }

    /** @return the most SoA buffers an adaptive pool may hold; 0 means soaBuffers */
    public int getMaxSoaBuffers() {
        return maxSoaBuffers;
    }

    public HotpoolOptions setMaxSoaBuffers(int maxSoaBuffers) {
        this.maxSoaBuffers = maxSoaBuffers;
        return this;
    }

    /** @return SoA buffers per grown segment; 0 means soaBuffers */
    public int getGrowthStep() {
        return growthStep;
    }

    public HotpoolOptions setGrowthStep(int growthStep) {
        this.growthStep = growthStep;
        return this;
    }

    /** @return idle period before an adaptive pool retires a segment, in milliseconds */
    public long getIdleMillis() {
        return idleMillis;
    }

    public HotpoolOptions setIdleMillis(long idleMillis) {
        this.idleMillis = idleMillis;
        return this;
    }

    /** @return high-water share of the capacity, in percent, that grows a GROW_ON_HIGH_WATER pool */
    public int getGrowAtPercent() {
        return growAtPercent;
    }

    public HotpoolOptions setGrowAtPercent(int growAtPercent) {
        this.growAtPercent = growAtPercent;
        return this;
    }

    /** @return period of an adaptive pool's capacity check on its context, in milliseconds */
    public long getCapacityCheckMillis() {
        return capacityCheckMillis;
    }

    public HotpoolOptions setCapacityCheckMillis(long capacityCheckMillis) {
        this.capacityCheckMillis = capacityCheckMillis;
        return this;
    }

    /**
     * @return true if each context's pool pins its event-loop thread to the CPUs of the NUMA node
     *     {@link io.github.hotpool.core.NodeSpreader} assigns it, before the pool's slab is first touched
     */
    public boolean isSpreadOverNumaNodes() {
        return spreadOverNumaNodes;
    }

    /**
     * Opt-in (default false): when a context's pool is made on its event-loop thread, the thread is
     * first pinned to the CPUs of one NUMA node, event loops taking the nodes in turn, so the slab
     * zeroed next is first-touched there. Pinning needs Java 22+ on Linux ({@link
     * io.github.hotpool.core.Affinity}); elsewhere, or when the call fails, the pool says why in
     * {@link ContextPool#affinity()} and the thread goes on unpinned. See docs/pool.md for what it
     * cannot guarantee.
     *
     * @param spreadOverNumaNodes true to pin event loops over the nodes
     * @return this
     */
    public HotpoolOptions setSpreadOverNumaNodes(boolean spreadOverNumaNodes) {
        this.spreadOverNumaNodes = spreadOverNumaNodes;
        return this;
    }

    /**
     * Checks every value, core sizes included.
     *
     * @return this
     * @throws IllegalArgumentException naming the first bad value and its limit
     */
    public HotpoolOptions validate() {
        toPoolOptions("validation");
        if (exhaustionPolicy == null) {
            throw new IllegalArgumentException("exhaustionPolicy must not be null");
        }
        if (leakLevel == null) {
            throw new IllegalArgumentException("leakLevel must not be null");
        }
        if (maxWaitQueueSize < 1) {
            throw new IllegalArgumentException("maxWaitQueueSize must be at least 1: maxWaitQueueSize=" + maxWaitQueueSize);
        }
        if (waitTimeoutMillis < 1) {
            throw new IllegalArgumentException("waitTimeoutMillis must be at least 1: waitTimeoutMillis=" + waitTimeoutMillis);
        }
        if (leakThresholdMillis < 1) {
            throw new IllegalArgumentException("leakThresholdMillis must be at least 1: leakThresholdMillis=" + leakThresholdMillis);
        }
        if (capacityCheckMillis < 1) {
            throw new IllegalArgumentException("capacityCheckMillis must be at least 1: capacityCheckMillis=" + capacityCheckMillis);
        }
        return this;
    }

    /** Core options with {@code defaultName} when no name is set; validated. */
    PoolOptions toPoolOptions(String defaultName) {
        return new PoolOptions()
            .setSoaBuffers(soaBuffers)
            .setReceipts(receipts)
            .setReceiptsPerBuffer(receiptsPerBuffer)
            .setName(name != null ? name : defaultName)
            .setCapacityPolicy(capacityPolicy)
            .setMaxSoaBuffers(maxSoaBuffers)
            .setGrowthStep(growthStep)
            .setIdleMillis(idleMillis)
            .setGrowAtPercent(growAtPercent)
            .validate();
    }
}
