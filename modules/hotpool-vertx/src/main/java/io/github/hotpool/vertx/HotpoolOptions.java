package io.github.hotpool.vertx;

import io.github.hotpool.core.PoolOptions;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * Options of one context-local pool, in the Vert.x options shape: {@code DEFAULT_*} constants,
 * no-arg, copy and {@link JsonObject} constructors, {@link #toJson()}, fluent setters.
 *
 * <p>Wraps the core {@link PoolOptions} (sizes and name) and adds what only the Vert.x binding
 * does: the exhaustion policy with its wait queue, and the leak watch. JSON keys are the property
 * names ({@code soaBuffers}, {@code receipts}, {@code receiptsPerBuffer}, {@code name},
 * {@code exhaustionPolicy}, {@code maxWaitQueueSize}, {@code waitTimeoutMillis}, {@code leakLevel},
 * {@code leakThresholdMillis}); a verticle's config passes them under the key {@link #CONFIG_KEY}.
 *
 * <p>Thread-safety: a mutable value object, not thread-safe; pools copy it when they are built.
 */
public class HotpoolOptions {

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

    private int soaBuffers = DEFAULT_SOA_BUFFERS;
    private int receipts = DEFAULT_RECEIPTS;
    private int receiptsPerBuffer = DEFAULT_RECEIPTS_PER_BUFFER;
    private String name = DEFAULT_NAME;
    private ExhaustionPolicy exhaustionPolicy = DEFAULT_EXHAUSTION_POLICY;
    private int maxWaitQueueSize = DEFAULT_MAX_WAIT_QUEUE_SIZE;
    private long waitTimeoutMillis = DEFAULT_WAIT_TIMEOUT_MILLIS;
    private LeakLevel leakLevel = DEFAULT_LEAK_LEVEL;
    private long leakThresholdMillis = DEFAULT_LEAK_THRESHOLD_MILLIS;

    /** Options with every default. */
    public HotpoolOptions() {
    }

    /** @param other options to copy */
    public HotpoolOptions(HotpoolOptions other) {
        this.soaBuffers = other.soaBuffers;
        this.receipts = other.receipts;
        this.receiptsPerBuffer = other.receiptsPerBuffer;
        this.name = other.name;
        this.exhaustionPolicy = other.exhaustionPolicy;
        this.maxWaitQueueSize = other.maxWaitQueueSize;
        this.waitTimeoutMillis = other.waitTimeoutMillis;
        this.leakLevel = other.leakLevel;
        this.leakThresholdMillis = other.leakThresholdMillis;
    }

    /**
     * Reads options from JSON; absent keys keep their defaults.
     *
     * @param json options as written by {@link #toJson()}
     * @throws IllegalArgumentException naming the key when a value has the wrong type or an unknown enum constant
     */
    public HotpoolOptions(JsonObject json) {
        this();
        soaBuffers = intValue(json, "soaBuffers", soaBuffers);
        receipts = intValue(json, "receipts", receipts);
        receiptsPerBuffer = intValue(json, "receiptsPerBuffer", receiptsPerBuffer);
        Object n = json.getValue("name");
        if (n != null && !(n instanceof String)) {
            throw new IllegalArgumentException("hotpool option 'name' must be a string: name=" + n);
        }
        name = (String) n;
        exhaustionPolicy = enumValue(json, "exhaustionPolicy", ExhaustionPolicy.class, exhaustionPolicy);
        maxWaitQueueSize = intValue(json, "maxWaitQueueSize", maxWaitQueueSize);
        waitTimeoutMillis = longValue(json, "waitTimeoutMillis", waitTimeoutMillis);
        leakLevel = enumValue(json, "leakLevel", LeakLevel.class, leakLevel);
        leakThresholdMillis = longValue(json, "leakThresholdMillis", leakThresholdMillis);
    }

    /** @return these options as JSON, readable by {@link #HotpoolOptions(JsonObject)} */
    public JsonObject toJson() {
        JsonObject json = new JsonObject()
            .put("soaBuffers", soaBuffers)
            .put("receipts", receipts)
            .put("receiptsPerBuffer", receiptsPerBuffer)
            .put("exhaustionPolicy", exhaustionPolicy.name())
            .put("maxWaitQueueSize", maxWaitQueueSize)
            .put("waitTimeoutMillis", waitTimeoutMillis)
            .put("leakLevel", leakLevel.name())
            .put("leakThresholdMillis", leakThresholdMillis);
        if (name != null) {
            json.put("name", name);
        }
        return json;
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
        return this;
    }

    /** Core options with {@code defaultName} when no name is set; validated. */
    PoolOptions toPoolOptions(String defaultName) {
        return new PoolOptions()
            .setSoaBuffers(soaBuffers)
            .setReceipts(receipts)
            .setReceiptsPerBuffer(receiptsPerBuffer)
            .setName(name != null ? name : defaultName)
            .validate();
    }

    private static int intValue(JsonObject json, String key, int dflt) {
        long v = longValue(json, key, dflt);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("hotpool option '" + key + "' exceeds the int range: " + key + "=" + v);
        }
        return (int) v;
    }

    private static long longValue(JsonObject json, String key, long dflt) {
        Object v = json.getValue(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)) {
            throw new IllegalArgumentException("hotpool option '" + key + "' must be an integer: " + key + "=" + v);
        }
        return ((Number) v).longValue();
    }

    private static <E extends Enum<E>> E enumValue(JsonObject json, String key, Class<E> type, E dflt) {
        Object v = json.getValue(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Enum.valueOf(type, String.valueOf(v));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hotpool option '" + key + "' must be one of "
                + java.util.Arrays.toString(type.getEnumConstants()) + ": " + key + "=" + v, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof HotpoolOptions)) {
            return false;
        }
        HotpoolOptions that = (HotpoolOptions) o;
        return soaBuffers == that.soaBuffers && receipts == that.receipts
            && receiptsPerBuffer == that.receiptsPerBuffer && Objects.equals(name, that.name)
            && exhaustionPolicy == that.exhaustionPolicy && maxWaitQueueSize == that.maxWaitQueueSize
            && waitTimeoutMillis == that.waitTimeoutMillis && leakLevel == that.leakLevel
            && leakThresholdMillis == that.leakThresholdMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(soaBuffers, receipts, receiptsPerBuffer, name, exhaustionPolicy, maxWaitQueueSize,
            waitTimeoutMillis, leakLevel, leakThresholdMillis);
    }

    @Override
    public String toString() {
        return "HotpoolOptions" + toJson().encode();
    }
}
