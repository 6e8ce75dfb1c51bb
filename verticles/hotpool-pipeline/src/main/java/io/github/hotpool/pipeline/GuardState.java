package io.github.hotpool.pipeline;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.SoaLayout;
import io.github.hotpool.pipeline.store.ReceiptStore;
import io.github.hotpool.triples.Hook;
import io.github.hotpool.triples.TermTable;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the stages of one {@link GuardPipeline} share: options, hooks, the receipt table beside the
 * Δ-ring, the per-row input bookkeeping, counters and recent errors. One per pipeline, handed to
 * each stage when it is made: no static registry.
 *
 * <p>The arrays indexed by ring index ({@code seq & mask}) follow the ring's own rules: the source
 * writes a row's entries before it publishes the row, a stage writes its receipts before it
 * completes the span, and a later stage reads them after it received the span; the ring's cursor
 * release/acquire pairs (and the event-bus hand-off) order those accesses. A row's entries are
 * reused only once the row has passed Emit (gating).
 */
final class GuardState {


    final PipelineOptions options;
    final List<Hook> hooks;
    final int hookCount;
    final int capacity;
    final int mask;
    /** Names ids again for the names file; null without an output directory. */
    final TermTable terms;
    /** Input offset just past the last line of each row, and that line's number. */
    final long[] rowEndOffset;
    final long[] rowEndLine;
    /** The input each row came from. */
    final GuardInput[] rowInput;
    /** Receipt of hook h (0-based) for the row at ring index i: {@code receipts[i * hookCount + h]}. */
    final Receipt[] receipts;
    /** Beside each receipt: the run its hook was evaluated on, {@code off << 8 | len}, or -1 (no run). */
    final int[] hookRuns;
    /** Per Reflex instance: its kernel scratch and CONSTRUCT8 output (instances run on their own threads). */
    final SoaBuffer[] reflexScratch;
    final SoaBuffer[] constructOut;
    final ReceiptStore store;
    /**
     * The batch number of the ring's row 0: the number of batches the directory's chain already
     * numbered (its checkpoint's {@code batches}), so a run that extends or resumes a chain numbers
     * on; 0 for a new or in-memory chain, or one whose checkpoint predates the count.
     */
    final long firstBatch;
    /** Inputs in the order they started, until Emit settles them. */
    final java.util.concurrent.ConcurrentLinkedQueue<GuardInput> inputs = new java.util.concurrent.ConcurrentLinkedQueue<>();

    final AtomicLong triples = new AtomicLong();
    final AtomicLong rows = new AtomicLong();
    final AtomicLong badLines = new AtomicLong();
    final AtomicLong bytesRead = new AtomicLong();
    /** Written by Emit only. */
    volatile long receiptsChained;
    volatile long rowsEmitted;
    volatile long rowsFailed;
    volatile long rowsCut;
    /** Why the pipeline cannot go on (the receipt store failed), or null; the first reason wins. */
    final AtomicReference<String> fatal = new AtomicReference<>();
    private final RecentErrors errors = new RecentErrors();
    /** Test seam: each flush sleeps this long on its worker before writing (a slow disk). */
    volatile long flushDelayMillis;
    /** Test seam: Reflex throws on every row whose sequence is a multiple of this (0: never). */
    volatile long failEvery;

    GuardState(PipelineOptions options, int capacity, ReceiptStore store) {
        this.options = options;
        this.hooks = GuardHooks.parse(options.getHooks());
        this.hookCount = hooks.size();
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.store = store;
        this.firstBatch = store.recovery() == null ? 0 : store.recovery().nextBatch();
        this.terms = options.getLockchain().getOutDir() != null ? new TermTable(1 << 14, 256) : null;
        this.rowEndOffset = new long[capacity];
        this.rowEndLine = new long[capacity];
        this.rowInput = new GuardInput[capacity];
        int n = Math.max(1, capacity * hookCount);
        // one held receipt per hook per ring row, leased once here and never given back until close
        // the pool is never closed: its memory goes with the pipeline (a direct buffer, freed by the GC);
        // closing would have to run on the thread that built the pipeline
        int reflexInstances = options.getStages().getReflex().getInstances();
        BufferPool receiptPool = new BufferPool(new PoolOptions().setName("guard-receipts").setSoaBuffers(2 * reflexInstances)
            .setReceipts(n).setReceiptsPerBuffer(1));
        this.receipts = new Receipt[capacity * hookCount];
        this.hookRuns = new int[capacity * hookCount];
        for (int i = 0; i < receipts.length; i++) {
            receipts[i] = receiptPool.acquireReceipt();
        }
        this.reflexScratch = new SoaBuffer[reflexInstances];
        this.constructOut = new SoaBuffer[reflexInstances];
        for (int i = 0; i < reflexInstances; i++) {
            reflexScratch[i] = receiptPool.acquire(SoaLayout.MAX_RUN_LEN);
            constructOut[i] = receiptPool.acquire(SoaLayout.MAX_RUN_LEN);
        }
    }

    /** @return the index of {@code seq} in the arrays beside the ring */
    int index(long seq) {
        return (int) (seq & mask);
    }

    void error(String message) {
        errors.add(message);
    }

    List<String> recentErrors() {
        return errors.list();
    }
}
