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

    private int capacity = DEFAULT_CAPACITY;
    private String name = DEFAULT_NAME;
    private List<RingStage> stages = new ArrayList<>();

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

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RingOptions)) {
            return false;
        }
        RingOptions that = (RingOptions) o;
        return capacity == that.capacity && Objects.equals(name, that.name) && stages.equals(that.stages);
    }

    @Override
    public int hashCode() {
        return Objects.hash(capacity, name, stages);
    }

    @Override
    public String toString() {
        return "RingOptions{name=" + name + ", capacity=" + capacity + ", stages=" + stages + '}';
    }
}
