package io.github.hotpool.vertx;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.Ring;
import io.github.hotpool.core.RingOptions;
import io.github.hotpool.core.testing.AllocationMeter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spans allocate nothing per span: claim, publish, the batcher closing full spans, the codec's
 * transform, taking a delivery (and refusing a duplicate), complete, fail, advance, and the
 * wake-up of a full ring. The event bus's own per-message cost is measured apart, against a send
 * of a constant string.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpanAllocationTest {

    /** A fixed-size queue standing in for the event bus; not thread-safe (one thread at a time). */
    static final class Queue implements SpanRing.Sink {
        final Span[] spans = new Span[256];
        final String[] addresses = new String[256];
        int head;
        int tail;

        @Override
        public void send(String address, Span span) {
            addresses[tail & 255] = address;
            spans[tail++ & 255] = span;
        }

        boolean isEmpty() {
            return head == tail;
        }

        Span poll() {
            return spans[head++ & 255];
        }
    }

    /** Producer: 8 claims of 8 rows make one full span of 64 rows. */
    private static void produceSpans(SpanBatcher batcher, DeltaRing.Row w, int spans) {
        for (int i = 0; i < spans * 8; i++) {
            long first = batcher.tryClaim(8);
            if (first == Ring.NO_ROOM) {
                throw new AssertionError("ring full at span " + i / 8);
            }
            for (long s = first; s < first + 8; s++) {
                w.at(s).set(0, s, s, s).length(1);
            }
            batcher.publish();
        }
    }

    /** Stages a then b, on the calling thread: transform, take, complete or fail, and a duplicate. */
    private static void runStages(SpanRing<DeltaRing> ring, Queue q) {
        int n = 0;
        while (!q.isEmpty()) {
            Span span = SpanCodec.INSTANCE.transform(q.poll());
            int stage = span.stage();
            if (!ring.take(stage, span)) {
                throw new AssertionError("not current: " + span);
            }
            if (stage == 0 && (n++ & 3) == 0) {
                span.fail(3);
            } else {
                span.complete();
            }
            if (stage == 1 && ring.take(1, span)) { // a duplicate of the delivery: refused, counted
                throw new AssertionError("duplicate taken: " + span);
            }
        }
    }

    @Test
    void spanSteadyState_onOneThread_allocatesNothing(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        long[] result = OnContext.call(ctx, () -> {
            SpanRing<DeltaRing> ring = SpanRing.delta(ctx, new RingOptions().setName("alloc-steady").chain("a", "b"));
            Queue q = new Queue();
            ring.sinkForTest(q);
            SpanBatcher batcher = ring.batcher(new SpanOptions());
            DeltaRing.Row w = ring.ring().row(Ring.PRODUCER);
            long bytes = AllocationMeter.allocatedBytes(200, () -> {
                for (int round = 0; round < 4; round++) {
                    produceSpans(batcher, w, 16); // 1024 rows: the whole ring, so every run wraps it
                    runStages(ring, q);
                }
            });
            batcher.close();
            return new long[] {bytes, ring.ring().gating(), batcher.spansSent(), ring.staleMessages()};
        });
        assertThat(result[0]).as("bytes per run of 64 spans").isZero();
        assertThat(result[1]).isEqualTo(205L * 4 * 1024);
        assertThat(result[2]).isEqualTo(205L * 4 * 16);
        assertThat(result[3]).as("every duplicate refused and counted").isEqualTo(205L * 4 * 16);
    }

    @Test
    void wakeUpOfAFullRing_fromAnotherThread_allocatesNothing(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        AtomicLong resumed = new AtomicLong();
        Queue q = new Queue();
        SpanRing<DeltaRing> ring = OnContext.call(ctx, () -> {
            SpanRing<DeltaRing> r = SpanRing.delta(ctx, new RingOptions().setName("alloc-wake").setCapacity(64)
                .chain("a", "b"));
            r.sinkForTest(q);
            return r;
        });
        SpanBatcher batcher = OnContext.call(ctx, () -> ring.batcher(new SpanOptions().setMaxSpanRows(8)
            .setLingerMillis(60_000)).onRoom(resumed::incrementAndGet));
        DeltaRing.Row w = OnContext.call(ctx, () -> ring.ring().row(Ring.PRODUCER));
        long least = Long.MAX_VALUE;
        int rounds = 60;
        for (int round = 0; round < rounds; round++) {
            long full = OnContext.call(ctx, () -> {
                long first;
                while ((first = batcher.tryClaim(8)) != Ring.NO_ROOM) {
                    w.at(first).set(0, first, first, first).length(1);
                    batcher.publish();
                }
                return first;
            });
            assertThat(full).isEqualTo(Ring.NO_ROOM);
            long wakeUps = ring.wakeUps();
            long before = AllocationMeter.threadAllocatedBytes();
            runStages(ring, q); // this thread is stages a and b; b's first completion wakes the owner
            long after = AllocationMeter.threadAllocatedBytes();
            long expected = wakeUps + 1;
            SpanTest.await("the owner woke up", () -> ring.wakeUps() == expected);
            if (round >= 40) {
                least = Math.min(least, after - before);
            }
        }
        assertThat(least).as("bytes on the stage thread per round of 8 spans and one wake-up").isZero();
        assertThat(resumed.get()).isEqualTo(rounds);
    }

    @Test
    void eventBusSendOfASpan_allocatesWhatASendOfAConstantStringDoes(Vertx vertx) throws Exception {
        SpanTest.Pipeline p = new SpanTest.Pipeline(vertx, 1024, new SpanOptions());
        Context ctx = p.producerContext;
        Context sink = OnContext.newContext(vertx);
        AtomicLong strings = new AtomicLong();
        OnContext.call(sink, () -> vertx.eventBus().consumer("span-alloc-baseline", m -> strings.incrementAndGet()));
        int perRound = 4;
        long leastSpan = Long.MAX_VALUE;
        long leastString = Long.MAX_VALUE;
        for (int round = 0; round < 300; round++) {
            long rows = (round + 1) * 64L * perRound;
            long spanBytes = OnContext.call(ctx, () -> {
                long before = AllocationMeter.threadAllocatedBytes();
                p.producer.remaining = 64 * perRound;
                p.producer.perClaim = 8;
                p.producer.run();
                return AllocationMeter.threadAllocatedBytes() - before;
            });
            SpanTest.await("the spans passed b", () -> p.ring.ring().gating() == rows);
            long sent = (round + 1L) * perRound;
            long stringBytes = OnContext.call(ctx, () -> {
                long before = AllocationMeter.threadAllocatedBytes();
                for (int i = 0; i < perRound; i++) {
                    vertx.eventBus().send("span-alloc-baseline", "x");
                }
                return AllocationMeter.threadAllocatedBytes() - before;
            });
            SpanTest.await("the strings arrived", () -> strings.get() == sent);
            if (round >= 200) {
                leastSpan = Math.min(leastSpan, spanBytes);
                leastString = Math.min(leastString, stringBytes);
            }
        }
        System.out.printf("event bus, sending thread: %d B per span (64 rows), %d B per constant string%n",
            leastSpan / perRound, leastString / perRound);
        assertThat(leastString).as("the event bus allocates per message").isPositive();
        assertThat(leastSpan).as("a span send costs what the event bus costs, nothing more")
            .isLessThanOrEqualTo(leastString);
    }
}
