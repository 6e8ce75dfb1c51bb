package io.github.hotpool.benchmarks.pipeline;

import io.github.hotpool.core.SoaLayout;

/**
 * The benchmarks' framer: finds the lines of the next row of an in-memory N-Triples input, up to 8
 * statement lines, and records where each lies in the input ({@code from[i]}, {@code to[i]}, before
 * its line break) with its input line number, so that {@link io.github.hotpool.pipeline.RowTransform}
 * parses them in place, as the pipeline's source parses them in its chunk. Rows are cut as the
 * pipeline's framer cuts them: by content only, 8 lines that carry a statement (blank and comment
 * lines dropped, LF, CR LF and a lone CR each end a line) or the input's end, so row i here is row i
 * there. It reads the input array directly, where the pipeline's source reads the file into chunks
 * first. Owner-thread only.
 */
final class RowLines {

    /** The input the offsets point into. */
    byte[] input = new byte[0];
    final int[] from = new int[SoaLayout.MAX_RUN_LEN];
    final int[] to = new int[SoaLayout.MAX_RUN_LEN];
    final long[] lineNumbers = new long[SoaLayout.MAX_RUN_LEN];
    /** Lines found by the last {@link #next()}. */
    int lines;
    private final int maxLineLength;
    private int pos;
    private long line;

    RowLines(int maxLineLength) {
        this.maxLineLength = maxLineLength;
    }

    /** Starts over on {@code data}, from its first line. */
    RowLines reset(byte[] data) {
        input = data;
        pos = 0;
        line = 1;
        lines = 0;
        return this;
    }

    /**
     * Finds the next row's lines.
     *
     * @return false once the input has no statement line left
     * @throws IllegalArgumentException for a line longer than maxLineLength (the bundled data has none)
     */
    boolean next() {
        final byte[] src = input;
        final int n = src.length;
        lines = 0;
        while (lines < SoaLayout.MAX_RUN_LEN && pos < n) {
            int eol = pos;
            byte c = 0;
            while (eol < n && (c = src[eol]) != '\n' && c != '\r') {
                eol++;
            }
            long number = line++;
            int first = firstNonBlank(src, pos, eol);
            if (first >= 0 && first != '#') {
                int length = eol - pos;
                if (length > maxLineLength) {
                    throw new IllegalArgumentException("line " + number + " is " + length
                        + " bytes, longer than maxLineLength " + maxLineLength);
                }
                from[lines] = pos;
                to[lines] = eol;
                lineNumbers[lines++] = number;
            }
            pos = eol + 1;
            if (c == '\r' && pos < n && src[pos] == '\n') {
                pos++;
            }
        }
        return lines > 0;
    }

    private static int firstNonBlank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c != ' ' && c != '\t') {
                return c & 0xFF;
            }
        }
        return -1;
    }
}
