package io.github.hotpool.examples.poolbasics;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.CapacityUsage;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.PoolStats;
import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.SoaBuffer;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A runnable tour of the core pool: lease buffers on the owner thread, fill them, hand some to a
 * worker thread that releases them there, run the pool dry, and use run-scoped and held receipts,
 * printing capacity usage and stats along the way.
 */
public final class PoolBasics {

    /** What a tour ends with, for tests. */
    public record Outcome(CapacityUsage finalUsage, PoolStats stats, long checksum) {
    }

    private PoolBasics() {
    }

    public static void main(String[] args) throws InterruptedException {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Outcome outcome = run(batches, System.out);
        System.out.println("checksum=" + Long.toHexString(outcome.checksum()));
    }

    /**
     * Runs the tour.
     *
     * @param batches how many 8-triple batches to push through the pool
     * @param out where to print
     * @return final usage, stats and a checksum over everything written
     */
    public static Outcome run(int batches, PrintStream out) throws InterruptedException {
        BufferPool pool = new BufferPool(new PoolOptions().setName("pool-basics"));
        out.println("created: " + pool.capacityUsage());

        // 1. lease, fill and release on the owner thread: LIFO reuse hands back the hottest buffer
        long checksum = 0;
        for (int i = 0; i < batches; i++) {
            try (SoaBuffer b = pool.acquire(8)) {
                for (int lane = 0; lane < 8; lane++) {
                    long id = (long) i * 8 + lane + 1;
                    b.set(lane, id, 0xC0FFEE, id * 31);
                }
                b.length(8).addRun(0xC0FFEE, 0, 8);
                checksum ^= b.object(7);
            }
        }
        out.println("after " + batches + " owner-thread leases: " + pool.capacityUsage());

        // 2. hand buffers to another thread, as an event-bus hop would, and release them there
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "worker"));
        List<SoaBuffer> handedOff = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            SoaBuffer b = pool.acquire(4);
            b.set(0, i + 1, 2, 3).length(1);
            handedOff.add(b);
        }
        out.println("12 handed to the worker: " + pool.capacityUsage());
        for (SoaBuffer b : handedOff) {
            worker.execute(b::close);
        }
        worker.shutdown();
        if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("worker did not finish releasing");
        }
        out.println("worker released them: " + pool.capacityUsage());

        // 3. run the pool dry: tryAcquire says so without throwing or allocating
        List<SoaBuffer> all = new ArrayList<>();
        SoaBuffer b;
        while ((b = pool.tryAcquire(8)) != null) {
            all.add(b);
        }
        out.println("dry after " + all.size() + " leases: " + pool.capacityUsage());
        all.forEach(SoaBuffer::close);

        // 4. receipts: run-scoped ones go back at reset, held ones travel with a buffer
        try (SoaBuffer batch = pool.acquire(8)) {
            for (int hook = 0; hook < 3; hook++) {
                Receipt r = pool.receipt().cycleId(1).hookId(hook).lanes(8).aHash(0xABCDL << hook);
                checksum ^= r.aHash();
            }
            Receipt held = pool.acquireReceipt().cycleId(1).hookId(99).lanes(8).aHash(0x1234);
            batch.attach(held);
            out.println("3 run-scoped + 1 held receipt: " + pool.capacityUsage());
            pool.resetReceipts();
            out.println("after resetReceipts(): " + pool.capacityUsage() + " (the held one survives)");
            checksum ^= held.aHash();
        }
        CapacityUsage usage = pool.capacityUsage();
        PoolStats stats = pool.stats();
        out.println("final: " + usage);
        out.printf("stats: acquired=%d released=%d remoteReleases=%d exhausted=%d highWater=%d hitRate=%.2f%%%n",
            stats.acquired(), stats.released(), stats.remoteReleases(), stats.exhausted(), stats.highWaterMark(),
            stats.hitRate() * 100);
        pool.close();
        return new Outcome(usage, stats, checksum);
    }
}
