package io.github.hotpool.pipeline;

import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.SoaLayout;
import io.github.hotpool.vertx.ContextPool;
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
     * Bytes are copied once, from the chunk into the open slot's staging area; a line cut by a
     * chunk boundary simply stays there until its end arrives. Blank and comment-only lines are
     * dropped here (they carry no triple); every other line ends with a single '\n' in staging
     * so that Transform can feed it to the parser alone and attribute errors to its line number.
     *
     * A fast producer finds the pool dry on nearly every batch, so the wait for a handle must
     * cost nothing: one parking node, made with the Framer, is parked for every wait (no
     * future, no timer), and cut() unparks it.
     */

    private final IngestVerticle ingest;
    private final IngestStream stream;
    private final ReadStream<Buffer> source;
    private final int maxLineLength;
    private final boolean endMarker;
    private final ArrayDeque<Buffer> queued = new ArrayDeque<>();
    private final ContextPool.Parking parking = new ContextPool.Parking() {
        @Override
        protected void onBuffer(SoaBuffer b) {
            onHandle(b);
        }
    };
    private byte[] chunk = new byte[16 * 1024];
    private int pos;
    private int end;
    private SoaBuffer open;
    private int lineStart;
    private long line = 1;
    private boolean discarding;
    private boolean waiting;
    private boolean ended;
    private boolean finished;

    /** An end-of-input line: one EOT byte (0x04), which no N-Triples line can start with. */
    static final byte EOT = 0x04;

    Framer(IngestVerticle ingest, IngestStream stream, ReadStream<Buffer> source, int maxLineLength,
           boolean endMarker) {
        this.ingest = ingest;
        this.endMarker = endMarker;
        this.stream = stream;
        this.source = source;
        this.maxLineLength = maxLineLength;
    }

    void start() {
        source.handler(this::onChunk);
        source.endHandler(v -> onEnd());
        source.exceptionHandler(t -> {
            stream.fail("read error: " + t.getMessage());
            onEnd();
        });
    }

    private void onChunk(Buffer data) {
        if (finished) {
            return; // failed stream: drain the source without working
        }
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
        pos = 0;
        end = n;
    }

    /** Works through the current chunk and any queued ones until done or out of handles. */
    private void drain() {
        while (!finished) {
            if (stream.failed() || ingest.rt.closing) {
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
        if (ended && !finished && pos == end && queued.isEmpty()) {
            finish();
        }
    }

    /** @return false when a handle is needed and none is free */
    private boolean frame() {
        final byte[] src = chunk;
        while (pos < end) {
            if (open == null && (open = ingest.open()) == null) {
                return false;
            }
            int eol = pos;
            while (eol < end && src[eol] != '\n') {
                eol++;
            }
            append(src, pos, eol);
            boolean complete = eol < end;
            pos = complete ? eol + 1 : end;
            if (complete) {
                endLine();
            }
        }
        return true;
    }

    private void append(byte[] src, int from, int to) {
        if (discarding) {
            return;
        }
        int slot = open.slot();
        Ledger ledger = ingest.ledger;
        int len = ledger.stagingLength[slot];
        int n = to - from;
        if (len - lineStart + n > maxLineLength) {
            ingest.badLine(stream, line, maxLineLength + 1,
                "line longer than maxLineLength " + maxLineLength + " bytes");
            ledger.stagingLength[slot] = lineStart;
            discarding = true;
            return;
        }
        System.arraycopy(src, from, ledger.staging[slot], len, n);
        ledger.stagingLength[slot] = len + n;
    }

    private void endLine() {
        stream.lines.incrementAndGet();
        long number = line++;
        if (discarding) {
            discarding = false;
            return;
        }
        int slot = open.slot();
        Ledger ledger = ingest.ledger;
        byte[] staged = ledger.staging[slot];
        int len = ledger.stagingLength[slot];
        if (len > lineStart && staged[len - 1] == '\r') {
            len--;
        }
        if (endMarker && len - lineStart == 1 && staged[lineStart] == EOT) {
            // TCP peers cannot half-close (the server would drop unread input): they end in band
            ledger.stagingLength[slot] = lineStart;
            ended = true;
            pos = end;
            queued.clear();
            return;
        }
        if (blankOrComment(staged, lineStart, len)) {
            ledger.stagingLength[slot] = lineStart;
            return;
        }
        staged[len++] = '\n';
        ledger.stagingLength[slot] = len;
        int count = ledger.lineCount[slot];
        ledger.lineNumber[slot][count] = number;
        ledger.lineStart[slot][count + 1] = len;
        ledger.lineCount[slot] = ++count;
        lineStart = len;
        if (count == SoaLayout.MAX_RUN_LEN) {
            ingest.dispatch(open, stream);
            open = null;
            lineStart = 0;
        }
    }

    private static boolean blankOrComment(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c != ' ' && c != '\t') {
                return c == '#';
            }
        }
        return true;
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

    /** Input ended: flush a last line without line break and the partly filled batch. */
    private void finish() {
        finished = true;
        if (open != null) {
            if (ingest.ledger.stagingLength[open.slot()] > lineStart || discarding) {
                endLine();
            }
        }
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
        if (waiting) {
            ingest.unpark(parking);
            waiting = false;
        }
        queued.clear();
        pos = end;
        if (open != null) {
            ingest.ledger.release(open.slot());
            open = null;
        }
        source.resume(); // drain the rest unread so the peer is not stuck
        stream.end();
    }
}
