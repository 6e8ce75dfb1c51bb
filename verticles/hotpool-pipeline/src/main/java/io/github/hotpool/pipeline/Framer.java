package io.github.hotpool.pipeline;

import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.SoaLayout;
import io.github.hotpool.triples.NTriplesParser;
import io.github.hotpool.vertx.ContextPool;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;

/**
 * Cuts one input stream into batches of at most 8 N-Triples lines, staged beside a leased
 * handle, and dispatches each batch to Transform. Pauses its {@link ReadStream} when the pool
 * is exhausted and resumes when a handle comes back. Owner-thread only (the Ingest context).
 */
final class Framer {

    /*
     * Line ends are those of N-Triples (EOL ::= [#xD#xA]+) counted as the kernel's parser and
     * `triple-guard check` count them: LF, CR LF and a lone CR each end one line. A CR that ends
     * a chunk leaves `skipLf` set, so an LF that opens the next chunk completes that same line
     * end instead of ending an empty line: line numbers do not depend on where chunks are cut.
     * No CR or LF ever reaches staging, so every staged line holds at most one statement (a
     * second one on the same line is a parse error, reported with its column).
     *
     * Staging holds only complete lines. The bytes of a line cut by a chunk boundary wait in
     * `carry` (this Framer's own array, grown on demand up to maxLineLength), and a handle is
     * leased only when a complete line that carries a triple is ready to be staged. So a peer
     * that sends half a line and stops holds no pool buffer; one that sends a few lines and
     * stops holds one for at most `batchLingerMillis` (HTTP and TCP inputs; 0 = until full or
     * ended), after which the partial batch is dispatched. Files and in-memory input never linger:
     * their reads are ours and cannot stall at a peer's will, and cutting batches by time would
     * make their receipts, hence the lockchain head, depend on timing.
     *
     * Bytes are copied once per complete line (chunk or carry -> the slot's staging area), plus
     * once into carry for the piece of a line that a chunk boundary cuts. Nothing is allocated
     * per line. Blank and comment-only lines are dropped here (they carry no triple); every
     * staged line ends with a single '\n' so that Transform can feed it to the parser alone and
     * attribute errors to its line number.
     *
     * A fast producer finds the pool dry on nearly every batch, so the wait for a handle must
     * cost nothing: one parking node, made with the Framer, is parked for every wait (no
     * future, no timer), and cut() unparks it.
     */

    /** An end-of-input line: one EOT byte (0x04), which no N-Triples line can start with. */
    static final byte EOT = 0x04;

    private static final int CONSUMED = 0;
    private static final int NEED_HANDLE = 1;
    private static final int END_MARK = 2;
    private static final byte[] NO_BYTES = new byte[0];

    private final IngestVerticle ingest;
    final IngestStream stream;
    private final ReadStream<Buffer> source;
    private final int maxLineLength;
    private final boolean endMarker;
    private final long lingerMillis;
    private final ArrayDeque<Buffer> queued = new ArrayDeque<>();
    private final ContextPool.Parking parking = new ContextPool.Parking() {
        @Override
        protected void onBuffer(SoaBuffer b) {
            onHandle(b);
        }
    };
    /** Made once: a method reference per arming would allocate. */
    private final Handler<Long> onLinger = this::onLinger;
    private byte[] chunk = new byte[16 * 1024];
    private int pos;
    private int end;
    /** Input offset of chunk[0]: the resume point of a staged line is base + its end. */
    private long base;
    /** Resuming: the first input byte is the previous line's terminator (a CR may pair with an LF next). */
    private boolean primed;
    private byte[] carry = NO_BYTES;
    private int carryLen;
    private SoaBuffer open;
    private long openedAt;
    private long lingerTimer = -1;
    private long line = 1;
    private long lastInput;
    private boolean discarding;
    private boolean skipLf;
    private boolean waiting;
    private boolean ended;
    private boolean finished;

    /**
     * @param endMarker whether a line holding the single byte {@link #EOT} ends the input (TCP)
     * @param lingerMillis how long a partial batch may wait for more lines before it is
     *     dispatched anyway; 0: it waits until full or the input ends (files, memory)
     */
    Framer(IngestVerticle ingest, IngestStream stream, ReadStream<Buffer> source, int maxLineLength,
           boolean endMarker, long lingerMillis) {
        this(ingest, stream, source, maxLineLength, endMarker, lingerMillis, 0, 1, false);
    }

