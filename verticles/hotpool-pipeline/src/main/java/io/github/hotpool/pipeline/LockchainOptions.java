package io.github.hotpool.pipeline;

import io.github.hotpool.pipeline.store.Durability;
import io.github.hotpool.pipeline.store.ReceiptStore;
import io.github.hotpool.vertx.JsonOptions;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * The lockchain part of {@link PipelineOptions} (JSON key {@code lockchain}): where receipts and
 * seals are written, how many receipts a cycle holds, and when they are forced to disk (group
 * commit; docs/lockchain.md). Vert.x options shape; mutable, not thread-safe.
 */
public final class LockchainOptions extends JsonOptions {

    static final String PART = "lockchain";

    public static final int DEFAULT_CYCLE_RECEIPTS = 1024;
    /** No idle seal: cycles seal when full, on flush and at shutdown only. */
    public static final long DEFAULT_CYCLE_IDLE_MILLIS = 0;
    /** Vert.x's own default write-queue bound of an {@code AsyncFile}. */
    public static final int DEFAULT_RECEIPTS_WRITE_QUEUE_BYTES = 4 * 1024 * 1024;
    /** Group commit: receipts are forced and acknowledged in batches (see {@link Durability#BATCH}). */
    public static final Durability DEFAULT_DURABILITY = Durability.BATCH;
    /** Group commit: at most this long between a receipt being appended and its forced flush. */
    public static final long DEFAULT_SYNC_MILLIS = 10;
    /** Group commit: a flush starts as soon as this many receipts wait. */
    public static final int DEFAULT_SYNC_RECEIPTS = 4096;

    /** The JSON fields, each declared once: what {@link #LockchainOptions(JsonObject)} reads and {@link #toJson()} writes. */
    public static final Fields<LockchainOptions> FIELDS = fields("lockchain", LockchainOptions::new)
        .integer("cycleReceipts", LockchainOptions::getCycleReceipts, LockchainOptions::setCycleReceipts)
        .longInteger("cycleIdleMillis", LockchainOptions::getCycleIdleMillis, LockchainOptions::setCycleIdleMillis)
        .integer("receiptsWriteQueueBytes", LockchainOptions::getReceiptsWriteQueueBytes,
            LockchainOptions::setReceiptsWriteQueueBytes)
        .oneOf("durability", Durability.class, LockchainOptions::getDurability, LockchainOptions::setDurability)
        .longInteger("syncMillis", LockchainOptions::getSyncMillis, LockchainOptions::setSyncMillis)
        .integer("syncReceipts", LockchainOptions::getSyncReceipts, LockchainOptions::setSyncReceipts)
        .string("outDir", LockchainOptions::getOutDir, LockchainOptions::setOutDir)
        .build();

    private String outDir;
    private int cycleReceipts = DEFAULT_CYCLE_RECEIPTS;
    private long cycleIdleMillis = DEFAULT_CYCLE_IDLE_MILLIS;
    private int receiptsWriteQueueBytes = DEFAULT_RECEIPTS_WRITE_QUEUE_BYTES;
    private Durability durability = DEFAULT_DURABILITY;
    private long syncMillis = DEFAULT_SYNC_MILLIS;
    private int syncReceipts = DEFAULT_SYNC_RECEIPTS;

    /** Defaults: no files (receipts in memory only), 1024-receipt cycles, batch durability. */
    public LockchainOptions() {
    }

    /** A copy of {@code other}. */
    public LockchainOptions(LockchainOptions other) {
        this(other.toJson());
    }

    /**
     * @param json the {@code lockchain} object; absent fields keep their defaults
     * @throws IllegalArgumentException for an unknown field, a value of the wrong type or an
     *     unknown durability (read in any case)
     */
    public LockchainOptions(JsonObject json) {
        FIELDS.read(json, this);
    }

    /** @return this part as JSON, readable by {@link #LockchainOptions(JsonObject)} */
    @Override
    public JsonObject toJson() {
        return FIELDS.write(this);
    }

    void validate() {
        requireRange(PART, "cycleReceipts", cycleReceipts, 1, ReceiptStore.MAX_CYCLE_RECEIPTS);
        requireRange(PART, "cycleIdleMillis", cycleIdleMillis, 0, 86_400_000);
        requireRange(PART, "receiptsWriteQueueBytes", receiptsWriteQueueBytes, 2, 1 << 30);
        requireRange(PART, "syncMillis", syncMillis, 0, 60_000);
        requireRange(PART, "syncReceipts", syncReceipts, 1, 1 << 24);
    }

    /**
     * The group-commit rule both pipelines' Emit follows: whether to start a flush of {@code store}
     * now rather than at the sync timer.
     *
     * @param waiters someone waits for the next flush (flush(), a seal, shutdown)
     * @param fullQueue the receipts write queue is over {@code receiptsWriteQueueBytes} with batches
     *     waiting on it
     */
    boolean flushNow(ReceiptStore store, boolean waiters, boolean fullQueue) {
        return store.dir() == null || durability == Durability.FSYNC || syncMillis == 0 || waiters || fullQueue
            || store.bufferedReceipts() >= syncReceipts;
    }

    public String getOutDir() {
        return outDir;
    }

    /** Sets the directory of {@code receipts.jsonl} and {@code lockchain.jsonl} (null: no files). */
    public LockchainOptions setOutDir(String outDir) {
        this.outDir = outDir;
        return this;
    }

    public int getCycleReceipts() {
        return cycleReceipts;
    }

    /** Sets how many receipts a lockchain cycle holds before Emit seals it. */
    public LockchainOptions setCycleReceipts(int cycleReceipts) {
        this.cycleReceipts = cycleReceipts;
        return this;
    }

    public long getCycleIdleMillis() {
        return cycleIdleMillis;
    }

    /**
     * Sets how old the oldest receipt of the open cycle may get before Emit seals the cycle
     * anyway (0: never; cycles then seal when full, on flush and at shutdown). Makes cycle
     * boundaries, hence the head, depend on timing.
     */
    public LockchainOptions setCycleIdleMillis(long cycleIdleMillis) {
        this.cycleIdleMillis = cycleIdleMillis;
        return this;
    }

    public int getReceiptsWriteQueueBytes() {
        return receiptsWriteQueueBytes;
    }

    /** Sets how many bytes may wait for the receipt store's next flush before Emit holds its input (back-pressure). */
    public LockchainOptions setReceiptsWriteQueueBytes(int receiptsWriteQueueBytes) {
        this.receiptsWriteQueueBytes = receiptsWriteQueueBytes;
        return this;
    }

    public Durability getDurability() {
        return durability;
    }

    /** Sets when receipts are forced to disk, and so when inputs are acknowledged (docs/lockchain.md). */
    public LockchainOptions setDurability(Durability durability) {
        this.durability = Objects.requireNonNull(durability, "durability");
        return this;
    }

    public long getSyncMillis() {
        return syncMillis;
    }

    /** Sets, for {@link Durability#BATCH} and {@link Durability#NONE}, the longest wait before a flush. */
    public LockchainOptions setSyncMillis(long syncMillis) {
        this.syncMillis = syncMillis;
        return this;
    }

    public int getSyncReceipts() {
        return syncReceipts;
    }

    /** Sets, for {@link Durability#BATCH} and {@link Durability#NONE}, how many waiting receipts start a flush at once. */
    public LockchainOptions setSyncReceipts(int syncReceipts) {
        this.syncReceipts = syncReceipts;
        return this;
    }


}
