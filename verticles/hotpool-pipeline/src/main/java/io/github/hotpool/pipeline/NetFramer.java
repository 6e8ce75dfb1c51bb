package io.github.hotpool.pipeline;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.SoaLayout;
import io.github.hotpool.triples.NTriplesParser;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;

/**
 * Cuts one network input (an HTTP request body, a TCP connection) into Δ-ring rows of at most 8
 * N-Triples lines for a {@link GuardPipeline}. Unlike a file's {@link RowFramer}, it stages a
 * row's lines in its own array and claims a ring row only when the row is complete (8 lines, the
 * linger passed, or the input ended), then parses and publishes it in one step: several
 * connections share the one producer of the ring, and a claimed row is never held open across
 * an event-loop turn, so rows of different connections never interleave within a row. Owner-thread
 * only (the source's context).
 */
final class NetFramer implements RowTransform.BadLines {

    /*
     * Line ends are those of N-Triples and of the file path (RowFramer): LF, CR LF and a lone CR
     * each end one line, a CR that ends a chunk leaves skipLf set. Blank and comment lines are
     * dropped, a line longer than maxLineLength is reported and skipped, a last line without a
     * line break is framed as a line at the end of the input (a truncated line is then a bad
     * line with its line and column, like any other, and never chained).
     *
     * A row is written when it holds 8 lines, when the input ends, or when its first line is
     * lingerMillis old (0: never by time). A complete row that finds the ring full, or the file
     * input holding the producer's open row, waits in RingIngest's FIFO: the socket is paused
     * until the row is written. So a connection holds at most one staged row and the chunks Vert.x
     * handed over before the pause, and nothing of the ring while it is idle.
     */

    /** An end-of-input line of the TCP protocol: one EOT byte (0x04), which no N-Triples line can start with. */
    static final byte EOT = 0x04;

    private final RingIngest ingest;
    private final GuardState state;
    final GuardInput input;
    private final ReadStream<Buffer> source;
    private final boolean endMarker;
    private final long lingerMillis;
    private final int maxLineLength;
    private final Runnable onFinished;
    private final ArrayDeque<Buffer> queued = new ArrayDeque<>();
    private final Handler<Long> onLinger = this::onLinger;
    private byte[] chunk = new byte[0];
    private int pos;
    private int end;
    /** Input offset of chunk[0]. */
    private long base;
    private byte[] carry = new byte[0];
    private int carryLen;
    /** The staged row: its lines without their line breaks, back to back. */
    private byte[] staged = new byte[1024];
    private final int[] lineStart = new int[SoaLayout.MAX_RUN_LEN + 1];
    private final long[] lineNumber = new long[SoaLayout.MAX_RUN_LEN];
    private int lineCount;
    private long rowEndOffset;
    private long rowEndLine;
    private long firstLineAt;
    private long lingerTimer = -1;
    private long line = 1;
    /** When the peer last sent bytes (or could again, after a wait of ours). */
    private long lastInput;
    private boolean discarding;
    private boolean skipLf;
    /** A complete row waits for the ring (the socket is paused). */
    boolean waiting;
    private boolean ended;
    private boolean finished;

    /**
     * @param endMarker whether a line holding the single byte {@link #EOT} ends the input (TCP)
     * @param lingerMillis how long a partial row may wait for more lines (0: until full or ended)
     * @param onFinished runs once, when every row of the input is published (or it was cut)
     */
    NetFramer(RingIngest ingest, GuardState state, GuardInput input, ReadStream<Buffer> source, boolean endMarker,
              long lingerMillis, Runnable onFinished) {
        this.ingest = ingest;
        this.state = state;
        this.input = input;
        this.source = source;
        this.endMarker = endMarker;
        this.lingerMillis = lingerMillis;
        this.maxLineLength = state.options.getMaxLineLength();
        this.onFinished = onFinished;
    }

    void start() {
        lastInput = System.nanoTime();
        source.handler(this::onChunk);
        source.endHandler(v -> onEnd());
        source.exceptionHandler(t -> {
            if (!input.failed()) {
                state.error(input.name + ": read error: " + t.getMessage()); // reported, not only answered
            }
            input.fail("read error: " + t.getMessage());
            onEnd();
        });
    }

