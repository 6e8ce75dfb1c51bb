package io.github.hotpool.core;

import java.util.Objects;

/**
 * Sizes of one {@link BufferPool}. Defaults follow the original design: 16 SoA buffers of
 * {@link SoaLayout#MAX_RUN_LEN} triples and 1024 receipts, fixed.
 *
 * <p>Adaptive capacity is opt-in: with a {@link CapacityPolicy} other than {@link
 * CapacityPolicy#FIXED}, {@code soaBuffers} is the minimum (the base segment, never retired),
 * {@code maxSoaBuffers} the maximum, and the pool grows and shrinks between them in segments of
 * {@code growthStep} buffers ({@code maxSoaBuffers - soaBuffers} must be a multiple of it).
 * Receipts stay fixed.
 *
 * <p>Mutable and not thread-safe: configure it, then hand it to a pool, which copies it.
 */
public final class PoolOptions {

    /** Default number of SoA buffers per pool. */
    public static final int DEFAULT_SOA_BUFFERS = 16;
    /** Default number of receipt lines per pool. */
    public static final int DEFAULT_RECEIPTS = 1024;
    /** Default number of held receipts one SoA buffer can carry. */
    public static final int DEFAULT_RECEIPTS_PER_BUFFER = 64;
    /** Default pool name, used in error messages and metrics. */
    public static final String DEFAULT_NAME = "hotpool";
    /** Upper bound on SoA buffers per pool (the slab is indexed by int offsets). */
    public static final int MAX_SOA_BUFFERS = 1 << 20;
    /** Upper bound on receipts per pool. */
    public static final int MAX_RECEIPTS = 1 << 22;
    /** Default capacity policy: fixed. */
    public static final CapacityPolicy DEFAULT_CAPACITY_POLICY = CapacityPolicy.FIXED;
    /** Default maximum of an adaptive pool: 0, meaning {@code soaBuffers} (no room to grow). */
    public static final int DEFAULT_MAX_SOA_BUFFERS = 0;
    /** Default growth step: 0, meaning {@code soaBuffers} buffers per segment. */
    public static final int DEFAULT_GROWTH_STEP = 0;
    /** Default idle period before an adaptive pool retires a segment, in milliseconds. */
    public static final long DEFAULT_IDLE_MILLIS = 1_000;
    /** Default high-water share of the capacity that grows a {@link CapacityPolicy#GROW_ON_HIGH_WATER} pool. */
    public static final int DEFAULT_GROW_AT_PERCENT = 90;

    private int soaBuffers = DEFAULT_SOA_BUFFERS;
    private int receipts = DEFAULT_RECEIPTS;
    private int receiptsPerBuffer = DEFAULT_RECEIPTS_PER_BUFFER;
    private String name = DEFAULT_NAME;
    private CapacityPolicy capacityPolicy = DEFAULT_CAPACITY_POLICY;
    private int maxSoaBuffers = DEFAULT_MAX_SOA_BUFFERS;
    private int growthStep = DEFAULT_GROWTH_STEP;
    private long idleMillis = DEFAULT_IDLE_MILLIS;
    private int growAtPercent = DEFAULT_GROW_AT_PERCENT;

    /** Options with every default. */
    public PoolOptions() {
    }

    /**
     * Copy constructor.
     *
     * @param other options to copy
     */
    public PoolOptions(PoolOptions other) {
        this.soaBuffers = other.soaBuffers;
        this.receipts = other.receipts;
        this.receiptsPerBuffer = other.receiptsPerBuffer;
        this.name = other.name;
        this.capacityPolicy = other.capacityPolicy;
        this.maxSoaBuffers = other.maxSoaBuffers;
        this.growthStep = other.growthStep;
        this.idleMillis = other.idleMillis;
        this.growAtPercent = other.growAtPercent;
    }

    /** @return number of SoA buffers */
    public int getSoaBuffers() {
        return soaBuffers;
    }

