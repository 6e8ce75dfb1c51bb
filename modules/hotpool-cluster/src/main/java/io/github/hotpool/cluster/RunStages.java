package io.github.hotpool.cluster;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.SoaLayout;
import io.github.hotpool.pipeline.GuardSteps;
import io.github.hotpool.triples.Hook;
import io.github.hotpool.triples.Loader;
import io.github.hotpool.triples.NTriplesException;
import io.github.hotpool.triples.NTriplesParser;
import io.github.hotpool.triples.TripleBatch;
import io.github.hotpool.triples.TripleSink;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * The stage functions of one run on one node: Transform (a lines frame into a pool handle with
 * one receipt per hook), Load and Reflex, in place on the handle. The same work, field for field,
 * as the handle pipeline's verticles, so that the receipts and the head are the same. Owner-thread
 * only (the node's stage context).
 */
final class RunStages implements TripleSink, NTriplesParser.ErrorHandler {

    /** Where a bad line is reported: its input line number, column and reason. */
    interface BadLines {
        void badLine(long seq, long line, int column, String reason);
    }

    final List<Hook> hooks;
    final int maxLineLength;
    private final NTriplesParser parser;
    private final BadLines report;
    private final TripleBatch scratch = new TripleBatch();
    private final BufferPool scratchPool;
    private final SoaBuffer constructOut;
    private byte[] line = new byte[256];
    private SoaBuffer target;
    private int lane;
    private long seq;

    RunStages(List<Hook> hooks, int maxLineLength, BadLines report) {
        this.hooks = hooks;
        this.maxLineLength = maxLineLength;
        this.report = report;
        this.parser = new NTriplesParser(maxLineLength, NTriplesParser.ErrorPolicy.SKIP).errorHandler(this);
        // CONSTRUCT8 needs somewhere to write; this private one-buffer pool belongs to the node's thread
        this.scratchPool = new BufferPool(new PoolOptions().setSoaBuffers(1).setReceipts(1).setReceiptsPerBuffer(1)
            .setName("cluster-reflex-scratch"));
        this.constructOut = scratchPool.acquire(SoaLayout.MAX_RUN_LEN);
    }

    /**
     * Transform: parses the frame's lines into {@code b}'s lanes in order and attaches one receipt
     * per hook (cycle id = the unit's sequence, shard 0), as the handle pipeline's Ingest does.
     *
     * @return false, with {@code b} unchanged but its receipts, if the pool has too few receipts
     */
    boolean transform(Buffer frame, int lines, long seq, SoaBuffer b, BufferPool pool) {
        this.target = b;
        this.lane = 0;
        this.seq = seq;
        int at = LinesFrame.HEADER;
        for (int i = 0; i < lines; i++) {
            long number = frame.getLong(at);
            int n = frame.getInt(at + 8);
            if (line.length < n) {
                line = new byte[Math.max(n, line.length * 2)];
            }
            frame.getBytes(at + LinesFrame.LINE_HEADER, at + LinesFrame.LINE_HEADER + n, line, 0);
            parser.parseLine(line, 0, n, number, this);
            at += LinesFrame.LINE_HEADER + n;
        }
        b.length(lane);
        for (int h = 0, n = hooks.size(); h < n; h++) {
            Receipt r = pool.tryAcquireReceipt();
            if (r == null) {
                return false;
            }
            r.cycleId(seq).shardId(0).hookId(hooks.get(h).id());
            b.attach(r);
        }
        return true;
    }

    /** Load: regroups the lanes by predicate into runs, in place. */
    void load(SoaBuffer b) {
        scratch.clear();
        for (int i = 0, n = b.length(); i < n; i++) {
            scratch.add(b.subject(i), b.predicate(i), b.object(i));
        }
        Loader.loadInto(scratch, b);
    }

    /** Reflex: receipt i of {@code b} gets the outcome of its hook on the run of the hook's predicate. */
    void reflex(SoaBuffer b) {
        for (int i = 0, n = b.receiptCount(); i < n; i++) {
            Receipt r = b.receipt(i);
            Hook hook = hooks.get(r.hookId() - 1);
            int run = runOf(b, hook.predicate());
            if (run >= 0) {
                GuardSteps.evaluate(hook, b, run, r, constructOut);
            }
        }
    }

    /** Runs have distinct predicates (Load groups by predicate), so at most one matches. */
    static int runOf(SoaBuffer b, long predicate) {
        for (int r = 0, n = b.runCount(); r < n; r++) {
            if (b.runPredicate(r) == predicate) {
                return r;
            }
        }
        return -1;
    }

    @Override
    public void accept(long s, long p, long o) {
        if (lane >= target.capacity()) {
            badLine(new NTriplesException(parser.line() - 1, 1, "statement would be lane " + lane
                + " of a batch of " + target.capacity() + " lanes (more statements than lines): dropped"));
            return;
        }
        target.set(lane++, s, p, o);
    }

    @Override
    public void badLine(NTriplesException e) {
        report.badLine(seq, e.line(), e.column(), e.reason());
    }

    void close() {
        constructOut.close();
        scratchPool.close();
    }
}
