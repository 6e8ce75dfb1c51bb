package io.github.hotpool.pipeline;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.SoaLayout;
import io.github.hotpool.triples.NTriplesException;
import io.github.hotpool.triples.NTriplesParser;
import io.github.hotpool.triples.TermTable;
import io.github.hotpool.triples.TripleSink;

/**
 * The Transform step of the ring pipeline: parses the lines of one row, as the framer finds them,
 * straight into the row's lanes (term ids: FNV-1a 64 over the canonical form), in input order. Bad
 * lines are reported under the input's own line numbers. Reused for every row of one source, so
 * parsing allocates nothing on good input. Owner-thread only (the source's).
 *
 * <pre>{@code
 * t.begin(row);                         // a claimed row
 * t.line(bytes, from, to, lineNumber);  // up to 8 lines, each without its line break
 * int triples = t.end();                // sets the row's length
 * }</pre>
 */
public final class RowTransform implements TripleSink, NTriplesParser.ErrorHandler {

    /** Where a bad line is reported. */
    public interface BadLines {
        /**
         * @param line the input's line number
         * @param column 1-based column
         * @param reason what is wrong
         */
        void badLine(long line, int column, String reason);
    }

    private final NTriplesParser parser;
    private final BadLines report;
    private DeltaRing.Row target;
    private int lane;

    /**
     * @param maxLineLength longest line, in bytes
     * @param terms where term names are recorded for the receipts' names file, or null
     * @param report where bad lines go
     */
    public RowTransform(int maxLineLength, TermTable terms, BadLines report) {
        // SKIP + a per-error handler: each bad line is reported with its line and column, and parsing goes on
        this.parser = new NTriplesParser(maxLineLength, NTriplesParser.ErrorPolicy.SKIP).errorHandler(this);
        this.report = report;
        if (terms != null) {
            parser.termTable(terms);
        }
    }

    /** Starts a row: the next lines' triples go into its lanes from lane 0. @param row the producer's view */
    public void begin(DeltaRing.Row row) {
        this.target = row;
        this.lane = 0;
    }

    /**
     * Parses one line of the row.
     *
     * @param src the bytes
     * @param from first byte of the line
     * @param to end of the line, before its line break
     * @param lineNumber the line's number in its input
     */
    public void line(byte[] src, int from, int to, long lineNumber) {
        parser.parseLine(src, from, to, lineNumber, this);
    }

    /** Ends the row: sets its length. @return the triples written */
    public int end() {
        target.length(lane);
        return lane;
    }

    @Override
    public void accept(long s, long p, long o) {
        if (lane >= SoaLayout.MAX_RUN_LEN) {
            // unreachable from the framer, which gives at most 8 lines and never a CR or LF inside one;
            // it guards the ring all the same, whatever -Dhotpool.checks says
            badLine(new NTriplesException(parser.line() - 1, 1, "statement would be lane " + lane
                + " of a row of " + SoaLayout.MAX_RUN_LEN + " lanes (more statements than lines): dropped"));
            return;
        }
        target.set(lane++, s, p, o);
    }

    @Override
    public void badLine(NTriplesException e) {
        report.badLine(e.line(), e.column(), e.reason());
    }
}
