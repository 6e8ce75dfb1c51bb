package io.github.hotpool.core;

import java.util.Map;

/**
 * An immutable snapshot of a ring's counters and cursors. Counters are monotonic from
 * construction. The snapshot reads the stages last-declared first, then the producer, and again
 * if a claim landed meanwhile, so it always shows a state the ring could have been in: every
 * stage at or behind the stages it runs after and at or behind {@code published}, {@code
 * published} at or behind {@code claimed}, and {@code claimed - gating} within the capacity (within
 * the capacity plus the previous one, while an adaptive ring still holds rows from before a resize).
 * Thread-safe.
 *
 * @param name ring name
 * @param capacity rows in the ring
 * @param claimed rows claimed since construction (the next sequence to claim)
 * @param published rows published (the first sequence not yet published)
 * @param gating the first sequence some terminal stage has not passed: rows before it are free
 * @param fullAnswers claims answered "no room"
 * @param waits claims that armed the wake-up and still found no room: the producer waited
 * @param wakeUps wake-up signals run by the stages
 * @param failedRows rows marked failed (each row counted once per lap)
 * @param highestOccupancy most rows claimed and not yet free, as the producer sampled it each time it
 *     read the gating cursors (at least once a lap and on every "no room"): a lower bound of the peak
 * @param stageCursors each stage's cursor (the first sequence it has not passed), in declaration order
 * @param maxCapacity the most rows the ring may hold (its capacity when fixed)
 * @param grows resizes that grew the ring since construction
 * @param shrinks resizes that shrank it
 * @param bytesReserved off-heap bytes of the slabs the ring holds at the snapshot (the current
 *     one, and the previous one while a holder may still hold a row of it)
 */
public record RingStats(String name, int capacity, long claimed, long published, long gating, long fullAnswers,
                        long waits, long wakeUps, long failedRows, int highestOccupancy,
                        Map<String, Long> stageCursors, int maxCapacity, long grows, long shrinks,
                        long bytesReserved) {

    /**
     * The snapshot of a fixed ring as before adaptive capacity: maximum, grows, shrinks and bytes
     * reserved read 0.
     */
    public RingStats(String name, int capacity, long claimed, long published, long gating, long fullAnswers,
                     long waits, long wakeUps, long failedRows, int highestOccupancy, Map<String, Long> stageCursors) {
        this(name, capacity, claimed, published, gating, fullAnswers, waits, wakeUps, failedRows, highestOccupancy,
            stageCursors, 0, 0, 0, 0);
    }

    /** Copies the cursor map, keeping its order. */
    public RingStats {
        stageCursors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(stageCursors));
    }

    /** @return rows claimed and not yet free at the time of the snapshot, 0..capacity (see above for an adaptive ring) */
    public long occupancy() {
        return claimed - gating;
    }
}
