package io.github.hotpool.core;

/**
 * An immutable snapshot of a pool's counters (the original {@code stats}). Counters are
 * monotonic from construction. Thread-safe.
 *
 * @param name pool name
 * @param acquired SoA buffer leases handed out
 * @param released SoA buffer leases given back, on any thread
 * @param remoteReleases of those, given back from a thread other than the owner
 * @param exhausted acquires that found every SoA buffer in use
 * @param highWaterMark most SoA buffers in use at once since construction or clear
 * @param hits acquires served straight from the owner's LIFO stack of recently released buffers
 * @param allocatingCalls acquire/release calls that allocated on the Java heap; measured only with
 *     {@code -Dhotpool.profile=true}, otherwise 0
 * @param receiptsAcquired receipt leases handed out
 * @param receiptsReleased receipt leases given back
 * @param receiptsExhausted receipt requests that found every receipt in use
 * @param receiptHighWaterMark most receipts in use at once since construction or clear
 * @param soaCapacity SoA buffers in the pool at the snapshot (changes only with adaptive capacity)
 * @param maxSoaCapacity the most SoA buffers the pool may hold (its capacity when fixed)
 * @param grows segments added since construction
 * @param shrinks segments retired since construction
 * @param soaBytesReserved off-heap bytes of the SoA slabs in the pool at the snapshot
 */
public record PoolStats(String name, long acquired, long released, long remoteReleases, long exhausted,
                        int highWaterMark, long hits, long allocatingCalls, long receiptsAcquired,
                        long receiptsReleased, long receiptsExhausted, int receiptHighWaterMark,
                        int soaCapacity, int maxSoaCapacity, long grows, long shrinks, long soaBytesReserved) {

    /**
     * The snapshot of a fixed pool, as before adaptive capacity: capacity, maximum and bytes
     * reserved read 0, grows and shrinks 0.
     */
    public PoolStats(String name, long acquired, long released, long remoteReleases, long exhausted,
                     int highWaterMark, long hits, long allocatingCalls, long receiptsAcquired,
                     long receiptsReleased, long receiptsExhausted, int receiptHighWaterMark) {
        this(name, acquired, released, remoteReleases, exhausted, highWaterMark, hits, allocatingCalls,
            receiptsAcquired, receiptsReleased, receiptsExhausted, receiptHighWaterMark, 0, 0, 0, 0, 0);
    }

    /**
     * The original's "cache hit rate": the share of successful acquires served from the stack of
     * buffers released on the owner thread (most recently released first, so likely still in
     * L1/L2) rather than after draining returns from other threads.
     *
     * @return hits / acquired, or 0 before the first acquire
     */
    public double hitRate() {
        return acquired == 0 ? 0 : (double) hits / acquired;
    }

    /** @return SoA buffers leased at the time of the snapshot */
    public long inUse() {
        return acquired - released;
    }
}