    /**
     * Whether the peer sent nothing for {@code timeoutNanos} while this input was ready to read:
     * time paused by back-pressure or after the input ended does not count.
     */
    boolean idle(long now, long timeoutNanos) {
        return !waiting && !ended && !finished && now - lastInput >= timeoutNanos;
    }

    boolean finished() {
        return finished;
    }

    private void onChunk(Buffer data) {
        if (finished || ended) {
            return; // cut, or past the end marker: the rest is not read
        }
        lastInput = System.nanoTime();
        state.bytesRead.addAndGet(data.length());
        if (waiting || pos < end) {
            queued.addLast(data);
            return;
        }
        load(data);
        drain();
    }

    private void onEnd() {
        ended = true;
        if (!waiting) {
            drain();
        } else if (input.failed()) {
            cut(); // a read error while waiting: give up the wait
        }
    }

    private void load(Buffer data) {
        int n = data.length();
        if (chunk.length < n) {
            chunk = new byte[Math.max(n, Math.min(64 * 1024, Math.max(4096, chunk.length * 2)))];
        }
        data.getBytes(0, n, chunk, 0);
        base += end;
        pos = 0;
        end = n;
    }

    /** Works through the chunk and the queued ones until done, or a row waits for the ring. */
    private void drain() {
        try {
            drainChunks();
        } catch (RuntimeException e) {
            // a bug here must fail the input, never leave it open for ever
            state.error(input.name + ": framing failed: " + e);
            input.fail("framing failed: " + e);
            cut();
        }
    }

    private void drainChunks() {
        while (!finished) {
            if (input.failed() || ingest.stopping() || state.fatal.get() != null) {
                if (state.fatal.get() != null) {
                    input.fail("receipt store failed: " + state.fatal.get());
                } else if (ingest.stopping()) {
                    input.fail("pipeline stopped");
                }
                cut();
                return;
            }
            if (pos == end) {
                Buffer next = queued.pollFirst();
                if (next == null) {
                    break;
                }
                load(next);
            }
            if (!frame()) {
                return; // a complete row waits for the ring: written() goes on
            }
        }
        if (finished) {
            return;
        }
        if (ended && pos == end) {
            if (carryLen > 0 || discarding) {
                complete(chunk, end, end); // a last line without a line break
                if (lineCount == SoaLayout.MAX_RUN_LEN && !writeRow()) {
                    return;
                }
            }
            if (lineCount > 0 && !writeRow()) {
                return;
            }
            if (input.failed()) {
                cut(); // the last row held a bad line under FAIL
                return;
            }
            finish();
        } else if (lineCount > 0 && lingerMillis > 0 && lingerTimer < 0) {
            // the input went quiet with a partial row staged: bound how long it waits
            lingerTimer = ingest.timer(lingerMillis, onLinger);
        }
    }

