package io.github.hotpool.pipeline;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * Input bytes for a {@link RowFramer}, delivered on the source's context: a file read into reused
 * arrays ({@link FileChunks}) or any Vert.x {@link ReadStream} ({@link #of(ReadStream)}). A chunk's
 * array belongs to the source again once {@link Sink#chunk} returns: the sink copies what it keeps.
 * Owner-thread only.
 */
interface ByteChunks {

    /** Where chunks go. */
    interface Sink {
        void chunk(byte[] b, int off, int len);

        void end();

        /** @param reason what went wrong, e.g. {@code "cannot open: ..."} or {@code "read error: ..."} */
        void failed(String reason);
    }

    /** Begins delivering to {@code sink}. */
    void start(Sink sink);

    /** Delivers nothing more until {@link #resume()} (a Vert.x stream may still hand over one chunk). */
    void pause();

    void resume();

    /** Delivers nothing more, ever; releases what the source holds (a file is closed). */
    void stop();

    /**
     * A Vert.x stream as chunks: each buffer is copied into one reused array before it is handed on.
     *
     * @param copy holds that array ({@code copy[0]}), shared by the inputs of one source and grown here
     */
    static ByteChunks of(ReadStream<Buffer> stream, byte[][] copy) {
        return new ByteChunks() {
            private boolean stopped;

            @Override
            public void start(Sink sink) {
                stream.handler(buf -> {
                    if (stopped) {
                        return;
                    }
                    int n = buf.length();
                    if (copy[0].length < n) {
                        copy[0] = new byte[n];
                    }
                    buf.getBytes(0, n, copy[0], 0);
                    sink.chunk(copy[0], 0, n);
                });
                stream.endHandler(v -> {
                    if (!stopped) {
                        sink.end();
                    }
                });
                stream.exceptionHandler(t -> {
                    if (!stopped) {
                        sink.failed("read error: " + t.getMessage());
                    }
                });
            }

            @Override
            public void pause() {
                stream.pause();
            }

            @Override
            public void resume() {
                stream.resume();
            }

            @Override
            public void stop() {
                stopped = true;
                stream.handler(null);
                stream.endHandler(null);
            }
        };
    }
}
