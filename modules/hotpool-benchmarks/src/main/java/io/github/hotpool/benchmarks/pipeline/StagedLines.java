package io.github.hotpool.benchmarks.pipeline;

/** Cuts a byte array into batches of up to 8 non-blank, non-comment lines (each ending in '\n'). */
final class StagedLines {

    interface Consumer {
        void batch(byte[] src, int from, int to);
    }

    private StagedLines() {
    }

    /** Calls {@code consumer} per batch with the byte range of its lines. */
    static void each(byte[] src, Consumer consumer) {
        int batchStart = 0;
        int lines = 0;
        int i = 0;
        while (i < src.length) {
            int eol = i;
            while (eol < src.length && src[eol] != '\n') {
                eol++;
            }
            boolean content = eol > i && src[i] != '#';
            if (!content && lines == 0) {
                batchStart = eol + 1;
            } else if (content && ++lines == 8) {
                consumer.batch(src, batchStart, Math.min(eol + 1, src.length));
                lines = 0;
                batchStart = eol + 1;
            }
            i = eol + 1;
        }
        if (lines > 0) {
            consumer.batch(src, batchStart, src.length);
        }
    }
}
