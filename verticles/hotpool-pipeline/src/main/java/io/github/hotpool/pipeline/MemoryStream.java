package io.github.hotpool.pipeline;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A {@link ReadStream} over a buffer already in memory: hands out slices (views, no copy) of
 * {@link #CHUNK} bytes on its context, honouring pause, resume and fetch, then ends. Lets Ingest
 * take input from memory exactly as from a file. Owner-thread only (its context).
 */
final class MemoryStream implements ReadStream<Buffer> {

    /** Same size as Ingest's file reads, so memory and file input are framed the same way. */
    static final int CHUNK = 64 * 1024;

    private final Context context;
    private final Buffer data;
    private final int chunk;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private long demand = Long.MAX_VALUE;
    private int pos;
    private boolean scheduled;
    private boolean ended;

    MemoryStream(Context context, Buffer data) {
        this(context, data, CHUNK);
    }

    /** Hands out slices of {@code chunk} bytes (tests cut the input at every offset this way). */
    MemoryStream(Context context, Buffer data, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk " + chunk + " below 1");
        }
        this.context = context;
        this.data = data;
        this.chunk = chunk;
    }

    @Override
    public MemoryStream exceptionHandler(Handler<Throwable> handler) {
        return this; // reading memory cannot fail
    }

    @Override
    public MemoryStream handler(Handler<Buffer> handler) {
        this.handler = handler;
        schedule();
        return this;
    }

    @Override
    public MemoryStream pause() {
        demand = 0;
        return this;
    }

    @Override
    public MemoryStream resume() {
        return fetch(Long.MAX_VALUE);
    }

    @Override
    public MemoryStream fetch(long amount) {
        demand = Long.MAX_VALUE - demand <= amount ? Long.MAX_VALUE : demand + amount;
        schedule();
        return this;
    }

    @Override
    public MemoryStream endHandler(Handler<Void> endHandler) {
        this.endHandler = endHandler;
        return this;
    }

    /** Emits from a fresh task, never from inside the caller's pause/resume/handler call. */
    private void schedule() {
        if (!scheduled && !ended && handler != null && demand > 0) {
            scheduled = true;
            context.runOnContext(v -> emit());
        }
    }

    private void emit() {
        scheduled = false;
        int length = data.length();
        while (demand > 0 && pos < length && handler != null) {
            int to = Math.min(length, pos + chunk);
            Buffer chunk = data.slice(pos, to);
            pos = to;
            if (demand != Long.MAX_VALUE) {
                demand--;
            }
            handler.handle(chunk);
        }
        if (pos == length && !ended) {
            ended = true;
            if (endHandler != null) {
                endHandler.handle(null);
            }
        }
    }
}