    /** @return false when a complete row waits for the ring */
    private boolean frame() {
        final byte[] src = chunk;
        while (pos < end) {
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
            boolean endMark = complete(src, pos, eol);
            if (endMark) {
                ended = true;
                pos = end;
                skipLf = false;
                queued.clear();
                return true;
            }
            skipLf = c == '\r';
            pos = eol + 1;
            if (lineCount == SoaLayout.MAX_RUN_LEN && !writeRow()) {
                return false;
            }
            if (input.failed()) {
                return true; // drainChunks() cuts here, not at the chunk's end
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
     * The line {@code carry + src[from, to)} has ended: drops it, takes it as the end marker, or
     * stages it.
     *
     * @return true for the end marker
     */
    private boolean complete(byte[] src, int from, int to) {
        int n = to - from;
        if (!discarding && carryLen + n > maxLineLength) {
            overlong();
        }
        if (discarding) {
            discarding = false;
            nextLine();
            return false;
        }
        if (endMarker && carryLen + n == 1 && (carryLen == 1 ? carry[0] : src[from]) == EOT) {
            // TCP peers cannot half-close (the server would drop unread input): they end in band
            carryLen = 0;
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
            return false;
        }
        int at = lineStart[lineCount];
        int need = at + carryLen + n;
        if (staged.length < need) {
            staged = java.util.Arrays.copyOf(staged, Math.max(need, staged.length * 2));
        }
        System.arraycopy(carry, 0, staged, at, carryLen);
        System.arraycopy(src, from, staged, at + carryLen, n);
        carryLen = 0;
        if (lineCount == 0) {
            firstLineAt = System.nanoTime();
        }
        lineNumber[lineCount] = line;
        lineStart[++lineCount] = need;
        rowEndOffset = base + to + (to < end ? 1 : 0);
        rowEndLine = line;
        nextLine();
        return false;
    }

    private void nextLine() {
        input.lines++;
        line++;
    }

    /** Offers the staged row to the ring; @return false when it waits (the socket is then paused) */
    private boolean writeRow() {
        if (lineCount == 0) {
            return true;
        }
        if (ingest.offer(this)) {
            return true;
        }
        waiting = true;
        source.pause();
        ingest.paused();
        return false;
    }

    /** RingIngest, with a claimed row: parses the staged lines into it and publishes it. */
    void writeInto(DeltaRing.Row row, RowTransform transform) {
        cancelLinger();
        transform.begin(row);
        for (int k = 0; k < lineCount; k++) {
            transform.line(staged, lineStart[k], lineStart[k + 1], lineNumber[k]);
        }
        int triples = transform.end();
        long seq = row.sequence();
        int i = state.index(seq);
        state.rowInput[i] = input;
        input.rows++;
        input.lastRowSeq = seq; // the input settles only once Emit passed this row too
        state.rows.incrementAndGet();
        lineCount = 0;
        if (input.failed()) {
            // a bad line under FAIL in this row: the row is cut, not chained, as a file's is, and
            // framing stops at it (frame() and drainChunks() cut the input)
            state.rowEndOffset[i] = -1;
            ingest.publishCut();
            return;
        }
        state.rowEndOffset[i] = rowEndOffset;
        state.rowEndLine[i] = rowEndLine;
        input.triples += triples;
        state.triples.addAndGet(triples);
        ingest.publish();
    }

    /** RingIngest: the row that waited was written; reads on. */
    void written() {
        if (!waiting || finished) {
            return;
        }
        waiting = false;
        lastInput = System.nanoTime(); // the peer could not send while we held it back
        source.resume();
        drain();
    }

    private void onLinger(long id) {
        lingerTimer = -1;
        if (finished || waiting || lineCount == 0) {
            return;
        }
        long left = firstLineAt + lingerMillis * 1_000_000L - System.nanoTime();
        if (left > 0) {
            lingerTimer = ingest.timer(Math.max(1, left / 1_000_000L), onLinger);
            return;
        }
        writeRow();
    }

    private void cancelLinger() {
        if (lingerTimer >= 0) {
            ingest.cancelTimer(lingerTimer);
            lingerTimer = -1;
        }
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

    /** Every line is published: the input ends. */
    private void finish() {
        finished = true;
        cancelLinger();
        input.endOffset = base + end;
        input.endLine = line - 1;
        ingest.flush();
        onFinished.run();
    }

    /**
     * Stops working on a failed or cut input: drops the staged lines (never claimed, so no row is
     * held) and what is queued; the source is resumed and what it still sends is dropped unread,
     * so the peer is not stuck before the answer.
     */
    void cut() {
        if (finished) {
            return;
        }
        finished = true;
        cancelLinger();
        if (waiting) {
            ingest.withdraw(this);
            waiting = false;
        }
        queued.clear();
        pos = end;
        carryLen = 0;
        lineCount = 0;
        source.resume();
        ingest.flush();
        onFinished.run();
    }

    /** The pipeline or the listener stops: fails the input with {@code reason} unless it finished. */
    void stop(String reason) {
        if (!finished) {
            input.fail(reason);
            cut();
        }
    }
}
