package io.github.hotpool.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.testing.DocSnippets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's library Quick start: the same code, run here. */
@Timeout(30)
class ReadmeQuickStartTest {

    @Test
    void readmeQuickStart_isThisCode() throws Exception {
        assertThat(DocSnippets.block("README.md", "quickstart"))
            .isEqualTo(DocSnippets.region("modules/hotpool-core/src/test/java/io/github/hotpool/core/ReadmeQuickStartTest.java",
                "quickstart"));
    }

    @Test
    void quickStart_runs_releasingBothBuffersOnce() throws Exception {
        long subjectId = 11;
        long predicateId = 22;
        long objectId = 33;
        ExecutorService worker = Executors.newSingleThreadExecutor();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        BufferPool kept;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            // --8<-- [start:quickstart]
            BufferPool pool = new BufferPool(new PoolOptions().setName("ingest")); // owned by this thread
            try (SoaBuffer batch = pool.acquire(8)) {               // zeroed; the hottest free buffer first
                batch.set(0, subjectId, predicateId, objectId);      // lanes live in an aligned off-heap slab
                batch.length(1).addRun(predicateId, 0, 1);           // predicate run: pred, off, len
                Receipt r = pool.acquireReceipt().hookId(1).lanes(1); // a receipt that survives resets
                batch.attach(r);                                     // ...and goes home with the batch
            }                                                        // released here, on this thread
            SoaBuffer handOff = pool.acquire(8);
            worker.execute(handOff::close);                          // or from any thread, allocation-free
            System.out.println(pool.capacityUsage() + " " + pool.stats());
            // --8<-- [end:quickstart]
            kept = pool;
        } finally {
            System.setOut(stdout);
        }
        worker.shutdown();
        assertThat(worker.awaitTermination(10, TimeUnit.SECONDS)).as("the worker released its buffer").isTrue();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("ingest");
        assertThat(kept.acquiredCount()).isEqualTo(2);
        assertThat(kept.releasedCount()).as(kept.stats().toString()).isEqualTo(2);
        assertThat(kept.remoteReleaseCount()).as("the worker's release").isEqualTo(1);
        assertThat(kept.soaInUse()).as(kept.stats().toString()).isZero();
        assertThat(kept.receiptsInUse()).isZero();
        assertThat(kept.close()).as("buffers still out at close").isZero();
    }
}