    /**
     * A Framer whose source starts at input offset {@code startOffset} on line {@code startLine};
     * {@code primed}: the source's first byte is the terminator of the line before (resuming).
     */
    Framer(IngestVerticle ingest, IngestStream stream, ReadStream<Buffer> source, int maxLineLength,
           boolean endMarker, long lingerMillis, long startOffset, long startLine, boolean primed) {
        this.base = startOffset;
        this.line = startLine;
        this.primed = primed;
        this.ingest = ingest;
        this.endMarker = endMarker;
        this.stream = stream;
        this.source = source;
        this.maxLineLength = maxLineLength;
        this.lingerMillis = lingerMillis;
    }

    void start() {
        lastInput = System.nanoTime();
        source.handler(this::onChunk);
        source.endHandler(v -> onEnd());
        source.exceptionHandler(t -> {
            stream.fail("read error: " + t.getMessage());
            onEnd();
        });
    }

    /**
     * Whether the peer has sent nothing for {@code timeoutNanos} while this Framer was ready to
     * read: time spent paused for a handle (our back-pressure) or after the input ended (the
     * reply is ours to send) does not count.
     */
    boolean idle(long now, long timeoutNanos) {
        return !waiting && !ended && !finished && now - lastInput >= timeoutNanos;
    }

    private void onChunk(Buffer data) {
        if (finished) {
            return; // failed stream: drain the source without working
        }
        lastInput = System.nanoTime();
        if (waiting || pos < end) {
            queued.addLast(data);
            ingest.rt.maxQueuedChunks.accumulateAndGet(queued.size(), Math::max);
            return;
        }
        load(data);
        drain();
    }

    private void load(Buffer data) {
        int n = data.length();
        if (chunk.length < n) {
            chunk = new byte[Math.max(n, chunk.length * 2)];
        }
        data.getBytes(0, n, chunk, 0);
        base += end;
        pos = 0;
        end = n;
    }

