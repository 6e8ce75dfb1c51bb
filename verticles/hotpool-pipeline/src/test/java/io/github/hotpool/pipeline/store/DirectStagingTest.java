package io.github.hotpool.pipeline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DirectStagingTest {

    @TempDir
    Path dir;

    private FileChannel open(String name) throws IOException {
        return FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    }

    @Test
    void writesAndReadsBack_anyLengthOffsetAndCapacity_appendedOrAtAPosition() throws IOException {
        long seed = Long.getLong("hotpool.seed", System.nanoTime());
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int trial = 0; trial < 300; trial++) {
            String why = "trial " + trial + ", seed " + seed;
            DirectStaging s = new DirectStaging(1 + rnd.nextInt(rnd.nextBoolean() ? 16 : 70_000));
            byte[] a = new byte[rnd.nextInt(200_000)];
            rnd.nextBytes(a);
            int off = a.length == 0 ? 0 : rnd.nextInt(a.length);
            int len = rnd.nextInt(a.length - off + 1);
            try (FileChannel ch = open("t" + trial)) {
                // appended: two writes at the channel's position, which each advance it
                s.writeFully(ch, a, off, len, -1);
                assertThat(ch.position()).as(why).isEqualTo(len);
                s.writeFully(ch, a, 0, a.length, -1);
                assertThat(ch.position()).as(why).isEqualTo((long) len + a.length);
                // at a position: over the first write's bytes, the channel's position unmoved
                byte[] over = new byte[Math.min(len, 1 + rnd.nextInt(5_000))];
                rnd.nextBytes(over);
                int at = len - over.length;
                s.writeFully(ch, over, 0, over.length, at);
                assertThat(ch.position()).as(why).isEqualTo((long) len + a.length);

                byte[] expect = new byte[len + a.length];
                System.arraycopy(a, off, expect, 0, len);
                System.arraycopy(over, 0, expect, at, over.length);
                System.arraycopy(a, 0, expect, len, a.length);
                assertThat(Files.readAllBytes(dir.resolve("t" + trial))).as(why).isEqualTo(expect);

                // read back from any position into any slice, past the end: short only at the end
                int from = rnd.nextInt(expect.length + 1);
                byte[] into = new byte[1 + rnd.nextInt(expect.length + 10)];
                int into0 = rnd.nextInt(into.length);
                int want = into.length - into0;
                int n = s.readFully(ch, into, into0, want, from);
                assertThat(n).as(why).isEqualTo(Math.min(want, expect.length - from));
                assertThat(Arrays.copyOfRange(into, into0, into0 + n)).as(why)
                    .isEqualTo(Arrays.copyOfRange(expect, from, from + n));
                assertThat(ch.position()).as("a positional read leaves the position; " + why)
                    .isEqualTo((long) len + a.length);
            }
        }
    }

    @Test
    void aSliceOutsideItsArray_isRefused_beforeAnythingIsWritten() throws IOException {
        DirectStaging s = new DirectStaging(64);
        try (FileChannel ch = open("f")) {
            assertThatThrownBy(() -> s.writeFully(ch, new byte[10], 5, 6, -1))
                .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> s.readFully(ch, new byte[10], -1, 2, 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(ch.size()).isZero();
        }
        assertThatThrownBy(() -> new DirectStaging(0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive, was 0");
    }

    /**
     * Flushes of about 1.2 MB each written from eight threads in turn, all kept alive while the
     * direct memory is read: a heap buffer handed to the channel would leave each thread holding
     * a cached native copy of its flush (about 10 MB in all); through the store's one staging
     * buffer the direct memory grows by that buffer at most.
     */
    @Test
    void flushesFromManyThreads_leaveNoPerThreadNativeCopies() throws Exception {
        int threads = 8;
        CountDownLatch measured = new CountDownLatch(1);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread[] held = new Thread[threads];
        try (ChainWriter w = ChainWriter.bulk(dir.resolve("chain"), 1024)) {
            w.receipts(1); // the store is open; warm the channel paths on this thread
            w.flush();
            long before = DirectMemory.settled();
            for (int t = 0; t < threads; t++) {
                CountDownLatch wrote = new CountDownLatch(1);
                held[t] = new Thread(() -> {
                    try {
                        w.receipts(ChainWriter.FLUSH_EVERY); // one full flush, written on this thread
                    } catch (Throwable e) {
                        failed.set(e);
                    }
                    wrote.countDown();
                    try {
                        measured.await(); // alive, with whatever it cached, until the count is taken
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "flusher-" + t);
                held[t].start();
                assertThat(wrote.await(30, TimeUnit.SECONDS)).isTrue();
                assertThat(failed.get()).isNull();
            }
            long grown = DirectMemory.inUse() - before;
            long flushBytes = Files.size(dir.resolve("chain").resolve(ReceiptStore.RECEIPTS)) / threads;
            assertThat(flushBytes).as("each flush is larger than the staging buffer")
                .isGreaterThan(ReceiptStore.STAGING_BYTES);
            assertThat(grown).as("direct memory grown by %d flushes of %d bytes on %d threads", threads,
                flushBytes, threads).isLessThanOrEqualTo(ReceiptStore.STAGING_BYTES + 64 * 1024);
        } finally {
            measured.countDown();
            for (Thread t : held) {
                if (t != null) {
                    t.join(10_000);
                }
            }
        }
    }
}
