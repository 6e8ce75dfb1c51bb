package io.github.hotpool.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.testing.DocSnippets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The code blocks of docs/pool.md and docs/rings.md: the same code, run here. */
@Timeout(30)
class DocsCoreSnippetsTest {

    private static final String SELF = "modules/hotpool-core/src/test/java/io/github/hotpool/core/DocsCoreSnippetsTest.java";
    private static final int REASON_PARSE = 7;

    @Test
    void theDocsShowThisCode() throws Exception {
        assertThat(DocSnippets.block("docs/pool.md", "pool")).isEqualTo(DocSnippets.region(SELF, "pool"));
        assertThat(DocSnippets.block("docs/rings.md", "ring")).isEqualTo(DocSnippets.region(SELF, "ring"));
    }

    @Test
    void everyJavaBlockOfTheDocs_isASnippetATestRuns() throws Exception {
        java.nio.file.Path root = DocSnippets.repositoryRoot();
        java.util.List<java.nio.file.Path> pages = new java.util.ArrayList<>();
        pages.add(root.resolve("README.md"));
        try (var docs = java.nio.file.Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        for (String dir : new String[] {"examples", "modules", "verticles"}) {
            try (var subs = java.nio.file.Files.list(root.resolve(dir))) {
                subs.map(p -> p.resolve("README.md")).filter(java.nio.file.Files::isRegularFile).forEach(pages::add);
            }
        }
        java.util.List<String> unmarked = new java.util.ArrayList<>();
        int marked = 0;
        for (java.nio.file.Path page : pages) {
            java.util.List<String> lines = java.nio.file.Files.readAllLines(page);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).trim().equals("```java")) {
                    if (i > 0 && lines.get(i - 1).trim().startsWith("<!-- snippet: ")) {
                        marked++;
                    } else {
                        unmarked.add(root.relativize(page) + ":" + (i + 1));
                    }
                }
            }
        }
        assertThat(unmarked).as("Java blocks not tied to a test's code (mark them <!-- snippet: NAME -->)").isEmpty();
        assertThat(marked).as("the docs' Java blocks found").isGreaterThanOrEqualTo(15);
    }

    @Test
    void thePoolBlock_leasesAndReleasesABufferWithItsReceipt() {
        long subjectId = 11;
        long predicateId = 22;
        long objectId = 33;
        // --8<-- [start:pool]
        BufferPool pool = new BufferPool(new PoolOptions().setName("ingest"));   // owner = this thread
        try (SoaBuffer batch = pool.acquire(8)) {                                // zeroed, hottest first
            batch.set(0, subjectId, predicateId, objectId).length(1).addRun(predicateId, 0, 1);
            Receipt r = pool.acquireReceipt().hookId(3).lanes(1);                // held receipt
            batch.attach(r);                                                     // goes home with the batch
        }                                                                        // release: buffer + receipt
        // --8<-- [end:pool]
        assertThat(pool.acquiredCount()).isEqualTo(1);
        assertThat(pool.releasedCount()).isEqualTo(1);
        assertThat(pool.soaInUse()).isZero();
        assertThat(pool.receiptsInUse()).isZero();
        assertThat(pool.close()).isZero();
    }

    /** What the stage does with a row in the rings block: fails rows with an odd subject. */
    private static boolean work(DeltaRing.Row r) {
        return r.subject(0) % 2 == 0;
    }

    @Test
    void theRingBlock_claimsPublishesWorksAndAdvances() {
        AtomicInteger woken = new AtomicInteger();
        long[] seen = new long[3];
        ringTour(4, Thread.currentThread(), woken::incrementAndGet, seen);
        assertThat(seen[0]).as("rows published").isEqualTo(4);
        assertThat(seen[1]).as("rows failed by transform").isEqualTo(0); // subject ids are even
        assertThat(seen[2]).as("transform's cursor").isEqualTo(4);
    }

    private static void ringTour(int n, Thread ownerThread, Runnable onRoom, long[] seen) {
        long subjectId = 10;
        long predicateId = 20;
        long objectId = 30;
        // --8<-- [start:ring]
        // cold path: shape, ring, stage ids
        RingOptions o = new RingOptions().setName("delta").setCapacity(1024).chain("transform", "load", "reflex", "emit");
        DeltaRing ring = new DeltaRing(o, ownerThread, onRoom);   // new DeltaRing(o): owner = this thread, no wake-up
        int transform = ring.stage("transform");                   // ids for the allocation-free calls

        // producer, on the owner thread
        long first = ring.tryClaimOrArm(n);                        // or tryClaim(n): never waits, never throws when full
        if (first == Ring.NO_ROOM) return;                         // armed: onRoom runs once room is freed; retry then
        DeltaRing.Row w = ring.row(Ring.PRODUCER);                 // the producer's reusable view
        for (long s = first; s < first + n; s++) {
            w.at(s).set(0, subjectId, predicateId, objectId).length(1);   // claimed rows come zeroed
        }
        ring.publish(first + n);

        // a stage, on its own thread
        long from = ring.cursor(transform), to = ring.available(transform);
        DeltaRing.Row r = ring.row(transform);
        for (long s = from; s < to; s++) {
            if (r.at(s).isFailed()) continue;                      // failed upstream: skip the work, still pass it
            if (!work(r)) r.fail(REASON_PARSE);                    // later stages see who failed it and why
        }
        ring.advance(transform, to);                               // hands the rows to load (and, from emit, back to the producer)
        // --8<-- [end:ring]
        assertThat(ring.isCurrent(transform, first, n, ring.epoch())).as("transform passed the rows").isFalse();
        seen[0] = ring.stats().published();
        seen[1] = ring.stats().failedRows();
        seen[2] = ring.cursor(transform);
    }
}
