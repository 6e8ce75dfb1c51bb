package io.github.hotpool.pipeline;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.SoaLayout;
import io.github.hotpool.triples.NTriplesException;
import io.github.hotpool.triples.NTriplesParser;
import io.github.hotpool.triples.TermTable;
import io.github.hotpool.triples.TripleSink;

/**
 * The Transform step of the ring pipeline: parses the up to 8 staged lines of one row and writes
 * each triple's term ids (FNV-1a 64 over the canonical form) into the row's lanes, in input
 * order. Bad lines are reported under the input's own line numbers. Reused for every row of one
 * source, so parsing allocates nothing on good input. Owner-thread only (the source's).
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
    private DeltaRing.Row target;
    private int lane;
    private long[] lineNumbers;
    private int lines;
    private int firstLine;
    private BadLines report;

    /**
     * @param maxLineLength longest staged line, in bytes
     * @param terms where term names are recorded for the receipts' names file, or null
     */
    public RowTransform(int maxLineLength, TermTable terms) {
        // SKIP + a per-error handler: the whole row is parsed in one feed and each bad line is
        // still reported with its line and column
        this.parser = new NTriplesParser(maxLineLength + 1, NTriplesParser.ErrorPolicy.SKIP).errorHandler(this);
        if (terms != null) {
            parser.termTable(terms);
        }
    }

    /**
     * Parses {@code lines} staged lines into {@code row} and sets its length.
     *
     * @param staged the lines, each ending with one '\n'
     * @param starts {@code starts[i]} is where line i begins; {@code starts[lines]} is the end
     * @param lines 0..8
     * @param lineNumbers the input line number of each staged line
     * @param row the producer's view at the claimed row
     * @param report where bad lines go
     * @return the triples written (the row's length)
     */
    public int parse(byte[] staged, int[] starts, int lines, long[] lineNumbers, DeltaRing.Row row, BadLines report) {
        this.target = row;
        this.lane = 0;
        this.lineNumbers = lineNumbers;
        this.lines = lines;
        this.report = report;
        this.firstLine = 0;
        parser.reset();
        if (lines > 0) {
            // every staged line ends with '\n', so nothing is carried over and finish() is moot
            parser.feed(staged, starts[0], starts[lines] - starts[0], this);
        }
        row.length(lane);
        return lane;
    }

    @Override
    public void accept(long s, long p, long o) {
        if (lane >= SoaLayout.MAX_RUN_LEN) {
            // unreachable from the framer, which stages at most 8 lines and never a CR or LF inside
            // one; it guards the ring all the same, whatever -Dhotpool.checks says
            badLine(new NTriplesException(parser.line(), 1, "statement would be lane " + lane
                + " of a row of " + SoaLayout.MAX_RUN_LEN + " lanes (more statements than staged lines): dropped"));
            return;
        }
        target.set(lane++, s, p, o);
    }

    @Override
    public void badLine(NTriplesException e) {
        // staged lines hold no CR or LF, so parser lines map one to one; clamp all the same
        int index = (int) Math.max(0, Math.min(lines - 1, firstLine + e.line() - 1));
        report.badLine(lineNumbers[index], e.column(), e.reason());
    }
}
