package io.github.hotpool.pipeline;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.pipeline.stage.PushSource;
import io.github.hotpool.pipeline.stage.RowWriter;
import io.github.hotpool.pipeline.store.DirectStaging;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;

/**
 * The source of a {@link GuardPipeline}: Ingest and Transform in one, on the ring's producer
 * context. Takes inputs (files, buffers, stdin) one at a time in the order they were given, frames
 * each into rows of up to 8 lines, parses them into the rows' lanes and publishes them; beside
 * them, any number of network inputs ({@link RingListeners}: HTTP bodies, TCP connections) at
 * once, each framed by a {@link NetFramer} that writes whole rows. Owner-thread only, except
 * {@link #submit}.
 *
 * <p>The producer has one open row at a time. A file's framer holds it across chunks; a network
 * row is claimed, written and published in one step, only while the file's framer holds none, so
 * no row ever mixes lines of two inputs. Network rows that find the ring full or the file's row
 * open wait, in the order they became complete, in {@link #ready}: each is written as soon as the
 * file's row is published or a row is freed, before the file's framer claims again.
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
    /** Complete network rows waiting for the producer (ring full, or the file's row open), oldest first. */
    private final ArrayDeque<NetFramer> ready = new ArrayDeque<>();
    /** Network inputs being read. */
    private final java.util.Set<NetFramer> nets = new java.util.LinkedHashSet<>();
    /** Where the transform's bad lines go while a network row is written (else: the file's framer). */
    private RowTransform.BadLines reporting;
    /** The HTTP and TCP listeners, or null. */
    volatile RingListeners listeners;
    /** The writer the file framers get: publishing a row lets the network rows that wait go first. */
    private final RowWriter fileWriter = new FileRowWriter();
    /** Native read buffers shared by the file inputs one after another (this context only). */
    private final ArrayDeque<DirectStaging> stagingSpares = new ArrayDeque<>(2);

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
            if (reporting != null) {
                reporting.badLine(line, column, reason);
            } else if (current != null) {
                current.badLine(line, column, reason);
            }
        });
        writer.onRoom(() -> {
            writeReady();
            if (current != null) {
                current.room();
            }
        });
        next();
    }

    @Override
    public void stop() {
        stopped = true;
        RingListeners l = listeners;
        if (l != null) {
            l.close("pipeline stopped"); // cuts every network input: their staged lines were never claimed
        }
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
            read(input, new FileChunks(context, java.nio.file.Path.of(file), from > 0 ? from - 1 : 0, stagingSpares));
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
        current = new RowFramer(state, input, fileWriter, transform, src, from > 0 ? from - 1 : 0, line, from > 0,
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

    // ---------------------------------------------------------------- network inputs (NetFramer)

    /**
     * Starts reading a network input now, beside any other.
     *
     * @param endMarker whether a line holding the byte 0x04 ends it (TCP)
     * @param lingerMillis how long a partial row may wait for more lines (0: never by time)
     * @return its framer (already finished, the input failed, if the pipeline stops)
     */
    NetFramer startNet(GuardInput input, ReadStream<Buffer> src, boolean endMarker, long lingerMillis) {
        input.firstSeq = writer.nextSequence();
        state.inputs.add(input);
        NetFramer[] self = {null};
        NetFramer f = new NetFramer(this, state, input, src, endMarker, lingerMillis, () -> {
            nets.remove(self[0]);
            settleEnded(input);
        });
        self[0] = f;
        nets.add(f);
        f.start();
        if (stopped || writer.stopping()) {
            f.stop("pipeline stopped");
        }
        return f;
    }

    /** @return true, the row written and published, or false: it waits, and {@link NetFramer#written()} follows */
    boolean offer(NetFramer f) {
        if (!ready.isEmpty() || (current != null && current.holdsRow())) {
            ready.addLast(f);
            return false;
        }
        DeltaRing.Row row = writer.tryClaim();
        if (row == null) {
            ready.addLast(f); // the ring is full (onRoom follows) or the pipeline stops (stop() cuts f)
            return false;
        }
        write(f, row);
        return true;
    }

    /** Cuts every network input still being read, failing it with {@code reason} (each reported). */
    void stopNets(String reason) {
        for (NetFramer f : java.util.List.copyOf(nets)) {
            if (!f.finished()) {
                state.error(f.input.name + ": " + reason);
                f.stop(reason);
            }
        }
    }

    /** A cut framer's row no longer waits. */
    void withdraw(NetFramer f) {
        ready.remove(f);
    }

    /** Writes the waiting network rows, oldest first, while the producer is free and the ring has room. */
    private void writeReady() {
        while (!ready.isEmpty() && !stopped && (current == null || !current.holdsRow())) {
            DeltaRing.Row row = writer.tryClaim();
            if (row == null) {
                return; // onRoom runs this again
            }
            NetFramer f = ready.pollFirst();
            write(f, row);
            f.written(); // may stage and offer its next row: it queues behind the others
        }
    }

    private void write(NetFramer f, DeltaRing.Row row) {
        reporting = f;
        try {
            f.writeInto(row, transform);
        } finally {
            reporting = null;
        }
    }

    void publish() {
        writer.publish();
    }

    /** Publishes the claimed row failed as cut: Emit passes it over, chaining nothing of it. */
    void publishCut() {
        writer.publishFailed(RingEmit.REASON_CUT);
    }

    void flush() {
        writer.flush();
    }

    boolean stopping() {
        return stopped || writer.stopping();
    }

    void paused() {
        RingListeners l = listeners;
        if (l != null) {
            l.pauses.incrementAndGet();
        }
    }

    long timer(long delayMillis, io.vertx.core.Handler<Long> handler) {
        return context.owner().setTimer(delayMillis, handler);
    }

    void cancelTimer(long id) {
        context.owner().cancelTimer(id);
    }

    /** The file framers' writer: every row they publish lets the network rows that wait be written next. */
    private final class FileRowWriter implements RowWriter {
        @Override
        public DeltaRing.Row tryClaim() {
            return writer.tryClaim();
        }

        @Override
        public void publish() {
            writer.publish();
            writeReady();
        }

        @Override
        public void publishFailed(int reason) {
            writer.publishFailed(reason);
            writeReady();
        }

        @Override
        public void flush() {
            writer.flush();
        }

        @Override
        public void onRoom(Runnable onRoom) {
            throw new UnsupportedOperationException("RingIngest owns the room callback");
        }

        @Override
        public long nextSequence() {
            return writer.nextSequence();
        }

        @Override
        public boolean stopping() {
            return writer.stopping();
        }

        @Override
        public io.vertx.core.Context context() {
            return writer.context();
        }
    }

    private void settleEnded(GuardInput input) {
        input.lastSeq = input.rows > 0 ? input.lastRowSeq : input.firstSeq - 1;
        input.ended = true; // after lastSeq: Emit reads ended first
        poke.run();
    }
}
