package io.github.hotpool.pipeline;

import io.github.hotpool.pipeline.stage.PushSource;
import io.github.hotpool.pipeline.stage.RowWriter;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;

/**
 * The source of a {@link GuardPipeline}: Ingest and Transform in one, on the ring's producer
 * context. Takes inputs (files, buffers) one at a time in the order they were given, frames each
 * into rows of up to 8 lines, parses them into the rows' lanes and publishes them. Owner-thread
 * only, except {@link #submit}.
 */
final class RingIngest implements PushSource {

    private final GuardState state;
    private final Runnable poke;
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    /** The source's context, set once the pipeline is deployed (submissions hop onto it). */
    volatile Context context;
    private RowWriter writer;
    private RowTransform transform;
    private RowFramer current;
    /** Arrays every input reuses: the framer's chunk, and the copy a Vert.x stream's buffers land in. */
    private byte[] chunk = new byte[FileChunks.CHUNK];
    private final byte[][] streamCopy = {new byte[64 * 1024]};
    /** An input is being opened (a file open in flight) or read. */
    private boolean busy;
    private boolean stopped;

    private record Pending(GuardInput input, Runnable open) {
    }

    /** @param poke asks Emit to settle inputs that have ended (runs on any thread) */
    RingIngest(GuardState state, Runnable poke) {
        this.state = state;
        this.poke = poke;
    }

    @Override
    public void start(RowWriter writer) {
        this.writer = writer;
        this.transform = new RowTransform(state.options.getMaxLineLength(), state.terms, (line, column, reason) -> {
            if (current != null) {
                current.badLine(line, column, reason);
            }
        });
        writer.onRoom(() -> {
            if (current != null) {
                current.room();
            }
        });
        next();
    }

    @Override
    public void stop() {
        stopped = true;
        if (current != null) {
            current.stop("pipeline stopped"); // ends it, and next() fails every input still waiting
        } else if (!busy) {
            next();
        }
    }

    /** Any thread: reads {@code file} (from {@code input.mark} when resuming) as the next input. */
    void submitFile(GuardInput input, String file) {
        submit(input, () -> {
            long from = resumeOffset(input);
            // from the terminator of the last line already chained, when resuming
            read(input, new FileChunks(context, java.nio.file.Path.of(file), from > 0 ? from - 1 : 0));
        });
    }

    /** Any thread: reads {@code in} to its end as the next input (not resumable; the caller closes it). */
    void submitStream(GuardInput input, java.io.InputStream in) {
        submit(input, () -> read(input, new FileChunks(context, in)));
    }

    /** Any thread: reads {@code data} (from {@code input.mark} when resuming) as the next input. */
    void submitBuffer(GuardInput input, Buffer data) {
        submit(input, () -> {
            long from = resumeOffset(input);
            Buffer rest = from > 0 ? data.slice((int) from - 1, data.length()) : data;
            read(input, ByteChunks.of(new MemoryStream(context, rest), streamCopy));
        });
    }

    /** Any thread: reads a stream whose handlers run on the source's context (tests: endless input). */
    void submitStream(GuardInput input, ReadStream<Buffer> stream) {
        submit(input, () -> read(input, ByteChunks.of(stream, streamCopy)));
    }

    private void submit(GuardInput input, Runnable open) {
        context.runOnContext(v -> {
            waiting.addLast(new Pending(input, open));
            if (writer != null) {
                next();
            }
        });
    }

    /** Starts the next waiting input if none is being read; after stop(), fails each instead. */
    private void next() {
        while (!busy) {
            Pending p = waiting.pollFirst();
            if (p == null) {
                return;
            }
            GuardInput input = p.input();
            input.firstSeq = writer.nextSequence();
            state.inputs.add(input);
            if (stopped) {
                input.fail("pipeline stopped");
                settleEnded(input);
                continue;
            }
            busy = true;
            p.open().run();
        }
    }

    private static long resumeOffset(GuardInput input) {
        return input.mark != null ? input.mark.offset() : 0;
    }

    private void read(GuardInput input, ByteChunks src) {
        long from = resumeOffset(input);
        long line = input.mark == null ? 1 : input.mark.line() + 1;
        current = new RowFramer(state, input, writer, transform, src, from > 0 ? from - 1 : 0, line, from > 0,
            chunk, () -> ended(input));
        current.start();
    }

    /** The input being read has ended (or failed to open): all its rows are published. */
    private void ended(GuardInput input) {
        if (current != null) {
            chunk = current.chunkArray();
        }
        current = null;
        busy = false;
        settleEnded(input);
        next();
    }

    private void settleEnded(GuardInput input) {
        input.lastSeq = input.rows > 0 ? input.lastRowSeq : input.firstSeq - 1;
        input.ended = true; // after lastSeq: Emit reads ended first
        poke.run();
    }
}
