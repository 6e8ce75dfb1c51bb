package io.github.hotpool.core;

/**
 * How much of a pool is leased at one moment (the original {@code capacity_usage}).
 * Immutable and thread-safe.
 *
 * @param soaBuffersInUse SoA buffers leased
 * @param soaBuffersTotal SoA buffers in the pool
 * @param receiptsInUse receipts leased (run-scoped and held)
 * @param receiptsTotal receipts in the pool
 */
public record CapacityUsage(int soaBuffersInUse, int soaBuffersTotal, int receiptsInUse, int receiptsTotal) {

    /** @return fraction of SoA buffers in use, 0..1 */
    public double soaUtilisation() {
        return soaBuffersTotal == 0 ? 0 : (double) soaBuffersInUse / soaBuffersTotal;
    }

    /** @return fraction of receipts in use, 0..1 (0 for a pool without receipts) */
    public double receiptUtilisation() {
        return receiptsTotal == 0 ? 0 : (double) receiptsInUse / receiptsTotal;
    }

    @Override
    public String toString() {
        return "SoA buffers in use: " + soaBuffersInUse + '/' + soaBuffersTotal
            + ", receipts in use: " + receiptsInUse + '/' + receiptsTotal;
    }
}
