package io.github.hotpool.triples;

import java.nio.ByteBuffer;

/**
 * Streaming RDF 1.2 N-Triples parser over byte chunks (RDF 1.1 N-Triples is a subset) that
 * turns every term, triple terms included, into a 64-bit id and hands each triple's ids to a
 * {@link TripleSink}, and, if asked, its canonical N-Triples line to a {@link CanonicalLineSink};
 * single-threaded (one owner), not thread-safe.
 *
 * <p>Chunks may cut the input anywhere, inside a term or a UTF-8 sequence: the unfinished line
 * is carried over (bounded by {@code maxLineLength}) to the next {@link #feed}. After the last
 * chunk call {@link #finish} so that a final line without a line break is parsed. In steady
 * state neither feeding, hashing nor the sink calls allocate; only bad input does (its error).
 *
 * <p>Errors: with {@link ErrorPolicy#FAIL} the first bad line throws {@link NTriplesException}
 * and the parser must be {@link #reset()} before reuse; with {@link ErrorPolicy#SKIP} bad lines
 * are counted, the first and last errors are kept, each is handed to the {@link ErrorHandler}
 * if one is set, and parsing goes on at the next line. So a whole batch of lines can be fed at
 * once and still every bad line be reported with its line and column.
 */
public final class NTriplesParser {

    /** Default bound on one line's length in bytes (without its line break). */
    public static final int DEFAULT_MAX_LINE_LENGTH = 64 * 1024;

    /** What to do with a bad line. */
    public enum ErrorPolicy {
        /** Throw {@link NTriplesException} for the first bad line. */
        FAIL,
        /** Drop the bad line, count it, keep going. */
        SKIP
    }

    /**
     * Told about every bad line dropped under {@link ErrorPolicy#SKIP}, in input order, on the
     * feeding thread, before parsing goes on; its line is counted from 1 since construction or
     * {@link #reset()}. Throwing from it ends the feed with that exception (the parser must then
     * be reset).
     */
    @FunctionalInterface
    public interface ErrorHandler {
        /** A line was dropped because of {@code error} (line, column, reason). */
        void badLine(NTriplesException error);
    }

    /*
     * Lines are the unit of work: N-Triples literals cannot hold a raw CR or LF, so a line break
     * always ends a statement (or a comment). A line that lies wholly inside a chunk is scanned
     * in place; only a line cut by a chunk boundary is copied into `carry`.
     */

    private final int maxLineLength;
    private final ErrorPolicy policy;
    private final StatementScanner scanner;
    private final byte[] carry;
    private byte[] staging;
    private int carryLen;
    /** True while dropping the rest of an overlong line. */
    private boolean discarding;
    /** True when the previous chunk ended with CR: a leading LF then ends no new line. */
    private boolean pendingCr;
    private long line = 1;
    private long triples;
    private long skippedLines;
    private NTriplesException firstError;
    private NTriplesException lastError;
    private ErrorHandler errorHandler;
    private CanonicalLineSink canonicalLines;

    /** A FAIL-policy parser with {@link #DEFAULT_MAX_LINE_LENGTH}. */
    public NTriplesParser() {
        this(DEFAULT_MAX_LINE_LENGTH, ErrorPolicy.FAIL);
    }

    /** A parser bounding lines to {@code maxLineLength} bytes (>= 16) with the given policy. */
    public NTriplesParser(int maxLineLength, ErrorPolicy policy) {
        if (maxLineLength < 16 || maxLineLength > (1 << 28)) {
            throw new IllegalArgumentException(
                    "maxLineLength " + maxLineLength + " outside [16, " + (1 << 28) + "]");
        }
        if (policy == null) {
            throw new IllegalArgumentException("policy must not be null");
        }
        this.maxLineLength = maxLineLength;
        this.policy = policy;
        this.scanner = new StatementScanner(maxLineLength);
        this.carry = new byte[maxLineLength];
    }

    /**
     * Records the canonical text of every parsed term in {@code table} (null: none), so that
     * ids can be named again later. Costs one copy per term whose slot changes.
     */
    public NTriplesParser termTable(TermTable table) {
        scanner.terms(table);
        return this;
    }

    /**
     * Sets the handler told about each bad line under {@link ErrorPolicy#SKIP} (null: none);
     * ignored under FAIL, which throws instead. Survives {@link #reset()}.
     */
    public NTriplesParser errorHandler(ErrorHandler handler) {
        this.errorHandler = handler;
        return this;
    }

    /**
     * Also hands every triple's canonical N-Triples line to {@code lines} (null: none), right after
     * its ids go to the {@link TripleSink}. Costs nothing extra: the scanner writes the canonical
     * line anyway, as the text it hashes. Survives {@link #reset()}.
     */
    public NTriplesParser canonicalLines(CanonicalLineSink lines) {
        this.canonicalLines = lines;
        return this;
    }

    /**
     * Turns term ids off for a caller that only validates or canonicalizes ({@link ParallelNTriples}):
     * the sink then receives 0 for every id. Package-private: ids of 0 break the public contract.
     */
    NTriplesParser withoutIds() {
        scanner.hashing(false);
        return this;
    }

