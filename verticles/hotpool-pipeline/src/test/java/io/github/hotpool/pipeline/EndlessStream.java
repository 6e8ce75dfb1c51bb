package io.github.hotpool.pipeline;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** A ReadStream that hands out the same chunk for ever on its context, honouring pause and resume. */
final class EndlessStream implements ReadStream<Buffer> {

    private final Context context;
    private final Buffer chunk;
    private Handler<Buffer> handler;
    private boolean paused;
    private boolean scheduled;
    volatile long chunks;

    EndlessStream(Context context, Buffer chunk) {
        this.context = context;
        this.chunk = chunk;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
        return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> h) {
        this.handler = h;
        schedule();
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        paused = true;
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        paused = false;
        schedule();
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        return resume();
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> h) {
        return this;
    }

    private void schedule() {
        if (!scheduled && !paused && handler != null) {
            scheduled = true;
            context.runOnContext(v -> {
                scheduled = false;
                if (!paused && handler != null) {
                    chunks++;
                    handler.handle(chunk);
                    schedule();
                }
            });
        }
    }
}