    /**
     * @param soaBuffers number of SoA buffers, 1..{@value #MAX_SOA_BUFFERS}
     * @return this
     */
    public PoolOptions setSoaBuffers(int soaBuffers) {
        this.soaBuffers = soaBuffers;
        return this;
    }

    /** @return number of receipt lines */
    public int getReceipts() {
        return receipts;
    }

    /**
     * @param receipts number of receipt lines, 0..{@value #MAX_RECEIPTS}
     * @return this
     */
    public PoolOptions setReceipts(int receipts) {
        this.receipts = receipts;
        return this;
    }

    /** @return how many held receipts one SoA buffer can carry */
    public int getReceiptsPerBuffer() {
        return receiptsPerBuffer;
    }

    /**
     * @param receiptsPerBuffer how many held receipts one SoA buffer can carry, 0..receipts
     * @return this
     */
    public PoolOptions setReceiptsPerBuffer(int receiptsPerBuffer) {
        this.receiptsPerBuffer = receiptsPerBuffer;
        return this;
    }

    /** @return the pool name */
    public String getName() {
        return name;
    }

    /**
     * @param name pool name for messages and metrics, not blank
     * @return this
     */
    public PoolOptions setName(String name) {
        this.name = name;
        return this;
    }

    /** @return how the SoA capacity is sized: fixed (the default) or adaptive */
    public CapacityPolicy getCapacityPolicy() {
        return capacityPolicy;
    }

    /**
     * @param capacityPolicy {@link CapacityPolicy#FIXED}, or an adaptive policy
     * @return this
     */
    public PoolOptions setCapacityPolicy(CapacityPolicy capacityPolicy) {
        this.capacityPolicy = capacityPolicy;
        return this;
    }

    /** @return the most SoA buffers an adaptive pool may hold; 0 means {@code soaBuffers} */
    public int getMaxSoaBuffers() {
        return maxSoaBuffers;
    }

    /**
     * @param maxSoaBuffers the most SoA buffers an adaptive pool may hold, soaBuffers..{@value #MAX_SOA_BUFFERS}, or 0
     * @return this
     */
    public PoolOptions setMaxSoaBuffers(int maxSoaBuffers) {
        this.maxSoaBuffers = maxSoaBuffers;
        return this;
    }

    /** @return SoA buffers per grown segment; 0 means {@code soaBuffers} */
    public int getGrowthStep() {
        return growthStep;
    }

    /**
     * @param growthStep SoA buffers per grown segment (one aligned slab each), or 0 for {@code soaBuffers}
     * @return this
     */
    public PoolOptions setGrowthStep(int growthStep) {
        this.growthStep = growthStep;
        return this;
    }

    /** @return how long the last segment's worth of buffers must go unused before a segment is retired, in ms */
    public long getIdleMillis() {
        return idleMillis;
    }

    /**
     * @param idleMillis idle period before an adaptive pool retires a segment, at least 1 ms
     * @return this
     */
    public PoolOptions setIdleMillis(long idleMillis) {
        this.idleMillis = idleMillis;
        return this;
    }

    /** @return the high-water share of the capacity, in percent, that grows a GROW_ON_HIGH_WATER pool */
    public int getGrowAtPercent() {
        return growAtPercent;
    }

    /**
     * @param growAtPercent 1..100
     * @return this
     */
    public PoolOptions setGrowAtPercent(int growAtPercent) {
        this.growAtPercent = growAtPercent;
        return this;
    }

    /** @return true unless the policy is {@link CapacityPolicy#FIXED} */
    public boolean isAdaptive() {
        return capacityPolicy != CapacityPolicy.FIXED;
    }

    /** @return the most SoA buffers the pool may hold: soaBuffers when fixed, else the set maximum */
    public int effectiveMaxSoaBuffers() {
        return !isAdaptive() || maxSoaBuffers == 0 ? soaBuffers : maxSoaBuffers;
    }

