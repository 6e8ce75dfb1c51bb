package io.github.hotpool.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FileChunksTest extends VertxTestBase {

    /** What a sink received, and how it ended. */
    private static final class Collect implements ByteChunks.Sink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CompletableFuture<String> done = new CompletableFuture<>();
        Runnable onChunk = () -> { };

        @Override
        public void chunk(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            onChunk.run();
        }

        @Override
        public void end() {
            done.complete("end");
        }

        @Override
        public void failed(String reason) {
            done.complete(reason);
        }
    }

    /** The idle staging buffers the readers of one test share, as a source's do (its context only). */
    private final java.util.ArrayDeque<io.github.hotpool.pipeline.store.DirectStaging> spares = new java.util.ArrayDeque<>();

    private static byte[] data(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @ParameterizedTest(name = "from byte {0}")
    @ValueSource(ints = {0, 1, FileChunks.CHUNK - 1, FileChunks.CHUNK, 3 * FileChunks.CHUNK + 17})
    void readsEveryByteInOrder_fromAnyOffset_withRandomPauses(int from) throws Exception {
        long seed = Long.getLong("hotpool.seed", System.nanoTime());
        byte[] content = data(9 * FileChunks.CHUNK + 12345, seed);
        Path file = TestData.write(dir, "f.bin", content);
        SplittableRandom rnd = new SplittableRandom(seed);
        // many passes: a read that completes inside the call that started it is a matter of timing
        for (int pass = 0; pass < 40; pass++) {
            Context ctx = vertx.getOrCreateContext();
            Collect sink = new Collect();
            boolean pauses = pass % 2 == 1;
            ctx.runOnContext(v -> {
                FileChunks fc = new FileChunks(ctx, file, from, spares);
                sink.onChunk = () -> {
                    if (pauses && rnd.nextInt(3) == 0) { // a full ring: pause, resume a little later
                        fc.pause();
                        vertx.setTimer(1, t -> fc.resume());
                    }
                };
                fc.start(sink);
            });
            assertThat(sink.done.get(30, TimeUnit.SECONDS)).isEqualTo("end");
            assertThat(sink.bytes.toByteArray()).as("pass %d, seed %d", pass, seed)
                .isEqualTo(java.util.Arrays.copyOfRange(content, from, content.length));
        }
    }

    @Test
    void emptyFile_endsAtOnce() throws Exception {
        Path file = TestData.write(dir, "empty", new byte[0]);
        Context ctx = vertx.getOrCreateContext();
        Collect sink = new Collect();
        ctx.runOnContext(v -> new FileChunks(ctx, file, 0, spares).start(sink));
        assertThat(sink.done.get(10, TimeUnit.SECONDS)).isEqualTo("end");
        assertThat(sink.bytes.size()).isZero();
    }

    @Test
    void missingFile_failsNamingWhy() throws Exception {
        Context ctx = vertx.getOrCreateContext();
        Collect sink = new Collect();
        ctx.runOnContext(v -> new FileChunks(ctx, dir.resolve("missing.nt"), 0, spares).start(sink));
        assertThat(sink.done.get(10, TimeUnit.SECONDS)).startsWith("cannot open: ").contains("missing.nt");
    }

    @Test
    void stop_deliversNothingMore_andClosesTheFile() throws Exception {
        byte[] content = data(20 * FileChunks.CHUNK, 7);
        Path file = TestData.write(dir, "f.bin", content);
        Context ctx = vertx.getOrCreateContext();
        Collect sink = new Collect();
        CompletableFuture<Integer> stopped = new CompletableFuture<>();
        ctx.runOnContext(v -> {
            FileChunks fc = new FileChunks(ctx, file, 0, spares);
            sink.onChunk = () -> {
                fc.stop();
                stopped.complete(sink.bytes.size());
            };
            fc.start(sink);
        });
        int atStop = stopped.get(10, TimeUnit.SECONDS);
        // give a read that was in flight every chance to (wrongly) deliver: two more turns of the context
        for (int i = 0; i < 2; i++) {
            CompletableFuture<Void> turn = new CompletableFuture<>();
            vertx.setTimer(20, t -> turn.complete(null));
            turn.get(10, TimeUnit.SECONDS);
        }
        assertThat(sink.bytes.size()).isEqualTo(atStop).isEqualTo(FileChunks.CHUNK);
        assertThat(sink.done).isNotDone();
        Files.delete(file); // closed: nothing holds it (on Linux this would pass anyway; the count above is the check)
    }

    @Test
    void aStream_deliversEveryByteInOrder_asItsReadsCome() throws Exception {
        long seed = Long.getLong("hotpool.seed", System.nanoTime());
        byte[] content = data(3 * FileChunks.CHUNK + 999, seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        // a stream whose reads return a few bytes at a time, as a pipe does
        java.io.InputStream trickle = new java.io.ByteArrayInputStream(content) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + rnd.nextInt(70_000)));
            }
        };
        Context ctx = vertx.getOrCreateContext();
        Collect sink = new Collect();
        ctx.runOnContext(v -> new FileChunks(ctx, trickle).start(sink));
        assertThat(sink.done.get(30, TimeUnit.SECONDS)).isEqualTo("end");
        assertThat(sink.bytes.toByteArray()).as("seed %d", seed).isEqualTo(content);
    }

    /**
     * The reads run as blocking tasks on Vert.x's worker threads, a different one from read to read;
     * a heap array handed to the channel would leave each of those threads a cached native copy of a
     * chunk (up to 20 x 256 KiB). Through the reader's own staging buffer, direct memory grows by
     * that one buffer.
     */
    @Test
    void readsOnManyWorkers_leaveNoPerThreadNativeCopies() throws Exception {
        byte[] content = data(30 * FileChunks.CHUNK, 11);
        Path file = TestData.write(dir, "f.bin", content);
        Context ctx = vertx.getOrCreateContext();
        long before = io.github.hotpool.pipeline.store.DirectMemory.settled();
        Collect sink = new Collect();
        ctx.runOnContext(v -> new FileChunks(ctx, file, 0, spares).start(sink));
        assertThat(sink.done.get(30, TimeUnit.SECONDS)).isEqualTo("end");
        assertThat(sink.bytes.size()).isEqualTo(content.length);
        long grown = io.github.hotpool.pipeline.store.DirectMemory.inUse() - before;
        assertThat(grown).as("direct memory grown by reading %d chunks", 30)
            .isLessThanOrEqualTo(FileChunks.CHUNK + 64 * 1024L);
    }

    /**
     * A source reads file after file: every reader takes the owner's one idle staging buffer and
     * gives it back when its file closes (at its end, or when stopped with a read in flight), so
     * forty inputs leave one native buffer, not forty waiting for a collection.
     */
    @Test
    void fileAfterFile_reuseOneStagingBuffer_evenWhenStoppedMidRead() throws Exception {
        byte[] content = data(2 * FileChunks.CHUNK + 5, 12);
        Path file = TestData.write(dir, "f.bin", content);
        Context ctx = vertx.getOrCreateContext();
        long before = io.github.hotpool.pipeline.store.DirectMemory.settled();
        for (int i = 0; i < 40; i++) {
            Collect sink = new Collect();
            boolean stopEarly = i % 2 == 1;
            CompletableFuture<Void> stopped = new CompletableFuture<>();
            ctx.runOnContext(v -> {
                FileChunks fc = new FileChunks(ctx, file, 0, spares);
                if (stopEarly) {
                    sink.onChunk = () -> { // the next read is in flight now: stop under it
                        fc.stop();
                        stopped.complete(null);
                    };
                }
                fc.start(sink);
            });
            if (stopEarly) {
                stopped.get(10, TimeUnit.SECONDS);
            } else {
                assertThat(sink.done.get(10, TimeUnit.SECONDS)).isEqualTo("end");
                assertThat(sink.bytes.toByteArray()).isEqualTo(content);
            }
            // the buffer comes back once no read is in flight: wait for it on the owner's context
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int idle;
            do {
                CompletableFuture<Integer> n = new CompletableFuture<>();
                ctx.runOnContext(v -> n.complete(spares.size()));
                idle = n.get(10, TimeUnit.SECONDS);
            } while (idle == 0 && System.nanoTime() < deadline);
            assertThat(idle).as("idle staging buffers after input %d", i).isEqualTo(1);
        }
        assertThat(io.github.hotpool.pipeline.store.DirectMemory.inUse() - before).as("direct memory grown by 40 inputs")
            .isLessThanOrEqualTo(FileChunks.CHUNK + 64 * 1024L);
    }
}
