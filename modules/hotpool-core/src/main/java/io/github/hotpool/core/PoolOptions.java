package io.github.hotpool.core;

import java.util.Objects;

/**
 * Sizes of one {@link BufferPool}. Defaults follow the original design: 16 SoA buffers of
 * {@link SoaLayout#MAX_RUN_LEN} triples and 1024 receipts.
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

    private int soaBuffers = DEFAULT_SOA_BUFFERS;
    private int receipts = DEFAULT_RECEIPTS;
    private int receiptsPerBuffer = DEFAULT_RECEIPTS_PER_BUFFER;
    private String name = DEFAULT_NAME;

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
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank: name=" + (name == null ? "null" : "'" + name + "'"));
        }
        return this;
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
            && receiptsPerBuffer == that.receiptsPerBuffer && Objects.equals(name, that.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(soaBuffers, receipts, receiptsPerBuffer, name);
    }

    @Override
    public String toString() {
        return "PoolOptions{name=" + name + ", soaBuffers=" + soaBuffers + ", receipts=" + receipts
            + ", receiptsPerBuffer=" + receiptsPerBuffer + '}';
    }
}
