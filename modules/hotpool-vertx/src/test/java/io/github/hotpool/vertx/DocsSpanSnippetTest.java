package io.github.hotpool.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.Ring;
import io.github.hotpool.core.RingOptions;
import io.github.hotpool.core.testing.DocSnippets;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The span block of docs/vertx.md: the same code, run on an event loop, its rows reaching the stage. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DocsSpanSnippetTest {

    private final AtomicLong worked = new AtomicLong();
    private final AtomicLong subjects = new AtomicLong();

    private void work(DeltaRing.Row r) {
        worked.incrementAndGet();
        subjects.addAndGet(r.subject(0));
    }

    @Test
    void theDocShowsThisCode_andEveryPublishedRowReachesTheStage(Vertx vertx) throws Exception {
        assertThat(DocSnippets.block("docs/vertx.md", "spans")).isEqualTo(DocSnippets.region(
            "modules/hotpool-vertx/src/test/java/io/github/hotpool/vertx/DocsSpanSnippetTest.java", "spans"));
        Context ctx = OnContext.newContext(vertx);
        int n = 40; // one claim: at most maxSpanRows (64) rows
        Runnable resume = () -> { };
        CompletableFuture<SpanRing<DeltaRing>> made = new CompletableFuture<>();
        ctx.runOnContext(v -> {
            try {
                int stage = 0;
                // --8<-- [start:spans]
                // owner context (the producer): the ring, its batcher
                SpanRing<DeltaRing> ring = SpanRing.delta(ctx, new RingOptions().setName("delta").chain("transform", "load"));
                SpanBatcher out = ring.batcher(new SpanOptions());            // 64 rows (512 triples), linger 1 ms
                out.onRoom(resume);                                           // runs here when a full ring has room again
                long first = out.tryClaim(n);                                 // NO_ROOM: full; the open span was sent
                DeltaRing.Row w = ring.ring().row(Ring.PRODUCER);             // write rows first .. first + n - 1
                for (long s = first; s < first + n; s++) w.at(s).set(0, s + 1, 2, 3).length(1);
                out.publish();                                                // a full span leaves now, a partial one after the linger

                // a stage, in its own verticle (any event loop): one consumer per stage instance
                ring.consumer("transform", span -> {                          // only spans current for this stage arrive here
                    DeltaRing.Row r = ring.ring().row(span.stage());
                    for (long s = span.first(); s < span.end(); s++) { if (!r.at(s).isFailed()) work(r); }
                    span.complete();                                          // or span.fail(reason); now or later, on this context
                });
                ring.staleMessages(); ring.wakeUps(); ring.address(stage);    // counters; hotpool.spans.<ring>.<n>.<stage> (n numbers the span rings of the JVM: two rings of one name never share an address)
                // --8<-- [end:spans]
                made.complete(ring);
            } catch (Throwable t) {
                made.completeExceptionally(t);
            }
        });
        SpanRing<DeltaRing> ring = made.get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (worked.get() < n) {
            assertThat(System.nanoTime()).as("the stage got every row in time").isLessThan(deadline);
            Thread.sleep(1);
        }
        assertThat(worked.get()).isEqualTo(n);
        assertThat(subjects.get()).as("subjects 1..n").isEqualTo((long) n * (n + 1) / 2);
        assertThat(ring.ring().cursor(0)).isEqualTo(n);
        assertThat(ring.staleMessages()).isZero();
    }
}