    /** @return SoA buffers per grown segment, with the default applied */
    public int effectiveGrowthStep() {
        return growthStep == 0 ? soaBuffers : growthStep;
    }

    /**
     * Checks every field; the message names the field, the value and the limit.
     *
     * @return this
     * @throws IllegalArgumentException on the first invalid field
     */
    public PoolOptions validate() {
        if (soaBuffers < 1 || soaBuffers > MAX_SOA_BUFFERS) {
            throw new IllegalArgumentException(
                "soaBuffers must be in [1, " + MAX_SOA_BUFFERS + "]: soaBuffers=" + soaBuffers);
        }
        if (receipts < 0 || receipts > MAX_RECEIPTS) {
            throw new IllegalArgumentException(
                "receipts must be in [0, " + MAX_RECEIPTS + "]: receipts=" + receipts);
        }
        if (receiptsPerBuffer < 0 || receiptsPerBuffer > receipts) {
            throw new IllegalArgumentException("receiptsPerBuffer must be in [0, receipts " + receipts
                + "]: receiptsPerBuffer=" + receiptsPerBuffer);
        }
        validateCapacity();
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank: name=" + (name == null ? "null" : "'" + name + "'"));
        }
        return this;
    }

    private void validateCapacity() {
        if (capacityPolicy == null) {
            throw new IllegalArgumentException("capacityPolicy must not be null");
        }
        if (!isAdaptive()) {
            return;
        }
        int max = effectiveMaxSoaBuffers();
        if (max < soaBuffers || max > MAX_SOA_BUFFERS) {
            throw new IllegalArgumentException("maxSoaBuffers must be in [soaBuffers " + soaBuffers + ", "
                + MAX_SOA_BUFFERS + "] (or 0): maxSoaBuffers=" + maxSoaBuffers);
        }
        int step = effectiveGrowthStep();
        if (step < 1 || step > MAX_SOA_BUFFERS) {
            throw new IllegalArgumentException("growthStep must be in [1, " + MAX_SOA_BUFFERS + "] (or 0): growthStep="
                + growthStep);
        }
        if ((max - soaBuffers) % step != 0) {
            throw new IllegalArgumentException("maxSoaBuffers - soaBuffers must be a multiple of growthStep " + step
                + ": maxSoaBuffers=" + max + ", soaBuffers=" + soaBuffers);
        }
        if (idleMillis < 1) {
            throw new IllegalArgumentException("idleMillis must be at least 1: idleMillis=" + idleMillis);
        }
        if (growAtPercent < 1 || growAtPercent > 100) {
            throw new IllegalArgumentException("growAtPercent must be in [1, 100]: growAtPercent=" + growAtPercent);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PoolOptions)) {
            return false;
        }
        PoolOptions that = (PoolOptions) o;
        return soaBuffers == that.soaBuffers && receipts == that.receipts
            && receiptsPerBuffer == that.receiptsPerBuffer && Objects.equals(name, that.name)
            && capacityPolicy == that.capacityPolicy && maxSoaBuffers == that.maxSoaBuffers
            && growthStep == that.growthStep && idleMillis == that.idleMillis && growAtPercent == that.growAtPercent;
    }

    @Override
    public int hashCode() {
        return Objects.hash(soaBuffers, receipts, receiptsPerBuffer, name, capacityPolicy, maxSoaBuffers, growthStep,
            idleMillis, growAtPercent);
    }

    @Override
    public String toString() {
        return "PoolOptions{name=" + name + ", soaBuffers=" + soaBuffers + ", receipts=" + receipts
            + ", receiptsPerBuffer=" + receiptsPerBuffer + ", capacityPolicy=" + capacityPolicy
            + ", maxSoaBuffers=" + maxSoaBuffers + ", growthStep=" + growthStep + ", idleMillis=" + idleMillis
            + ", growAtPercent=" + growAtPercent + '}';
    }
}
