package io.github.hotpool.triples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks or canonicalizes a whole N-Triples input: a file on several threads (cut at line
 * boundaries into blocks parsed in parallel), a stream on the calling thread. Either way every
 * bad line goes to the {@link NTriplesParser.ErrorHandler} in input order with its true line
 * and column, and canonical output keeps the input order; bad lines are left out of it. Term ids
 * are not computed (neither validating nor canonical text needs them).
 *
 * <p>Thread-safety: an instance holds only its settings, so it may be shared; each call runs on
 * the calling thread (which reads, orders and writes) plus, for a file, a pool of worker threads
 * the call starts and stops. The handler and the output stream are used on the calling thread
 * only.
 */
public final class ParallelNTriples {

    /*
     * A file is read into blocks of `blockBytes` by the calling thread. Each block is cut after
     * its last line break (an LF, or a CR whose next byte is in the block, so a CR LF pair is
     * never split); the bytes after the cut start the next block. A block is parsed by a worker
     * with its own parser, which numbers lines from 1; the calling thread takes the blocks back
     * in order, adds the lines of all earlier blocks to each error's line, hands the errors to
     * the handler and writes the block's canonical lines. At most 2 x threads blocks are in
     * flight, so memory is bounded whatever the file's size.
     *
     * A block without any line break it may cut at is one line longer than the parser's limit
     * (the buffer is larger than that): it is handed over whole, the parser reports the overlong
     * line once, and the next block skips to the end of that line (SKIP_LINE), or, when the
     * block ended with CR, only a leading LF (SKIP_LF), before its own lines begin.
     */

    /** Default block size: 256 KiB. */
    public static final int DEFAULT_BLOCK_BYTES = 256 * 1024;

    private static final int READ_CHUNK = 64 * 1024;
    private static final int NONE = 0;
    private static final int SKIP_LF = 1;
    private static final int SKIP_LINE = 2;
    private static final TripleSink NO_SINK = (s, p, o) -> { };
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int threads;
    private final int maxLineLength;
    private final int blockBytes;

    /** What a whole input held. */
    public record Summary(long lines, long triples, long badLines) {
    }

    /** Uses every available processor and the parser's default line limit. */
    public ParallelNTriples() {
        this(Runtime.getRuntime().availableProcessors(), NTriplesParser.DEFAULT_MAX_LINE_LENGTH, DEFAULT_BLOCK_BYTES);
    }

