package io.github.hotpool.pipeline;

import io.github.hotpool.pipeline.store.DirectStaging;
import io.vertx.core.Context;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;

/**
 * A file (or a stream such as stdin) read into two reused arrays, one read ahead on a worker while
 * the other is framed, and handed over on the source's context. Nothing is allocated per chunk apart from the worker
 * hand-off itself. Owner-thread only (the source's context), except the reads, which run on a
 * worker one at a time.
 */
final class FileChunks implements ByteChunks {

    /*
     * States: `filling` is the array a worker is reading into (at most one read in flight); `ready`
     * holds a full chunk waiting to be delivered (paused, or delivery not yet run). A chunk is
     * delivered only when not paused; after delivery its array is free and the next read starts.
     * With two arrays, one is always being framed or read, so the framer rarely waits for the disk.
     * A read's completion can run inside the call that started it (the Future was complete already):
     * the `delivering` flag keeps that from handing over the newer chunk before the older one, or
     * from starting a read into the array about to be handed over.
     */

    /** Bytes per read. */
    static final int CHUNK = 256 * 1024;
    /** Idle staging buffers an owner keeps at most (more only while that many files are open at once). */
    static final int MAX_SPARES = 2;

    private final Context context;
    /** A file, read by position from {@code from}; or, when null, {@link #stream}. */
    private final Path path;
    private final long from;
    /** A stream read as it comes (stdin): its reads block until some bytes are there. */
    private final java.io.InputStream stream;
    private final byte[][] arrays = {new byte[CHUNK], new byte[CHUNK]};
    /**
     * The file reads' one crossing into native memory (reads run one at a time; see
     * {@link DirectStaging}), taken from {@link #spares} once the file is open and given back when
     * it closes, so that a source reading file after file reuses one native buffer instead of
     * leaving one per input for a garbage collection that an allocation-free pipeline rarely runs.
     */
    private DirectStaging staging;
    /** The owner's idle staging buffers (owner context only). */
    private final ArrayDeque<DirectStaging> spares;
    private FileChannel channel;
    private long position;
    private Sink sink;
    private int next;
    private int readyArray = -1;
    private int readyLength;
    private boolean reading;
    private boolean eof;
    private boolean paused;
    private boolean stopped;
    private boolean endDelivered;
    /** deliver() is on the stack: a read that completes inside it (a Future completed already runs its
     *  handler at once) leaves its chunk for the loop, which hands chunks over in file order. */
    private boolean delivering;

    /**
     * @param from the first byte to read
     * @param spares staging buffers the owner keeps between inputs, touched on its context only;
     *               this reader takes one when the file opens and returns it when it closes
     */
    FileChunks(Context context, Path path, long from, ArrayDeque<DirectStaging> spares) {
        this.context = context;
        this.path = path;
        this.from = from;
        this.stream = null;
        this.spares = spares;
    }

    /** Chunks of {@code stream} (not closed here: it is the caller's), read on a worker as they come. */
    FileChunks(Context context, java.io.InputStream stream) {
        this.context = context;
        this.path = null;
        this.from = 0;
        this.stream = stream;
        this.spares = null;
    }

    @Override
    public void start(Sink sink) {
        this.sink = sink;
        if (stream != null) {
            read();
            return;
        }
        context.owner().<FileChannel>executeBlocking(() -> FileChannel.open(path, StandardOpenOption.READ))
            .onComplete(ar -> {
                if (ar.failed()) {
                    sink.failed("cannot open: " + ar.cause());
                    return;
                }
                channel = ar.result();
                position = from;
                if (stopped) {
                    close();
                    return;
                }
                staging = spares.isEmpty() ? new DirectStaging(CHUNK) : spares.pop();
                read();
            });
    }

    /** Starts a read into the free array, if none is in flight and no full chunk waits. */
    private void read() {
        if (reading || eof || stopped || readyArray >= 0) {
            return;
        }
        reading = true;
        int target = next;
        next ^= 1;
        long at = position;
        byte[] into = arrays[target];
        java.io.InputStream in = stream;
        FileChannel ch = channel;
        DirectStaging via = staging; // the task reads no field: close() may clear them once it is done
        context.owner().<Integer>executeBlocking(() -> in != null ? readSome(in, into)
            : via.readFully(ch, into, 0, CHUNK, at)).onComplete(ar -> {
            reading = false;
            if (stopped) {
                close();
                return;
            }
            if (ar.failed()) {
                stopped = true;
                close();
                sink.failed("read error: " + ar.cause());
                return;
            }
            int n = ar.result();
            if (n <= 0) {
                eof = true;
            } else {
                position += n;
                readyArray = target;
                readyLength = n;
            }
            deliver();
        });
    }

    /** What the stream has now, at least one byte, or -1 at its end (a pipe: no waiting for a full chunk). */
    private static int readSome(java.io.InputStream in, byte[] into) throws IOException {
        return in.read(into, 0, into.length);
    }

    private void deliver() {
        if (delivering) {
            return;
        }
        delivering = true;
        try {
            deliverChunks();
        } finally {
            delivering = false;
        }
    }

    private void deliverChunks() {
        while (!paused && !stopped) {
            if (readyArray >= 0) {
                int a = readyArray;
                int n = readyLength;
                readyArray = -1;
                read(); // the other array fills while this one is framed
                sink.chunk(arrays[a], 0, n);
                continue;
            }
            if (eof && !reading && !endDelivered) {
                endDelivered = true;
                close();
                sink.end();
            }
            return;
        }
    }

    @Override
    public void pause() {
        paused = true;
    }

    @Override
    public void resume() {
        if (paused) {
            paused = false;
            // a fresh task: never deliver from inside the framer's own call
            context.runOnContext(v -> {
                deliver();
                read();
            });
        }
    }

    @Override
    public void stop() {
        if (!stopped) {
            stopped = true;
            if (!reading) {
                close();
            }
        }
    }

    /** Closes the file and gives the staging buffer back; called only with no read in flight, maybe twice. */
    private void close() {
        if (staging != null) {
            if (spares.size() < MAX_SPARES) {
                spares.push(staging);
            }
            staging = null;
        }
        FileChannel c = channel;
        channel = null;
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // read-only: nothing to lose
            }
        }
    }
}
