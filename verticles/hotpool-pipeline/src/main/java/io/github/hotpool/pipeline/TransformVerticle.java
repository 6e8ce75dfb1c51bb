package io.github.hotpool.pipeline;

import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.triples.NTriplesException;
import io.github.hotpool.triples.NTriplesParser;
import io.github.hotpool.triples.TripleSink;

/**
 * Transform stage: parses the batch's staged N-Triples lines and writes each triple's term ids
 * (FNV-1a 64 over the canonical form) into the handle's lanes, in input order. Bad lines follow
 * the {@link BadLinePolicy}. Allocation-free on valid input.
 */
final class TransformVerticle extends StageVerticle {

    private NTriplesParser parser;
    private final LaneSink sink = new LaneSink();

    TransformVerticle() {
        super(Stage.TRANSFORM);
    }

    @Override
    void init() {
        // SKIP + a per-error handler: the whole batch is parsed in one feed and each bad line is
        // still reported with its line and column; the pipeline's BadLinePolicy is applied by the sink
        parser = new NTriplesParser(rt.options.getMaxLineLength() + 1, NTriplesParser.ErrorPolicy.SKIP)
            .errorHandler(sink);
        // the term table has one writer: only the first Transform instance records names (one
        // added later, as Pipeline.addInstance does, would break the table's seqlock)
        if (rt.terms != null && rt.termWriter.compareAndSet(false, true)) {
            parser.termTable(rt.terms);
        }
    }

    @Override
    void work(Ledger ledger, int slot, SoaBuffer b) {
        parse(parser, sink, ledger, slot, b, rt);
    }

    /**
     * The stage function, shared with benchmarks: staged lines of {@code slot} into {@code b}, in
     * one feed. A SKIP parser whose error handler is {@code sink} reports bad lines as it goes; a
     * FAIL parser throws at the first one, which is reported here before parsing resumes after it.
     */
    static void parse(NTriplesParser parser, LaneSink sink, Ledger ledger, int slot, SoaBuffer b, Runtime rt) {
        byte[] staged = ledger.staging[slot];
        int[] starts = ledger.lineStart[slot];
        int lines = ledger.lineCount[slot];
        sink.begin(b, ledger, slot, rt, parser);
        int from = 0;
        while (from < lines) {
            parser.reset();
            sink.firstLine = from;
            try {
                // every staged line ends with '\n' (Framer), so nothing is carried over and finish() is moot
                parser.feed(staged, starts[from], starts[lines] - starts[from], sink);
                from = lines;
            } catch (NTriplesException e) {
                from = sink.report(e) + 1;
            }
        }
        b.length(sink.lane);
        ledger.stream[slot].triples.addAndGet(sink.lane);
        if (rt != null) {
            rt.triples.addAndGet(sink.lane);
        }
    }

    private static void badLine(Ledger ledger, int slot, long line, NTriplesException e, Runtime rt) {
        IngestStream stream = ledger.stream[slot];
        String where = stream.name + ":" + line + ":" + e.column() + ": " + e.reason();
        stream.badLines.incrementAndGet();
        if (rt == null) {
            return;
        }
        rt.badLines.incrementAndGet();
        rt.error(where);
        if (rt.options.getBadLinePolicy() == BadLinePolicy.FAIL) {
            stream.failAt(ledger.seq[slot], where); // this batch and the later ones are cut at Emit
        }
    }

    /**
     * Writes parsed triples into consecutive lanes of a handle and reports bad lines under the
     * input's own line numbers; reused, so parsing allocates nothing on good input. Owner-thread only.
     */
    static final class LaneSink implements TripleSink, NTriplesParser.ErrorHandler {
        SoaBuffer target;
        int lane;
        private Ledger ledger;
        private int slot;
        private Runtime rt;
        private NTriplesParser parser;
        /** Staged line index that the parser counts as its line 1 (after a FAIL parser's reset). */
        int firstLine;

        void begin(SoaBuffer b, Ledger ledger, int slot, Runtime rt, NTriplesParser parser) {
            this.target = b;
            this.lane = 0;
            this.ledger = ledger;
            this.slot = slot;
            this.rt = rt;
            this.parser = parser;
        }

        @Override
        public void accept(long s, long p, long o) {
            int capacity = target.capacity();
            if (lane >= capacity) {
                // The Framer stages at most 8 lines and never a CR or LF inside one, so this is
                // unreachable from its input; it guards the pool all the same, because with
                // -Dhotpool.checks=false SoaBuffer.set does not check the lane and a 9th triple
                // would land in the next slot's lanes, another batch's data.
                report(new NTriplesException(parser.line(), 1, "statement would be lane " + lane
                    + " of a batch of capacity " + capacity + " (more statements than staged lines): dropped"));
                return;
            }
            target.set(lane++, s, p, o);
        }

        @Override
        public void badLine(NTriplesException e) {
            report(e);
        }

        /** @return the staged line index of {@code e} */
        int report(NTriplesException e) {
            int lines = ledger.lineCount[slot];
            // staged lines hold no CR or LF, so parser lines map one to one; clamp all the same
            int index = (int) Math.min(lines - 1, firstLine + e.line() - 1);
            TransformVerticle.badLine(ledger, slot, ledger.lineNumber[slot][index], e, rt);
            return index;
        }
    }
}
