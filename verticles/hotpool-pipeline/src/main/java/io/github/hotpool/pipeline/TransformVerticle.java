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
        // each line is fed on its own, so FAIL here only means "throw for this line"; the policy is ours
        parser = new NTriplesParser(rt.options.getMaxLineLength() + 1, NTriplesParser.ErrorPolicy.FAIL);
        if (rt.terms != null) {
            parser.termTable(rt.terms);
        }
    }

    @Override
    void work(Ledger ledger, int slot, SoaBuffer b) {
        parse(parser, sink, ledger, slot, b, rt);
    }

    /** The stage function, shared with benchmarks: staged lines of {@code slot} into {@code b}. */
    static void parse(NTriplesParser parser, LaneSink sink, Ledger ledger, int slot, SoaBuffer b, Runtime rt) {
        byte[] staged = ledger.staging[slot];
        int[] starts = ledger.lineStart[slot];
        int lines = ledger.lineCount[slot];
        sink.target = b;
        sink.lane = 0;
        parser.reset();
        for (int i = 0; i < lines; i++) {
            try {
                parser.feed(staged, starts[i], starts[i + 1] - starts[i], sink);
            } catch (NTriplesException e) {
                parser.reset();
                badLine(ledger, slot, ledger.lineNumber[slot][i], e, rt);
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
            stream.fail(where);
        }
    }

    /** Writes parsed triples into consecutive lanes of a handle; reused, so parsing allocates nothing. */
    static final class LaneSink implements TripleSink {
        SoaBuffer target;
        int lane;

        @Override
        public void accept(long s, long p, long o) {
            target.set(lane++, s, p, o);
        }
    }
}
