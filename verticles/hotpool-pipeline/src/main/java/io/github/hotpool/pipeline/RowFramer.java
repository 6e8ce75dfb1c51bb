package io.github.hotpool.pipeline;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.SoaLayout;
import io.github.hotpool.pipeline.stage.RowWriter;
import io.github.hotpool.triples.NTriplesParser;
import java.util.ArrayDeque;

/**
 * Cuts one file or in-memory input into Δ-ring rows of at most 8 N-Triples lines, parses each row
 * into its lanes ({@link RowTransform}) and publishes it. Pauses its {@link ReadStream} when the
 * ring is full and resumes when the last stage frees a row. Owner-thread only (the source's
 * context).
 */
final class RowFramer implements RowTransform.BadLines, ByteChunks.Sink {

    /*
     * Line ends are those of N-Triples (EOL ::= [#xD#xA]+) counted as the parser and `check` count
     * them: LF, CR LF and a lone CR each end one line; a CR that ends a chunk leaves skipLf set, so
     * an LF that opens the next chunk completes the same line end. Rows are cut by content only
     * (8 lines that carry a statement, or the input's end), never by time, so the rows, and with
     * them the receipts and the lockchain head, do not depend on how the input was read, on the
     * span size or on the linger.
     *
     * A ring row is claimed when the first line of a row is complete, and each line is parsed
     * straight from the chunk into it (a line cut by a chunk boundary is first joined in `carry`),
     * so no line is copied on its way. A full ring leaves the line unconsumed and pauses the input;
     * room resumes it at that line. A claimed row holds lines that are not durable yet: if the input
     * is cut, it is published failed with REASON_CUT, which Emit passes over without moving the
     * resume point, so a later run reads those lines again.
     */

    private final GuardState state;
    private final GuardInput input;
    private final RowWriter writer;
    private final RowTransform transform;
    private final ByteChunks source;
    private final Runnable onFinished;
    private final int maxLineLength;
    /** Chunks a Vert.x stream handed over after pause(), copied (FileChunks never does). */
    private final ArrayDeque<byte[]> queued = new ArrayDeque<>();
    /** The row being filled (claimed, not yet published), and its lines so far. */
    private DeltaRing.Row open;
    private int lineCount;
    /** Input offset just past the open row's last line, and that line's number. */
    private long rowEndOffset;
    private long rowEndLine;
    /** The chunk being framed: the source's one array, handed from input to input. */
    private byte[] chunk;
    private int pos;
    private int end;
    /** Input offset of chunk[0]. */
    private long base;
    /** Resuming: the first input byte is the previous line's terminator (a CR may pair with an LF next). */
    private boolean primed;
    private byte[] carry = new byte[0];
    private int carryLen;
    private long line;
    private boolean discarding;
    private boolean skipLf;
    private boolean waiting;
    private boolean ended;
    private boolean finished;

    RowFramer(GuardState state, GuardInput input, RowWriter writer, RowTransform transform, ByteChunks source,
              long startOffset, long startLine, boolean primed, byte[] chunk, Runnable onFinished) {
        this.chunk = chunk;
        this.state = state;
        this.input = input;
        this.writer = writer;
        this.transform = transform;
        this.source = source;
        this.onFinished = onFinished;
        this.maxLineLength = state.options.getMaxLineLength();
        this.base = startOffset;
        this.line = startLine;
        this.primed = primed;
    }

    void start() {
        source.start(this);
    }

    /** @return whether a claimed row is open (being filled): nothing else may claim before it is published */
    boolean holdsRow() {
        return open != null;
    }

    /** @return the chunk array, grown to the largest chunk seen: the next input's framer reuses it */
    byte[] chunkArray() {
        return chunk;
    }

    @Override
    public void chunk(byte[] b, int off, int n) {
        try {
            onChunk(b, off, n);
        } catch (RuntimeException e) {
            broke(e);
        }
    }

    /** A bug here must fail the input, never leave it waiting for ever. */
    private void broke(RuntimeException e) {
        state.error(input.name + ": framing failed: " + e);
        input.fail("framing failed: " + e);
        cut();
    }