    /** Works through the current chunk and any queued ones until done or out of handles. */
    private void drain() {
        while (!finished) {
            if (stream.failed() || ingest.rt.closing || ingest.rt.fatal.get() != null) {
                if (ingest.rt.fatal.get() != null) {
                    stream.fail("receipt store failed: " + ingest.rt.fatal.get());
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
                waitForHandle();
                return;
            }
        }
        if (finished) {
            return;
        }
        if (ended && pos == end && queued.isEmpty()) {
            // a last line without a line break: it may need a handle like any other
            if ((carryLen > 0 || discarding) && complete(chunk, end, end) == NEED_HANDLE) {
                waitForHandle();
                return;
            }
            finish();
        } else if (open != null && lingerMillis > 0 && lingerTimer < 0) {
            // the input went quiet with a partial batch staged: bound how long it holds the handle
            lingerTimer = ingest.timer(lingerMillis, onLinger);
        }
    }

    /** @return false when a handle is needed and none is free (the line is left unconsumed) */
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
                    pos++; // second half of a CR LF pair cut by a chunk boundary (or a wait)
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
            int r = complete(src, pos, eol);
            if (r == NEED_HANDLE) {
                return false;
            }
            if (r == END_MARK) {
                pos = end;
                skipLf = false;
                queued.clear();
                return true;
            }
            skipLf = c == '\r';
            pos = eol + 1;
        }
        return true;
    }

    /** Keeps the start of a line cut by the end of the chunk, outside any pool buffer. */
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
            // grown rarely, by doubling, and never past maxLineLength: bounded per input
            carry = java.util.Arrays.copyOf(carry,
                Math.min(maxLineLength, Math.max(carryLen + n, Math.max(256, carry.length * 2))));
        }
        System.arraycopy(src, from, carry, carryLen, n);
        carryLen += n;
    }

    private void overlong() {
        ingest.badLine(stream, line, maxLineLength + 1,
            NTriplesParser.lineTooLong(maxLineLength) + " (maxLineLength)");
        carryLen = 0;
        discarding = true;
    }

    /**
     * The line {@code carry + src[from, to)} has ended: drops it, takes it as the end marker, or
     * stages it (leasing a handle if none is open).
     *
     * @return {@link #NEED_HANDLE} (nothing consumed), {@link #END_MARK} or {@link #CONSUMED}
     */
    private int complete(byte[] src, int from, int to) {
        int n = to - from;
        if (!discarding && carryLen + n > maxLineLength) {
            overlong();
        }
        if (discarding) {
            discarding = false;
            nextLine();
            return CONSUMED;
        }
        if (endMarker && carryLen + n == 1 && (carryLen == 1 ? carry[0] : src[from]) == EOT) {
            // TCP peers cannot half-close (the server would drop unread input): they end in band
            carryLen = 0;
            nextLine();
            ended = true;
            return END_MARK;
        }
        int first = firstNonBlank(carry, 0, carryLen);
        if (first < 0) {
            first = firstNonBlank(src, from, to);
        }
        if (first < 0 || first == '#') {
            carryLen = 0;
            nextLine();
            return CONSUMED;
        }
        if (open == null) {
            if ((open = ingest.open()) == null) {
                return NEED_HANDLE;
            }
            openedAt = System.nanoTime();
        }
        stage(src, from, to);
        return CONSUMED;
    }

    /** Copies the complete line into the open slot's staging area; dispatches a full batch. */
    private void stage(byte[] src, int from, int to) {
        int slot = open.slot();
        Ledger ledger = ingest.ledger;
        byte[] staged = ledger.staging[slot];
        int len = ledger.stagingLength[slot];
        if (carryLen > 0) {
            System.arraycopy(carry, 0, staged, len, carryLen);
            len += carryLen;
            carryLen = 0;
        }
        System.arraycopy(src, from, staged, len, to - from);
        len += to - from;
        staged[len++] = '\n';
        ledger.stagingLength[slot] = len;
        ledger.endOffset[slot] = base + to + (to < end ? 1 : 0);
        ledger.endLine[slot] = line;
        int count = ledger.lineCount[slot];
        ledger.lineNumber[slot][count] = line;
        ledger.lineStart[slot][count + 1] = len;
        ledger.lineCount[slot] = ++count;
        nextLine();
        if (count == SoaLayout.MAX_RUN_LEN) {
            ingest.dispatch(open, stream);
            open = null;
        }
    }

    private void nextLine() {
        stream.lines.incrementAndGet();
        line++;
    }

    /** @return the first byte of {@code b[from, to)} that is not a space or tab, or -1 */
    static int firstNonBlank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c != ' ' && c != '\t') {
                return c & 0xFF;
            }
        }
        return -1;
    }

    /** The linger timer: dispatches the partial batch once it is {@code lingerMillis} old. */
    private void onLinger(long id) {
        lingerTimer = -1;
        if (finished || open == null) {
            return;
        }
        long left = openedAt + lingerMillis * 1_000_000L - System.nanoTime();
        if (left > 0) {
            lingerTimer = ingest.timer(Math.max(1, left / 1_000_000L), onLinger); // a newer batch: its own deadline
            return;
        }
        ingest.dispatch(open, stream);
        open = null;
    }

    private void cancelLinger() {
        if (lingerTimer >= 0) {
            ingest.cancelTimer(lingerTimer);
            lingerTimer = -1;
        }
    }

    private void waitForHandle() {
        waiting = true;
        source.pause();
        ingest.rt.pauses.incrementAndGet();
        if (!ingest.park(parking)) { // may be served before it returns
            waiting = false;
            stopped("ingest closing");
        }
    }

    /** The wait ends: with a handle, or null when the pool closed. */
    private void onHandle(SoaBuffer b) {
        waiting = false;
        if (b == null) {
            stopped("pool closed");
            return;
        }
        if (finished || stream.failed() || ingest.closing || ingest.rt.closing) {
            ingest.giveBack(b); // nothing will be framed into it
            if (ingest.closing) {
                stopped("ingest closing");
            } else {
                cut(); // failed stream, or the pipeline stops taking input (as drain() would)
            }
            return;
        }
        open = ingest.opened(b);
        openedAt = System.nanoTime();
        lastInput = openedAt; // the peer could not send while we held it back
        ingest.rt.resumes.incrementAndGet();
        source.resume();
        drain();
    }

    private void stopped(String why) {
        if (!finished) {
            stream.fail("ingest stopped while waiting for a handle: " + why);
            cut();
        }
    }

    private void onEnd() {
        ended = true;
        if (!waiting) {
            drain();
        } else if (stream.failed()) {
            cut(); // a read error while parked: give up the wait rather than the next handle
        }
    }

    /** Input ended and its last line is staged: dispatches the partly filled batch. */
    private void finish() {
        finished = true;
        cancelLinger();
        if (open != null) {
            if (ingest.ledger.lineCount[open.slot()] > 0) {
                ingest.dispatch(open, stream);
            } else {
                ingest.ledger.release(open.slot());
            }
            open = null;
        }
        stream.end();
    }

    /** Stops working on a failed stream: gives the open handle back and drops what is queued. */
    void cut() {
        if (finished) {
            return;
        }
        finished = true;
        cancelLinger();
        if (waiting) {
            ingest.unpark(parking);
            waiting = false;
        }
        queued.clear();
        pos = end;
        carryLen = 0;
        if (open != null) {
            ingest.ledger.release(open.slot());
            open = null;
        }
        source.resume(); // drain the rest unread so the peer is not stuck
        stream.end();
    }
}