    /** Parses the complete lines in {@code src[off, off + len)} and carries the rest over. */
    public void feed(byte[] src, int off, int len, TripleSink sink) {
        if (off < 0 || len < 0 || off > src.length - len) {
            throw new IndexOutOfBoundsException(
                    "chunk [" + off + ", " + off + "+" + len + ") outside array of " + src.length);
        }
        int i = off;
        final int end = off + len;
        if (pendingCr && i < end) {
            pendingCr = false;
            if (src[i] == '\n') {
                i++;
            }
        }
        while (i < end) {
            int eol = Swar.lineEnd(src, i, end);
            if (eol == end) {
                append(src, i, end);
                return;
            }
            completeLine(src, i, eol, sink);
            i = eol + 1;
            if (src[eol] == '\r') {
                if (i < end) {
                    if (src[i] == '\n') {
                        i++;
                    }
                } else {
                    pendingCr = true;
                }
            }
        }
    }

    /**
     * Parses {@code src[from, to)} as one whole line (no CR or LF inside, none needed after it), for
     * callers that frame lines themselves: nothing is carried over, and a bad line is reported as line
     * {@code lineNumber}. The line counter goes on from {@code lineNumber + 1}. Allocation-free on a
     * valid line.
     *
     * @param lineNumber the line's number in its input, for error reports
     */
    public void parseLine(byte[] src, int from, int to, long lineNumber, TripleSink sink) {
        if (from < 0 || to < from || to > src.length) {
            throw new IndexOutOfBoundsException("line [" + from + ", " + to + ") outside array of " + src.length);
        }
        carryLen = 0;
        discarding = false;
        pendingCr = false;
        line = lineNumber;
        completeLine(src, from, to, sink);
    }

    /** Parses the bytes remaining in {@code src} (position to limit); the position is advanced. */
    public void feed(ByteBuffer src, TripleSink sink) {
        if (src.hasArray()) {
            int n = src.remaining();
            feed(src.array(), src.arrayOffset() + src.position(), n, sink);
            src.position(src.limit());
            return;
        }
        if (staging == null) {
            staging = new byte[8192]; // once per parser, for direct buffers only
        }
        while (src.hasRemaining()) {
            int n = Math.min(staging.length, src.remaining());
            src.get(staging, 0, n);
            feed(staging, 0, n, sink);
        }
    }

    /** Ends the input: parses a last line that has no line break. */
    public void finish(TripleSink sink) {
        pendingCr = false;
        if (carryLen > 0 || discarding) {
            completeLine(carry, 0, carryLen, sink);
        }
    }

    /** Forgets any carried-over bytes, counters and errors; the term table stays. */
    public void reset() {
        carryLen = 0;
        discarding = false;
        pendingCr = false;
        line = 1;
        triples = 0;
        skippedLines = 0;
        firstError = null;
        lastError = null;
    }

    /** Ends the line {@code src[from, eol)}, joining it to carried-over bytes if there are any. */
    private void completeLine(byte[] src, int from, int eol, TripleSink sink) {
        if (discarding) {
            discarding = false;
            line++;
            return;
        }
        byte[] b = src;
        int start = from;
        int end = eol;
        if (carryLen > 0 && src != carry) {
            append(src, from, eol);
            if (discarding) {
                discarding = false;
                line++;
                return;
            }
            b = carry;
            start = 0;
            end = carryLen;
        } else if (eol - from > maxLineLength) {
            onError(overlong());
            line++;
            return;
        }
        carryLen = 0;
        try {
            if (scanner.scanLine(b, start, end, line)) {
                triples++;
                sink.accept(scanner.s, scanner.p, scanner.o);
                if (canonicalLines != null) {
                    canonicalLines.line(scanner.canon, 0, scanner.lineLen);
                }
            }
        } catch (NTriplesException e) {
            onError(e);
        }
        line++;
    }

    private void append(byte[] src, int from, int to) {
        if (discarding) {
            return;
        }
        int n = to - from;
        if (carryLen + n > maxLineLength) {
            carryLen = 0;
            discarding = true;
            onError(overlong());
            return;
        }
        System.arraycopy(src, from, carry, carryLen, n);
        carryLen += n;
    }

    private NTriplesException overlong() {
        return new NTriplesException(line, maxLineLength + 1, lineTooLong(maxLineLength));
    }

    /**
     * The reason a line over {@code max} bytes is refused, worded once for every reader of lines
     * (this parser, the framers, check and canon).
     *
     * @param max the longest accepted line, in bytes
     * @return the reason, without line or column
     */
    public static String lineTooLong(int max) {
        return "line longer than the maximum of " + max + " bytes";
    }

    private void onError(NTriplesException e) {
        if (policy == ErrorPolicy.FAIL) {
            throw e;
        }
        skippedLines++;
        if (firstError == null) {
            firstError = e;
        }
        lastError = e;
        if (errorHandler != null) {
            errorHandler.badLine(e);
        }
    }

    /** The configured maximum line length in bytes. */
    public int maxLineLength() {
        return maxLineLength;
    }

    /** Triples handed to sinks since construction or {@link #reset()}. */
    public long triples() {
        return triples;
    }

    /** Number of the line being read, from 1. */
    public long line() {
        return line;
    }

    /** Bad lines dropped under {@link ErrorPolicy#SKIP}. */
    public long skippedLines() {
        return skippedLines;
    }

    /** The first error seen under SKIP, or null. */
    public NTriplesException firstError() {
        return firstError;
    }

    /** The latest error seen under SKIP, or null. */
    public NTriplesException lastError() {
        return lastError;
    }
}