    private void onChunk(byte[] b, int off, int n) {
        if (finished) {
            return;
        }
        state.bytesRead.addAndGet(n);
        if (waiting || pos < end) {
            queued.addLast(java.util.Arrays.copyOfRange(b, off, off + n));
            return;
        }
        load(b, off, n);
        drain();
    }

    @Override
    public void end() {
        ended = true;
        if (!waiting) {
            try {
                drain();
            } catch (RuntimeException e) {
                broke(e);
            }
        }
    }

    @Override
    public void failed(String reason) {
        input.fail(reason);
        end();
    }

    private void load(byte[] b, int off, int n) {
        if (chunk.length < n) {
            chunk = new byte[Math.max(n, chunk.length * 2)];
        }
        System.arraycopy(b, off, chunk, 0, n);
        base += end;
        pos = 0;
        end = n;
    }

    /** Works through the current chunk and the queued ones until done or out of ring room. */
    private void drain() {
        while (!finished) {
            if (input.failed() || writer.stopping() || state.fatal.get() != null) {
                if (state.fatal.get() != null) {
                    input.fail("receipt store failed: " + state.fatal.get());
                } else if (writer.stopping()) {
                    input.fail("pipeline stopped");
                }
                cut();
                return;
            }
            if (pos == end) {
                byte[] next = queued.pollFirst();
                if (next == null) {
                    break;
                }
                load(next, 0, next.length);
            }
            if (!frame()) {
                waitForRoom();
                return;
            }
        }
        if (!finished && ended && pos == end && queued.isEmpty()) {
            if ((carryLen > 0 || discarding) && !complete(chunk, end, end)) { // a last line without a line break
                waitForRoom();
                return;
            }
            if (input.failed()) {
                cut(); // that last line was bad under FAIL: its row goes out cut, as in frame()
                return;
            }
            if (open != null) {
                publishRow();
            }
            finish();
        }
    }

    /** @return false when a line waits for ring room (framing stops at it) */
    private boolean frame() {
        final byte[] src = chunk;
        while (pos < end) {
            if (primed) {
                primed = false;
                skipLf = src[pos++] == '\r';
                continue;
            }
            if (skipLf) {
                skipLf = false;
                if (src[pos] == '\n') {
                    pos++;
                    continue;
                }
            }
            int eol = pos;
            byte c = 0;
            while (eol < end && (c = src[eol]) != '\n' && c != '\r') {
                eol++;
            }
            if (eol == end) {
                toCarry(src, pos, end);
                pos = end;
                return true;
            }
            if (!complete(src, pos, eol)) {
                return false; // the line stays unconsumed until a ring row is free
            }
            skipLf = c == '\r';
            pos = eol + 1;
            if (input.failed()) {
                return true; // a bad line under FAIL: drain() cuts here, not at the chunk's end
            }
        }
        return true;
    }

    private void toCarry(byte[] src, int from, int to) {
        if (discarding || from == to) {
            return;
        }
        int n = to - from;
        if (carryLen + n > maxLineLength) {
            overlong();
            return;
        }
        if (carry.length < carryLen + n) {
            carry = java.util.Arrays.copyOf(carry,
                Math.min(maxLineLength, Math.max(carryLen + n, Math.max(256, carry.length * 2))));
        }
        System.arraycopy(src, from, carry, carryLen, n);
        carryLen += n;
    }

    private void overlong() {
        badLine(line, maxLineLength + 1, NTriplesParser.lineTooLong(maxLineLength) + " (maxLineLength)");
        carryLen = 0;
        discarding = true;
    }

