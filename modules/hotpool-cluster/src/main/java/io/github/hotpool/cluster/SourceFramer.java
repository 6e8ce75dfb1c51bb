package io.github.hotpool.cluster;

import io.github.hotpool.core.SoaLayout;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Cuts an N-Triples stream into lines frames of up to 8 statement lines, by content only, with
 * the pipeline's rules: LF, CR LF and a lone CR each end one line; blank lines and comments are
 * dropped; a line longer than {@code maxLineLength} is reported and dropped. So the units are the
 * same rows the single-node pipelines cut. Single-threaded (the reader's thread).
 */
final class SourceFramer {

    /** Receives each frame (owned by the callee from then on) and each dropped overlong line. */
    interface Sink {
        void frame(Buffer frame) throws InterruptedException;

        void overlong(long line, int maxLineLength);
    }

    private final int maxLineLength;
    private final Sink sink;
    private byte[] carry = new byte[256];
    private int carryLen;
    private boolean discarding;
    private boolean lastWasCr;
    private long line = 1;
    private Buffer frame;
    private int start;
    private int lines;
    private long bytes;

    SourceFramer(int maxLineLength, Sink sink) {
        this.maxLineLength = maxLineLength;
        this.sink = sink;
    }

    /** Reads {@code in} to its end. */
    void read(InputStream in) throws IOException, InterruptedException {
        byte[] chunk = new byte[64 * 1024];
        int n;
        while ((n = in.read(chunk)) >= 0) {
            bytes += n;
            for (int i = 0; i < n; i++) {
                byte c = chunk[i];
                if (c == '\n' && lastWasCr) {
                    lastWasCr = false; // the LF of a CR LF: the line ended at the CR
                    continue;
                }
                lastWasCr = c == '\r';
                if (c == '\n' || c == '\r') {
                    endLine();
                } else {
                    append(c);
                }
            }
        }
        if (carryLen > 0 || discarding) {
            endLine();
        }
        if (lines > 0) {
            emit();
        }
    }

    /** @return bytes read */
    long bytes() {
        return bytes;
    }

    /** @return the number of the line after the last one read */
    long lines() {
        return line - 1;
    }

    private void append(byte c) throws InterruptedException {
        if (discarding) {
            return;
        }
        if (carryLen == maxLineLength) {
            sink.overlong(line, maxLineLength);
            discarding = true;
            carryLen = 0;
            return;
        }
        if (carryLen == carry.length) {
            carry = Arrays.copyOf(carry, Math.min(maxLineLength, carry.length * 2));
        }
        carry[carryLen++] = c;
    }

    private void endLine() throws InterruptedException {
        long number = line++;
        if (discarding) {
            discarding = false;
            return;
        }
        int first = firstNonBlank(carry, carryLen);
        int len = carryLen;
        carryLen = 0;
        if (first < 0 || first == '#') {
            return;
        }
        if (frame == null) {
            frame = Buffer.buffer(1024);
            start = LinesFrame.begin(frame);
        }
        LinesFrame.line(frame, start, carry, 0, len, number);
        if (++lines == SoaLayout.MAX_RUN_LEN) {
            emit();
        }
    }

    private void emit() throws InterruptedException {
        LinesFrame.end(frame, start);
        Buffer f = frame;
        frame = null;
        lines = 0;
        sink.frame(f);
    }

    /** Blank means spaces and tabs only, as the pipeline's framer says. */
    static int firstNonBlank(byte[] b, int len) {
        for (int i = 0; i < len; i++) {
            byte c = b[i];
            if (c != ' ' && c != '\t') {
                return c & 0xFF;
            }
        }
        return -1;
    }
}
