package io.github.hotpool.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.Ring;
import io.github.hotpool.core.RingOptions;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** {@link SpanRing#failStuck}: ends a span held too long, or sent where nobody consumes, and only that. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpanFailStuckTest {

    /** On the owner's context: claims 8 rows, writes them and publishes them, one full span to the first stage. */
    static SpanBatcher sendOneSpan(Context owner, SpanRing<DeltaRing> ring) throws Exception {
        return OnContext.call(owner, () -> {
            SpanBatcher b = ring.batcher(new SpanOptions().setMaxSpanRows(8).setLingerMillis(60_000));
            long first = b.tryClaim(8);
            DeltaRing.Row w = ring.ring().row(Ring.PRODUCER);
            for (long s = first; s < first + 8; s++) {
                w.at(s).set(0, s, s, s).length(1);
            }
            b.publish(); // full: sent to stage a
            return b;
        });
    }

    /** Stage b records (first, count, failedBy, failReason of each row) of what it receives. */
    private static ConcurrentLinkedQueue<String> recordB(Context bCtx, SpanRing<DeltaRing> ring) throws Exception {
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        OnContext.call(bCtx, () -> ring.consumer("b", span -> {
            DeltaRing.Row r = ring.ring().row(span.stage());
            StringBuilder sb = new StringBuilder(span.first() + "+" + span.count());
            for (long s = span.first(); s < span.end(); s++) {
                r.at(s);
                sb.append(' ').append(r.failedBy()).append('/').append(r.failReason());
            }
            seen.add(sb.toString());
            span.complete();
        }));
        return seen;
    }

    @Test
    void aSpanTheStageHolds_isFailedAndPassedOn_once(Vertx vertx) throws Exception {
        Context owner = OnContext.newContext(vertx);
        Context aCtx = OnContext.newContext(vertx);
        Context bCtx = OnContext.newContext(vertx);
        SpanRing<DeltaRing> ring = OnContext.call(owner, () -> SpanRing.delta(owner,
            new RingOptions().setName("stuck-held").setCapacity(16).chain("a", "b")));
        AtomicReference<Span> held = new AtomicReference<>();
        OnContext.call(aCtx, () -> ring.consumer("a", held::set)); // takes the span and never ends it
        ConcurrentLinkedQueue<String> seen = recordB(bCtx, ring);
        sendOneSpan(owner, ring);
        SpanTest.await("stage a holds the span", () -> held.get() != null);
        assertThat(OnContext.call(aCtx, () -> ring.failStuck(0, 1, 9))).as("not the cursor").isZero();
        assertThat(OnContext.call(aCtx, () -> ring.failStuck(1, 0, 9))).as("not b's").isZero();
        assertThat(OnContext.call(aCtx, () -> ring.failStuck(0, 0, 9))).isEqualTo(8);
        assertThat(OnContext.call(aCtx, () -> ring.failStuck(0, 0, 9))).as("once").isZero();
        SpanTest.await("b got the failed span", () -> !seen.isEmpty());
        assertThat(seen).containsExactly("0+8 0/9 0/9 0/9 0/9 0/9 0/9 0/9 0/9");
        assertThat(OnContext.call(aCtx, () -> held.get().complete())).as("a late complete by a does nothing")
            .isFalse();
        SpanTest.await("the rows are free", () -> ring.ring().gating() == 8);
    }

    @Test
    void aRescue_countsOnlyTheRowsItFailedFirst_andOnlyTheHolderMayEndATakenSpan(Vertx vertx) throws Exception {
        Context owner = OnContext.newContext(vertx);
        Context aCtx = OnContext.newContext(vertx);
        Context bCtx = OnContext.newContext(vertx);
        SpanRing<DeltaRing> ring = OnContext.call(owner, () -> SpanRing.delta(owner,
            new RingOptions().setName("stuck-fresh").setCapacity(16).chain("a", "b")));
        AtomicReference<Span> held = new AtomicReference<>();
        OnContext.call(aCtx, () -> ring.consumer("a", span -> {
            DeltaRing.Row r = ring.ring().row(span.stage());
            r.at(span.first() + 2).fail(5); // a's own failure of one row, then it never ends the span
            r.at(span.first() + 5).fail(6);
            held.set(span);
        }));
        ConcurrentLinkedQueue<String> seen = recordB(bCtx, ring);
        sendOneSpan(owner, ring);
        SpanTest.await("stage a holds the span", () -> held.get() != null);
        SpanRing.Rescue out = new SpanRing.Rescue();
        long generation = held.get().generation();
        assertThat(OnContext.call(aCtx, () -> ring.failStuck(0, 0, 9, g -> false, out)))
            .as("another instance does not hold it: it leaves the span alone").isFalse();
        assertThat(OnContext.call(aCtx, () -> ring.failStuck(0, 0, 9, g -> g == generation, out))).isTrue();
        assertThat(out.rows()).isEqualTo(8);
        assertThat(out.freshRows()).as("two rows were failed before").isEqualTo(6);
        SpanTest.await("b got the failed span", () -> !seen.isEmpty());
        assertThat(seen).containsExactly("0+8 0/9 0/9 0/5 0/9 0/9 0/6 0/9 0/9");
    }

    @Test
    void aSpanSentWhereNobodyConsumes_isTakenFailedAndPassedOn(Vertx vertx) throws Exception {
        Context owner = OnContext.newContext(vertx);
        Context aCtx = OnContext.newContext(vertx);
        Context bCtx = OnContext.newContext(vertx);
        SpanRing<DeltaRing> ring = OnContext.call(owner, () -> SpanRing.delta(owner,
            new RingOptions().setName("stuck-lost").setCapacity(16).chain("a", "b")));
        ConcurrentLinkedQueue<String> seen = recordB(bCtx, ring); // nobody consumes a
        sendOneSpan(owner, ring);
        assertThat(OnContext.call(aCtx, () -> ring.failStuck(0, 0, 4))).isEqualTo(8);
        SpanTest.await("b got the failed span", () -> !seen.isEmpty());
        assertThat(seen).containsExactly("0+8 0/4 0/4 0/4 0/4 0/4 0/4 0/4 0/4");
        SpanTest.await("the rows are free", () -> ring.ring().gating() == 8);
        assertThat(ring.staleMessages()).isZero();
    }
}
