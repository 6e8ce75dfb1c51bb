package io.github.hotpool.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Shape of one ring ({@link DeltaRing} or {@link AssertionRing}): its name, its capacity in rows
 * and its consumer stages. The default capacity, 1024 rows, is the original design's total: 8,192
 * triples in a delta ring, 1,024 receipts in an assertion ring.
 *
 * <p>Stages are declared in order and may only run after stages declared before them, so the
 * declaration order is the pipeline's order and there can be no cycle:
 *
 * <pre>{@code
 * new RingOptions().setName("delta").chain("transform", "load", "reflex", "emit");   // a chain
 * new RingOptions().addStage("parse").addStage("audit").addStage("emit", "parse", "audit"); // fan-out, fan-in
 * }</pre>
 *
 * <p><b>Adaptive capacity</b> is opt-in: with a {@link CapacityPolicy} other than {@link
 * CapacityPolicy#FIXED}, {@code capacity} is the minimum and {@code maxCapacity} the maximum, and
 * the ring changes capacity in steps of {@code growthFactor} (a power of two, so every capacity is
 * one and a row stays {@code seq & mask}), only in the owner-thread calls {@link Ring#maintain},
 * {@link Ring#grow} and {@link Ring#shrink}. A resize takes effect from a sequence boundary: see
 * {@link Ring}.
 *
 * <p>Mutable and not thread-safe: configure it, then hand it to a ring, which copies it.
 */
public final class RingOptions {

    /** Default rows per ring: 1024 (8,192 triples in a delta ring). */
    public static final int DEFAULT_CAPACITY = 1024;
    /** Largest capacity: 2^20 rows (a delta ring of that size holds 320 MiB). */
    public static final int MAX_CAPACITY = 1 << 20;
    /** Most stages per ring; a row's status word records the failing stage in 8 bits. */
    public static final int MAX_STAGES = 32;
    /** Default ring name, used in error messages and stats. */
    public static final String DEFAULT_NAME = "ring";

    /** Default policy: {@link CapacityPolicy#FIXED}, one slab for the ring's life. */
    public static final CapacityPolicy DEFAULT_CAPACITY_POLICY = CapacityPolicy.FIXED;
    /** Default maximum of an adaptive ring: 0, meaning {@code capacity} (no room to grow). */
    public static final int DEFAULT_MAX_CAPACITY = 0;
    /** Default factor of one growth (and one shrink) step: the capacity doubles. */
    public static final int DEFAULT_GROWTH_FACTOR = 2;
    /** Default idle period before an adaptive ring shrinks one step, in milliseconds. */
    public static final long DEFAULT_IDLE_MILLIS = 1_000;
    /** Default high-water share of the capacity that grows a {@link CapacityPolicy#GROW_ON_HIGH_WATER} ring. */
    public static final int DEFAULT_GROW_AT_PERCENT = 90;

    private int capacity = DEFAULT_CAPACITY;
    private String name = DEFAULT_NAME;
    private List<RingStage> stages = new ArrayList<>();
    private CapacityPolicy capacityPolicy = DEFAULT_CAPACITY_POLICY;
    private int maxCapacity = DEFAULT_MAX_CAPACITY;
    private int growthFactor = DEFAULT_GROWTH_FACTOR;
    private long idleMillis = DEFAULT_IDLE_MILLIS;
    private int growAtPercent = DEFAULT_GROW_AT_PERCENT;

    /** Options with every default and no stage yet. */
    public RingOptions() {
    }

    /**
     * Copy constructor.
     *
     * @param other options to copy
     */
    public RingOptions(RingOptions other) {
        this.capacity = other.capacity;
        this.name = other.name;
        this.stages = new ArrayList<>(other.stages);
        this.capacityPolicy = other.capacityPolicy;
        this.maxCapacity = other.maxCapacity;
        this.growthFactor = other.growthFactor;
        this.idleMillis = other.idleMillis;
        this.growAtPercent = other.growAtPercent;
    }

    /** @return how the ring's capacity is sized: fixed (the default) or adaptive */
    public CapacityPolicy getCapacityPolicy() {
        return capacityPolicy;
    }

    /**
     * @param capacityPolicy {@link CapacityPolicy#FIXED}, or an adaptive policy
     * @return this
     */
    public RingOptions setCapacityPolicy(CapacityPolicy capacityPolicy) {
        this.capacityPolicy = capacityPolicy;
        return this;
    }

    /** @return the most rows an adaptive ring may hold; 0 means {@code capacity} */
    public int getMaxCapacity() {
        return maxCapacity;
    }

    /**
     * @param maxCapacity the most rows an adaptive ring may hold: {@code capacity} times a power of
     *     {@code growthFactor}, at most {@value #MAX_CAPACITY}; or 0 for {@code capacity}
     * @return this
     */
    public RingOptions setMaxCapacity(int maxCapacity) {
        this.maxCapacity = maxCapacity;
        return this;
    }

    /** @return the factor one growth step multiplies the capacity by (one shrink step divides by it) */
    public int getGrowthFactor() {
        return growthFactor;
    }

    /**
     * @param growthFactor a power of two, at least 2 (default 2: the capacity doubles)
     * @return this
     */
    public RingOptions setGrowthFactor(int growthFactor) {
        this.growthFactor = growthFactor;
        return this;
    }

    /** @return the idle period before an adaptive ring shrinks one step, in milliseconds */
    public long getIdleMillis() {
        return idleMillis;
    }

    /**
     * @param idleMillis idle period before an adaptive ring shrinks one step, at least 1 ms
     * @return this
     */
    public RingOptions setIdleMillis(long idleMillis) {
        this.idleMillis = idleMillis;
        return this;
    }

    /** @return the share of the capacity, in percent, that grows a {@link CapacityPolicy#GROW_ON_HIGH_WATER} ring */
    public int getGrowAtPercent() {
        return growAtPercent;
    }

    /**
     * @param growAtPercent 1..100
     * @return this
     */
    public RingOptions setGrowAtPercent(int growAtPercent) {
        this.growAtPercent = growAtPercent;
        return this;
    }

    /** @return true unless the policy is {@link CapacityPolicy#FIXED} */
    public boolean isAdaptive() {
        return capacityPolicy != CapacityPolicy.FIXED;
    }

    /** @return the most rows the ring may ever hold: {@code capacity} when fixed or when maxCapacity is 0 */
    public int effectiveMaxCapacity() {
        return !isAdaptive() || maxCapacity == 0 ? capacity : maxCapacity;
    }

    /** @return rows in the ring */
    public int getCapacity() {
        return capacity;
    }

    /**
     * @param capacity rows in the ring: a power of two in [1, {@value #MAX_CAPACITY}]
     * @return this
     */
    public RingOptions setCapacity(int capacity) {
        this.capacity = capacity;
        return this;
    }

    /** @return the ring name */
    public String getName() {
        return name;
    }

    /**
     * @param name ring name for messages and stats, not blank
     * @return this
     */
    public RingOptions setName(String name) {
        this.name = name;
        return this;
    }

    /** @return the stages in declaration order (an unmodifiable copy) */
    public List<RingStage> getStages() {
        return List.copyOf(stages);
    }

    /**
     * Replaces every stage.
     *
     * @param stages the stages in declaration order
     * @return this
     */
    public RingOptions setStages(List<RingStage> stages) {
        this.stages = new ArrayList<>(stages);
        return this;
    }

    /**
     * Declares a stage.
     *
     * @param name the stage name, unique in the ring
     * @param after stages declared before it that it runs after; none: it runs after the producer
     * @return this
     */
    public RingOptions addStage(String name, String... after) {
        stages.add(RingStage.of(name, after));
        return this;
    }

    /**
     * Declares a chain of stages, each running after the one before it; the first runs after the
     * producer.
     *
     * @param names the stages in pipeline order
     * @return this
     */
    public RingOptions chain(String... names) {
        for (int i = 0; i < names.length; i++) {
            if (i == 0) {
                addStage(names[0]);
            } else {
                addStage(names[i], names[i - 1]);
            }
        }
        return this;
    }

    /**
     * Checks every field; the message names the value and the limit.
     *
     * @return this
     * @throws IllegalArgumentException on the first invalid field
     */
    public RingOptions validate() {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be in [1, " + MAX_CAPACITY + "]: " + capacity);
        }
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank: " + (name == null ? "null" : "'" + name + "'"));
        }
        if (stages.isEmpty() || stages.size() > MAX_STAGES) {
            throw new IllegalArgumentException("stages must number 1 to " + MAX_STAGES + ": " + stages.size()
                + (stages.isEmpty() ? " (declare them with addStage or chain)" : ""));
        }
        validateCapacity();
        Set<String> declared = new HashSet<>();
        List<String> order = new ArrayList<>();
        for (RingStage s : stages) {
            if (s == null) {
                throw new IllegalArgumentException("stage " + order.size() + " is null");
            }
            if (s.name() == null || s.name().isBlank()) {
                throw new IllegalArgumentException("stage name must not be blank: "
                    + (s.name() == null ? "null" : "'" + s.name() + "'") + " (stage " + order.size() + ")");
            }
            if (declared.contains(s.name())) {
                throw new IllegalArgumentException("stage '" + s.name() + "' is declared twice");
            }
            Set<String> seen = new HashSet<>();
            for (String a : s.after()) {
                if (!declared.contains(a)) {
                    throw new IllegalArgumentException("stage '" + s.name() + "' runs after '" + a
                        + "', which is not declared before it (declared before it: " + order + ")");
                }
                if (!seen.add(a)) {
                    throw new IllegalArgumentException("stage '" + s.name() + "' names '" + a + "' twice in its after list");
                }
            }
            declared.add(s.name());
            order.add(s.name());
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
        if (growthFactor < 2 || Integer.bitCount(growthFactor) != 1) {
            throw new IllegalArgumentException("growthFactor must be a power of two, at least 2: " + growthFactor);
        }
        int max = effectiveMaxCapacity();
        if (max < capacity || max > MAX_CAPACITY) {
            throw new IllegalArgumentException("maxCapacity must be in [capacity " + capacity + ", " + MAX_CAPACITY
                + "] (or 0): maxCapacity=" + maxCapacity);
        }
        long c = capacity;
        while (c < max) {
            c *= growthFactor;
        }
        if (c != max) {
            throw new IllegalArgumentException("maxCapacity " + max + " must be capacity " + capacity
                + " times a power of growthFactor " + growthFactor);
        }
        if (idleMillis < 1) {
            throw new IllegalArgumentException("idleMillis must be at least 1: " + idleMillis);
        }
        if (growAtPercent < 1 || growAtPercent > 100) {
            throw new IllegalArgumentException("growAtPercent must be in [1, 100]: " + growAtPercent);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RingOptions)) {
            return false;
        }
        RingOptions that = (RingOptions) o;
        return capacity == that.capacity && Objects.equals(name, that.name) && stages.equals(that.stages)
            && capacityPolicy == that.capacityPolicy && maxCapacity == that.maxCapacity
            && growthFactor == that.growthFactor && idleMillis == that.idleMillis && growAtPercent == that.growAtPercent;
    }

    @Override
    public int hashCode() {
        return Objects.hash(capacity, name, stages, capacityPolicy, maxCapacity, growthFactor, idleMillis, growAtPercent);
    }

    @Override
    public String toString() {
        return "RingOptions{name=" + name + ", capacity=" + capacity + ", stages=" + stages + ", capacityPolicy="
            + capacityPolicy + ", maxCapacity=" + maxCapacity + ", growthFactor=" + growthFactor + ", idleMillis="
            + idleMillis + ", growAtPercent=" + growAtPercent + '}';
    }
}
