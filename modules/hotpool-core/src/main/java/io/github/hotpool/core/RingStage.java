package io.github.hotpool.core;

import java.util.List;

/**
 * One consumer stage of a ring, as declared in {@link RingOptions}: its name and the stages it
 * runs after. A stage may read a row only once every stage it runs after has passed it; a stage
 * that runs after none reads rows as soon as the producer publishes them. Immutable.
 *
 * @param name the stage name, unique in its ring, not blank
 * @param after names of stages declared before this one; empty: the stage runs after the producer
 */
public record RingStage(String name, List<String> after) {

    /** Copies {@code after}; rejects nulls. */
    public RingStage {
        after = List.copyOf(after);
    }

    /**
     * @param name the stage name
     * @param after names of stages declared before this one; none: runs after the producer
     * @return the stage
     */
    public static RingStage of(String name, String... after) {
        return new RingStage(name, List.of(after));
    }
}
