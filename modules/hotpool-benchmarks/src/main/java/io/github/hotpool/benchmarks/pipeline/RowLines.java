package io.github.hotpool.benchmarks.pipeline;

import io.github.hotpool.core.SoaLayout;

/**
 * The benchmarks' framer: cuts an in-memory N-Triples input into rows of up to 8 statement lines,
 * copied into a staging array in the shape {@link io.github.hotpool.pipeline.RowTransform#parse}
 * takes (each line ends with one '\n', {@code starts[i]} where line i begins, input line numbers
 * beside). Rows are cut as the pipeline's framer cuts them: by content only, 8 lines that carry a
 * statement (blank and comment lines dropped, LF, CR LF and a lone CR each end a line) or the
 * input's end, so row i here is row i there. It reads the input array directly, where the
 * pipeline's framer copies each 64 KiB chunk out of a {@code Buffer} first. Owner-thread only.
 */
final class RowLines {

    final byte[] staged;
    final int[] starts = new int[SoaLayout.MAX_RUN_LEN + 1];
    final long[] lineNumbers = new long[SoaLayout.MAX_RUN_LEN];
    /** Lines staged by the last {@link #next()}. */
    int lines;
    private final int maxLineLength;
    private byte[] input = new byte[0];
    private int pos;
    private long line;

    RowLines(int maxLineLength) {
        this.maxLineLength = maxLineLength;
        this.staged = new byte[SoaLayout.MAX_RUN_LEN * (maxLineLength + 1)];
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
     * Stages the next row.
     *
     * @return false once the input has no statement line left (nothing staged)
     * @throws IllegalArgumentException for a line longer than maxLineLength (the bundled data has none)
     */
    boolean next() {
        final byte[] src = input;
        final int n = src.length;
        int len = 0;
        lines = 0;
        starts[0] = 0;
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
                System.arraycopy(src, pos, staged, len, length);
                len += length;
                staged[len++] = '\n';
                lineNumbers[lines] = number;
                starts[++lines] = len;
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