    /**
     * @param threads worker threads for a file (>= 1)
     * @param maxLineLength longest accepted line in bytes, as {@link NTriplesParser}
     * @param blockBytes bytes read per block (>= 4096); raised to {@code maxLineLength + 2} if smaller
     */
    public ParallelNTriples(int threads, int maxLineLength, int blockBytes) {
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("threads " + threads + " outside [1, 1024]");
        }
        if (blockBytes < 4096) {
            throw new IllegalArgumentException("blockBytes " + blockBytes + " below 4096");
        }
        new NTriplesParser(maxLineLength, NTriplesParser.ErrorPolicy.SKIP); // validates maxLineLength
        this.threads = threads;
        this.maxLineLength = maxLineLength;
        this.blockBytes = Math.max(blockBytes, maxLineLength + 2);
    }

    /** Validates {@code file}; bad lines go to {@code onBadLine} (null: only counted). */
    public Summary check(Path file, NTriplesParser.ErrorHandler onBadLine) throws IOException {
        return parallel(file, null, onBadLine);
    }

    /** Writes {@code file}'s triples as canonical N-Triples to {@code out}, in input order. */
    public Summary canonicalize(Path file, OutputStream out, NTriplesParser.ErrorHandler onBadLine) throws IOException {
        if (out == null) {
            throw new IllegalArgumentException("out must not be null");
        }
        return parallel(file, out, onBadLine);
    }

    /** Validates a stream, on the calling thread; does not close it. */
    public Summary check(InputStream in, NTriplesParser.ErrorHandler onBadLine) throws IOException {
        return sequential(in, null, onBadLine);
    }

    /** Canonicalizes a stream to {@code out}, on the calling thread; closes neither. */
    public Summary canonicalize(InputStream in, OutputStream out, NTriplesParser.ErrorHandler onBadLine)
            throws IOException {
        if (out == null) {
            throw new IllegalArgumentException("out must not be null");
        }
        return sequential(in, out, onBadLine);
    }

    private Summary sequential(InputStream in, OutputStream out, NTriplesParser.ErrorHandler onBadLine)
            throws IOException {
        NTriplesParser parser = new NTriplesParser(maxLineLength, NTriplesParser.ErrorPolicy.SKIP).withoutIds();
        if (onBadLine != null) {
            parser.errorHandler(onBadLine);
        }
        Output buffer = out == null ? null : new Output(out);
        if (buffer != null) {
            parser.canonicalLines(buffer);
        }
        byte[] chunk = new byte[READ_CHUNK];
        int n;
        while ((n = in.read(chunk)) >= 0) {
            parser.feed(chunk, 0, n, NO_SINK);
            if (buffer != null) {
                buffer.drainIfFull();
            }
        }
        parser.finish(NO_SINK);
        if (buffer != null) {
            buffer.drain();
            out.flush();
        }
        return new Summary(parser.line() - 1, parser.triples(), parser.skippedLines());
    }

    private Summary parallel(Path file, OutputStream out, NTriplesParser.ErrorHandler onBadLine) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ExecutorService workers = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "hotpool-ntriples-" + POOLS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            try {
                return new Run(channel, out, onBadLine, workers).all();
            } finally {
                workers.shutdownNow();
            }
        }
    }

    /** One pass over a file: the calling thread's state. */
    private final class Run {
        private final FileChannel channel;
        private final OutputStream out;
        private final NTriplesParser.ErrorHandler onBadLine;
        private final ExecutorService workers;
        private final Block[] ring = new Block[2 * threads];
        private final byte[] tail = new byte[blockBytes];
        private int tailLen;
        private long lines;
        private long triples;
        private long bad;

        Run(FileChannel channel, OutputStream out, NTriplesParser.ErrorHandler onBadLine, ExecutorService workers) {
            this.channel = channel;
            this.out = out;
            this.onBadLine = onBadLine;
            this.workers = workers;
        }

        Summary all() throws IOException {
            int mode = NONE;
            boolean eof = false;
            long seq = 0;
            while (!eof) {
                int slot = (int) (seq % ring.length);
                if (ring[slot] == null) {
                    ring[slot] = new Block(out != null);
                } else {
                    takeBack(ring[slot]);
                }
                Block b = ring[slot];
                System.arraycopy(tail, 0, b.data, 0, tailLen);
                int len = tailLen;
                tailLen = 0;
                while (len < b.data.length) {
                    int r = channel.read(ByteBuffer.wrap(b.data, len, b.data.length - len));
                    if (r < 0) {
                        eof = true;
                        break;
                    }
                    len += r;
                }
                int cut = eof ? len : cut(b.data, len);
                b.mode = mode;
                if (cut < 0) {
                    cut = len; // no line break to cut at: one overlong line, or its continuation
                    mode = b.data[len - 1] == '\r' ? SKIP_LF : SKIP_LINE;
                } else {
                    mode = NONE;
                }
                tailLen = len - cut;
                System.arraycopy(b.data, cut, tail, 0, tailLen);
                b.len = cut;
                b.done = workers.submit(b::parse);
                seq++;
            }
            for (long k = Math.max(0, seq - ring.length); k < seq; k++) {
                takeBack(ring[(int) (k % ring.length)]);
            }
            if (out != null) {
                out.flush();
            }
            return new Summary(lines, triples, bad);
        }

        /** Waits for a block, reports its errors renumbered, writes its output, adds its counts. */
        private void takeBack(Block b) throws IOException {
            if (b.done == null) {
                return;
            }
            try {
                b.done.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for a parsed block", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IOException(cause);
            }
            b.done = null;
            if (onBadLine != null) {
                for (NTriplesException e : b.errors) {
                    onBadLine.badLine(new NTriplesException(lines + e.line(), e.column(), e.reason()));
                }
            }
            if (out != null) {
                out.write(b.out, 0, b.outLen);
            }
            lines += b.lines;
            triples += b.triples;
            bad += b.bad;
        }
    }

    /** Index just after the last line break in data[0, len) that may end a block, or -1. */
    static int cut(byte[] data, int len) {
        for (int k = len - 1; k >= 0; k--) {
            byte c = data[k];
            if (c == '\n' || (c == '\r' && k + 1 < len)) {
                return k + 1;
            }
        }
        return -1;
    }

    /** A block of whole lines, parsed by a worker; owned by the calling thread between uses. */
    private final class Block implements CanonicalLineSink {
        final byte[] data = new byte[blockBytes];
        final NTriplesParser parser = new NTriplesParser(maxLineLength, NTriplesParser.ErrorPolicy.SKIP).withoutIds();
        final List<NTriplesException> errors = new ArrayList<>();
        byte[] out;
        int outLen;
        int len;
        int mode;
        long lines;
        long triples;
        long bad;
        Future<?> done;

        Block(boolean canonical) {
            parser.errorHandler(errors::add);
            if (canonical) {
                out = new byte[blockBytes + blockBytes / 4];
                parser.canonicalLines(this);
            }
        }

        void parse() {
            errors.clear();
            outLen = 0;
            parser.reset();
            int start = 0;
            if (mode == SKIP_LF) {
                start = len > 0 && data[0] == '\n' ? 1 : 0;
            } else if (mode == SKIP_LINE) {
                int k = 0;
                while (k < len && data[k] != '\n' && data[k] != '\r') {
                    k++;
                }
                start = k == len ? len : k + 1;
                if (k < len && data[k] == '\r' && start < len && data[start] == '\n') {
                    start++;
                }
            }
            parser.feed(data, start, len - start, NO_SINK);
            parser.finish(NO_SINK);
            lines = parser.line() - 1;
            triples = parser.triples();
            bad = parser.skippedLines();
        }

        @Override
        public void line(byte[] b, int off, int n) {
            if (outLen + n > out.length) {
                byte[] bigger = new byte[Math.max(out.length * 2, outLen + n)];
                System.arraycopy(out, 0, bigger, 0, outLen);
                out = bigger;
            }
            System.arraycopy(b, off, out, outLen, n);
            outLen += n;
        }
    }

    /** Canonical lines gathered for a stream and written in large pieces. */
    private static final class Output implements CanonicalLineSink {
        private final OutputStream out;
        private final byte[] buf = new byte[256 * 1024];
        private int len;
        private IOException failed;

        Output(OutputStream out) {
            this.out = out;
        }

        @Override
        public void line(byte[] b, int off, int n) {
            if (len + n > buf.length) {
                drainQuietly();
            }
            if (n > buf.length) {
                writeQuietly(b, off, n);
                return;
            }
            System.arraycopy(b, off, buf, len, n);
            len += n;
        }

        void drainIfFull() throws IOException {
            if (len > buf.length / 2) {
                drain();
            }
        }

        void drain() throws IOException {
            if (failed != null) {
                throw failed;
            }
            out.write(buf, 0, len);
            len = 0;
        }

        private void drainQuietly() {
            writeQuietly(buf, 0, len);
            len = 0;
        }

        private void writeQuietly(byte[] b, int off, int n) {
            if (failed != null) {
                return;
            }
            try {
                out.write(b, off, n);
            } catch (IOException e) {
                failed = e;
            }
        }
    }
}
