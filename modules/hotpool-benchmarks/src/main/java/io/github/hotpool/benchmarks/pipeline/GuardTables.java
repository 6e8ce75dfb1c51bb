package io.github.hotpool.benchmarks.pipeline;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.SoaLayout;
import io.github.hotpool.pipeline.GuardSteps;
import io.github.hotpool.pipeline.PipelineOptions;
import io.github.hotpool.pipeline.RowTransform;
import io.github.hotpool.pipeline.store.ReceiptStore;
import io.github.hotpool.triples.Hook;
import io.github.hotpool.triples.TripleBatch;
import java.util.HexFormat;
import java.util.List;

/**
 * What the guard's stage functions need beside a Δ-ring of {@code capacity} rows, as the real
 * pipeline keeps it beside its ring: one receipt per hook per ring row and the run each was
 * evaluated on, the parser ({@link RowTransform}), the scratch objects of Load and Reflex, and an
 * in-memory {@link ReceiptStore} chaining with the pipeline's default cycle size (sinks off).
 * The direct and the Disruptor variants call the steps through it.
 *
 * <p>Thread-safety: each step's objects belong to the thread that runs that step (parse: the
 * producer; load; reflex; emit and the store), one thread per step; the ring's cursors order the
 * receipt table between them.
 */
final class GuardTables implements RowTransform.BadLines {

    /** Rows per in-memory flush: the pipeline's Emit flushes once per span, 64 rows by default. */
    static final int FLUSH_ROWS = 64;

    final List<Hook> hooks;
    final int hookCount;
    private final int mask;
    private final Receipt[] receipts;
    private final int[] runs;
    private final SoaBuffer reflexScratch;
    private final SoaBuffer constructOut;
    private final TripleBatch loadScratch = new TripleBatch();
    final RowTransform transform;
    final ReceiptStore store;
    final int maxLineLength;
    long badLines;
    /** Emit's: receipts chained, rows since the last flush. */
    long receiptsChained;
    private int unflushedRows;

    GuardTables(List<Hook> hooks, int capacity) {
        PipelineOptions defaults = new PipelineOptions();
        this.hooks = hooks;
        this.hookCount = hooks.size();
        this.mask = capacity - 1;
        this.maxLineLength = defaults.getMaxLineLength();
        this.transform = new RowTransform(maxLineLength, null, this); // no names file without an output directory
        this.store = ReceiptStore.inMemory(defaults.getLockchain().getCycleReceipts());
        BufferPool pool = new BufferPool(new PoolOptions().setName("bench-receipts").setSoaBuffers(2)
            .setReceipts(capacity * hookCount).setReceiptsPerBuffer(1));
        this.receipts = new Receipt[capacity * hookCount];
        this.runs = new int[capacity * hookCount];
        for (int i = 0; i < receipts.length; i++) {
            receipts[i] = pool.acquireReceipt();
        }
        this.reflexScratch = pool.acquire(SoaLayout.MAX_RUN_LEN);
        this.constructOut = pool.acquire(SoaLayout.MAX_RUN_LEN);
    }

    /** Producer: parses the row {@code lines} found into {@code row}, in place in the input; @return its triples. */
    int parse(RowLines lines, DeltaRing.Row row) {
        transform.begin(row);
        for (int i = 0; i < lines.lines; i++) {
            transform.line(lines.input, lines.from[i], lines.to[i], lines.lineNumbers[i]);
        }
        return transform.end();
    }

    /**
     * Producer: parses {@code lines} staged lines into {@code row} through {@link RowTransform}, as
     * the pipeline's source does line by line; line i is {@code staged[starts[i], starts[i + 1] - 1)},
     * each followed by its '\n'.
     */
    int parse(byte[] staged, int[] starts, int lines, long[] lineNumbers, DeltaRing.Row row) {
        transform.begin(row);
        for (int i = 0; i < lines; i++) {
            transform.line(staged, starts[i], starts[i + 1] - 1, lineNumbers[i]);
        }
        return transform.end();
    }

    /** @return the receipt of hook {@code h} (0-based) beside {@code row} (the heap variant copies it in and out) */
    Receipt receipt(DeltaRing.Row row, int h) {
        return receipts[first(row) + h];
    }

    /** @return the run hook {@code h} was evaluated on beside {@code row} ({@code off << 8 | len}, or -1) */
    int run(DeltaRing.Row row, int h) {
        return runs[first(row) + h];
    }

    void run(DeltaRing.Row row, int h, int run) {
        runs[first(row) + h] = run;
    }

    void load(DeltaRing.Row row) {
        GuardSteps.load(loadScratch, row);
    }

    void reflex(DeltaRing.Row row) {
        GuardSteps.reflex(hooks, row, receipts, runs, first(row), reflexScratch, constructOut);
    }

    /** Emit, and every {@value #FLUSH_ROWS} rows a flush (in memory: its buffers are handed back at once). */
    void emit(DeltaRing.Row row) {
        receiptsChained += GuardSteps.emit(store, hooks, row, receipts, runs, first(row), null);
        if (++unflushedRows == FLUSH_ROWS) {
            flush();
        }
    }

    /** Emit's thread: hands what is buffered to a flush that writes nothing, as the pipeline's in-memory Emit does. */
    void flush() {
        unflushedRows = 0;
        ReceiptStore.Flush f = store.takeFlush();
        if (f != null) {
            store.flushed(f);
        }
    }

    /** Emit's thread, after the last row: seals the open cycle and answers the chain's head (hex). */
    String sealAndHead() {
        flush();
        if (store.pending() > 0) {
            store.seal();
        }
        return HexFormat.of().formatHex(store.head());
    }

    private int first(DeltaRing.Row row) {
        return (int) (row.sequence() & mask) * hookCount;
    }

    @Override
    public void badLine(long line, int column, String reason) {
        badLines++; // the bundled data has none; SKIP, counted, as the pipeline's default policy
    }
}