    /**
     * The line {@code carry + src[from, to)} has ended: drops it (blank, comment, overlong) or parses
     * it into the open row, claiming one first.
     *
     * @return false, consuming nothing, when a row is needed and the ring is full
     */
    private boolean complete(byte[] src, int from, int to) {
        int n = to - from;
        if (!discarding && carryLen + n > maxLineLength) {
            overlong();
        }
        if (discarding) {
            discarding = false;
            nextLine();
            return true;
        }
        int first = Framer.firstNonBlank(carry, 0, carryLen);
        if (first < 0) {
            first = Framer.firstNonBlank(src, from, to);
        }
        if (first < 0 || first == '#') {
            carryLen = 0;
            nextLine();
            return true;
        }
        if (open == null) {
            if ((open = writer.tryClaim()) == null) {
                return false;
            }
            transform.begin(open);
        }
        if (carryLen > 0) {
            // the start of this line came with the chunk before: join it once, in carry
            // (at most maxLineLength bytes: longer lines were dropped above)
            if (carry.length < carryLen + n) {
                carry = java.util.Arrays.copyOf(carry, carryLen + n);
            }
            System.arraycopy(src, from, carry, carryLen, n);
            transform.line(carry, 0, carryLen + n, line);
            carryLen = 0;
        } else {
            transform.line(src, from, to, line);
        }
        rowEndOffset = base + to + (to < end ? 1 : 0);
        rowEndLine = line;
        nextLine();
        if (input.failed()) {
            // under FAIL the row holding the bad line is not chained: cut() publishes it failed, so
            // the resume mark stays before it and a run again reads the bad line again
            return true;
        }
        if (++lineCount == SoaLayout.MAX_RUN_LEN) {
            publishRow();
        }
        return true;
    }

    /** Publishes the open row with its lines' triples. */
    private void publishRow() {
        DeltaRing.Row row = open;
        open = null;
        long seq = row.sequence();
        int triples = transform.end();
        int i = state.index(seq);
        state.rowEndOffset[i] = rowEndOffset;
        state.rowEndLine[i] = rowEndLine;
        state.rowInput[i] = input;
        input.triples += triples;
        input.rows++;
        input.lastRowSeq = seq;
        state.triples.addAndGet(triples);
        state.rows.incrementAndGet();
        writer.publish();
        lineCount = 0;
    }

    private void nextLine() {
        input.lines++;
        line++;
    }


    @Override
    public void badLine(long badLine, int column, String reason) {
        String where = input.name + ":" + badLine + ":" + column + ": " + reason;
        input.badLines++;
        state.badLines.incrementAndGet();
        state.error(where);
        if (state.options.getBadLinePolicy() == BadLinePolicy.FAIL) {
            input.fail(where);
        }
    }

    private void waitForRoom() {
        if (!waiting) {
            waiting = true;
            source.pause();
        }
    }

    /** The source's room callback: the ring has room again (or may have: the claim is retried). */
    void room() {
        if (!waiting || finished) {
            return;
        }
        waiting = false;
        if (input.failed() || writer.stopping()) {
            drain(); // cuts
            return;
        }
        source.resume();
        try {
            drain();
        } catch (RuntimeException e) {
            broke(e);
        }
    }

    /** The input ended and every line was published. */
    private void finish() {
        finished = true;
        input.endOffset = base + end;
        input.endLine = line - 1;
        writer.flush();
        onFinished.run();
    }

    /** The pipeline stops: fails the input with {@code reason} unless it finished already. */
    void stop(String reason) {
        if (!finished) {
            input.fail(reason);
            cut();
        }
    }

    /** Stops working on a failed input: drops what is queued, and the open row (see above). */
    void cut() {
        if (finished) {
            return;
        }
        finished = true;
        queued.clear();
        pos = end;
        carryLen = 0;
        if (open != null) {
            // claimed rows cannot be given back: it leaves failed, and Emit passes it over without
            // counting its lines as done
            transform.end();
            long seq = open.sequence();
            int i = state.index(seq);
            state.rowInput[i] = input;
            state.rowEndOffset[i] = -1;
            open = null;
            input.rows++;
            input.lastRowSeq = seq; // the input settles only once Emit passed this row too
            state.rows.incrementAndGet();
            writer.publishFailed(RingEmit.REASON_CUT);
        }
        lineCount = 0;
        if (waiting) {
            waiting = false;
        }
        source.stop(); // a file or buffer has no peer waiting: stop reading (a file is closed)
        writer.flush();
        onFinished.run();
    }
}
