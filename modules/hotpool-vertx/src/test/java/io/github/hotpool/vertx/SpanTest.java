package io.github.hotpool.vertx;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.Ring;
import io.github.hotpool.core.RingOptions;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Spans between verticles on different event loops: same object, RAII completion and failure,
 * staleness, publish refused, full and lingering spans, a trickle, back-pressure.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpanTest {

    /** A stage that throws on purpose: its exception reaches the context's handler, which logs it. */
    @org.junit.jupiter.api.extension.RegisterExtension
    static final io.github.hotpool.core.testing.LogCapture LOG = new io.github.hotpool.core.testing.LogCapture()
        .always("io.vertx.core.impl.ContextImpl", "^Unhandled exception java\\.lang\\.IllegalStateException: stage \\w+ broke$");

    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** A stage: records what it receives; completes each span at once unless holding. */
    static final class StageVerticle extends AbstractVerticle {
        final SpanRing<DeltaRing> ring;
        final String stage;
        volatile boolean hold;
        volatile int failWith = -1;
        volatile boolean throwOnce;
        final List<Span> held = new ArrayList<>(); // this context only
        final List<Span> objects = new CopyOnWriteArrayList<>();
        final List<Long> firsts = new CopyOnWriteArrayList<>();
        final List<Integer> counts = new CopyOnWriteArrayList<>();
        final List<Long> arrivalNanos = new CopyOnWriteArrayList<>();
        final AtomicLong rows = new AtomicLong();
        final AtomicLong rowsIntact = new AtomicLong();
        final AtomicLong rowsFailedUpstream = new AtomicLong();
        volatile Thread thread;

        StageVerticle(SpanRing<DeltaRing> ring, String stage) {
            this.ring = ring;
            this.stage = stage;
        }

        @Override
        public void start() {
            ring.consumer(stage, span -> {
                thread = Thread.currentThread();
                arrivalNanos.add(System.nanoTime());
                objects.add(span);
                firsts.add(span.first());
                counts.add(span.count());
                DeltaRing.Row r = ring.ring().row(span.stage());
                for (long s = span.first(); s < span.end(); s++) {
                    if (r.at(s).isFailed()) {
                        rowsFailedUpstream.incrementAndGet();
                    } else if (r.subject(0) == s && r.object(0) == s * 3) {
                        rowsIntact.incrementAndGet();
                    }
                }
                rows.addAndGet(span.count());
                if (throwOnce) {
                    throwOnce = false;
                    throw new IllegalStateException("stage " + stage + " broke");
                }
                if (hold) {
                    held.add(span);
                } else if (failWith >= 0) {
                    span.fail(failWith);
                } else {
                    span.complete();
                }
            });
        }

        Context ctx() {
            return context;
        }

        /** Completes the held spans in the given order (indices into held), on this stage's context. */
        void completeHeld(int... order) throws Exception {
            OnContext.call(context, () -> {
                for (int i : order) {
                    held.get(i).complete();
                }
                return null;
            });
        }
    }

    /** A producer on the ring's owner context, writing row seq as (seq, 2 seq, 3 seq). */
    static final class Producer {
        final SpanRing<DeltaRing> ring;
        final SpanBatcher batcher;
        int remaining;
        int perClaim = 1;
        final AtomicInteger fullAnswers = new AtomicInteger();
        final List<Thread> resumedOn = new CopyOnWriteArrayList<>();

        Producer(SpanRing<DeltaRing> ring, SpanOptions options) {
            this.ring = ring;
            this.batcher = ring.batcher(options).onRoom(() -> {
                resumedOn.add(Thread.currentThread());
                run();
            });
        }

        /** Owner thread: produces until done or the ring is full. */
        void run() {
            DeltaRing.Row w = ring.ring().row(Ring.PRODUCER);
            while (remaining > 0) {
                int n = Math.min(perClaim, remaining);
                long first = batcher.tryClaim(n);
                if (first == Ring.NO_ROOM) {
                    fullAnswers.incrementAndGet();
                    return;
                }
                for (long s = first; s < first + n; s++) {
                    w.at(s).set(0, s, 2 * s, 3 * s).length(1);
                }
                batcher.publish();
                remaining -= n;
            }
        }
    }

    /** Producer context P with a two-stage chain a, b deployed as verticles. */
    static final class Pipeline {
        final Context producerContext;
        final SpanRing<DeltaRing> ring;
        final Producer producer;
        final StageVerticle a;
        final StageVerticle b;

        Pipeline(Vertx vertx, int capacity, SpanOptions options) throws Exception {
            producerContext = OnContext.newContext(vertx);
            ring = OnContext.call(producerContext, () -> SpanRing.delta(producerContext,
                new RingOptions().setName("spans-" + System.nanoTime()).setCapacity(capacity).chain("a", "b")));
            producer = OnContext.call(producerContext, () -> new Producer(ring, options));
            a = new StageVerticle(ring, "a");
            b = new StageVerticle(ring, "b");
            vertx.deployVerticle(a).await(5, TimeUnit.SECONDS);
            vertx.deployVerticle(b).await(5, TimeUnit.SECONDS);
        }

        void produce(int rows, int perClaim) throws Exception {
            OnContext.call(producerContext, () -> {
                producer.remaining += rows;
                producer.perClaim = perClaim;
                producer.run();
                return null;
            });
        }
    }

    /**
     * A stage that ends late, with the generation it took the span with, ends only its own
     * delivery: once the span has moved on to the next stage, complete(gen) and fail(gen, r) from
     * the stage before do nothing, where complete() would have ended the next stage's delivery.
     */
    @Test
    void lateEndWithTheTakenGeneration_neverEndsTheNextStagesDelivery(Vertx vertx) throws Exception {
        Context owner = OnContext.newContext(vertx);
        Context aCtx = OnContext.newContext(vertx);
        Context bCtx = OnContext.newContext(vertx);
        SpanRing<DeltaRing> ring = OnContext.call(owner, () -> SpanRing.delta(owner,
            new RingOptions().setName("late-end").setCapacity(16).chain("a", "b")));
        AtomicReference<Span> atA = new AtomicReference<>();
        AtomicLong takenAtA = new AtomicLong(-1);
        AtomicReference<Span> atB = new AtomicReference<>();
        OnContext.call(aCtx, () -> ring.consumer("a", span -> {
            takenAtA.set(span.generation());
            atA.set(span);
            span.complete();
        }));
        OnContext.call(bCtx, () -> ring.consumer("b", atB::set)); // b holds its span, ends it below
        SpanFailStuckTest.sendOneSpan(owner, ring);
        await("b holds the span", () -> atB.get() != null);
        long gen = takenAtA.get();
        assertThat(atB.get().generation()).as("a new generation for b's delivery").isNotEqualTo(gen);
        assertThat(OnContext.call(aCtx, () -> atA.get().complete(gen))).as("a's late complete").isFalse();
        assertThat(OnContext.call(aCtx, () -> atA.get().fail(gen, 5))).as("a's late fail").isFalse();
        assertThat(ring.ring().cursor(1)).as("b's delivery untouched").isZero();
        assertThat(ring.ring().isFailed(0)).isFalse();
        long bGen = atB.get().generation();
        assertThat(OnContext.call(bCtx, () -> atB.get().complete(bGen))).as("b ends its own").isTrue();
        await("the ring moved on", () -> ring.ring().gating() == 8);
    }

    /**
     * A failure reason out of range is refused before the span changes state: the stage still
     * holds the span and can fail it with a valid reason, and the ring moves on. (Checked only
     * inside the row loop, it once left the span half-ended for good, and the ring stopped.)
     */
    @Test
    void failWithAReasonOutOfRange_isRefused_andTheSpanStaysTheStages(Vertx vertx) throws Exception {
        Context owner = OnContext.newContext(vertx);
        Context aCtx = OnContext.newContext(vertx);
        SpanRing<DeltaRing> ring = OnContext.call(owner, () -> SpanRing.delta(owner,
            new RingOptions().setName("bad-reason").setCapacity(16).chain("a", "b")));
        AtomicReference<Span> held = new AtomicReference<>();
        AtomicReference<Throwable> refused = new AtomicReference<>();
        OnContext.call(aCtx, () -> ring.consumer("a", span -> {
            try {
                span.fail(Ring.MAX_FAIL_REASON + 1);
            } catch (IllegalArgumentException e) {
                refused.set(e);
            }
            held.set(span);
        }));
        AtomicLong reachedB = new AtomicLong();
        AtomicInteger reasonAtB = new AtomicInteger(-1);
        OnContext.call(aCtx, () -> ring.consumer("b", span -> {
            reasonAtB.set(ring.ring().failReason(span.first()));
            reachedB.addAndGet(span.count());
            span.complete();
        }));
        SpanFailStuckTest.sendOneSpan(owner, ring);
        await("stage a got the span", () -> held.get() != null);
        assertThat(refused.get()).hasMessageContaining("fail reason must be in [0, 65535]: 65536");
        assertThat(ring.ring().cursor(0)).as("refused: nothing passed yet").isZero();
        assertThat(OnContext.call(aCtx, () -> held.get().fail(3))).as("still the stage's to fail").isTrue();
        await("the span reached b", () -> reachedB.get() == 8);
        assertThat(reasonAtB.get()).isEqualTo(3);
        await("the ring moved on", () -> ring.ring().gating() == 8);
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after 10 s waiting until " + what);
            }
            LockSupport.parkNanos(200_000);
        }
    }

    @Test
    void spanCrossesTheEventBus_asTheSameObject_andEachCompletionAdvancesItsOwnStagesCursor(Vertx vertx)
        throws Exception {
        Pipeline p = new Pipeline(vertx, 256, new SpanOptions());
        p.b.hold = true;
        p.produce(64, 8);
        await("b holds the span", () -> p.b.objects.size() == 1);
        Ring ring = p.ring.ring();
        assertThat(p.a.thread).isNotNull().isNotSameAs(p.b.thread);
        assertThat(p.b.objects.get(0)).as("zero copy: the object a completed is the one b got")
            .isSameAs(p.a.objects.get(0));
        assertThat(p.a.firsts).containsExactly(0L);
        assertThat(p.a.counts).containsExactly(64);
        assertThat(ring.cursor(ring.stage("a"))).isEqualTo(64);
        assertThat(ring.cursor(ring.stage("b"))).as("b has not completed").isZero();
        assertThat(p.b.objects.get(0).stage()).isEqualTo(ring.stage("b"));
        p.b.completeHeld(0);
        assertThat(ring.cursor(ring.stage("b"))).isEqualTo(64);
        assertThat(ring.gating()).isEqualTo(64);
        assertThat(p.b.rowsIntact).hasValue(64);
        assertThat(p.ring.staleMessages()).isZero();
    }

    @Test
    void failedSpan_marksItsRowsAndStillAdvances(Vertx vertx) throws Exception {
        Pipeline p = new Pipeline(vertx, 256, new SpanOptions().setMaxSpanRows(16));
        p.a.failWith = 7;
        p.produce(32, 4);
        await("b passed both spans", () -> p.ring.ring().gating() == 32);
        Ring ring = p.ring.ring();
        assertThat(p.b.rowsFailedUpstream).hasValue(32);
        assertThat(ring.failedBy(5)).isEqualTo(ring.stage("a"));
        assertThat(ring.failReason(5)).isEqualTo(7);
        assertThat(ring.stats().failedRows()).isEqualTo(32);
    }

    @Test
    void aThrowingHandler_failsItsSpan_whichStillMovesOn(Vertx vertx) throws Exception {
        Pipeline p = new Pipeline(vertx, 64, new SpanOptions().setMaxSpanRows(8));
        p.a.throwOnce = true;
        p.produce(16, 8);
        await("b passed both spans", () -> p.ring.ring().gating() == 16);
        Ring ring = p.ring.ring();
        assertThat(ring.failReason(0)).isEqualTo(Span.REASON_HANDLER_THREW);
        assertThat(ring.failedBy(7)).isEqualTo(ring.stage("a"));
        assertThat(ring.isFailed(8)).as("the next span is not touched").isFalse();
        assertThat(p.b.rowsFailedUpstream).hasValue(8);
        assertThat(p.b.rowsIntact).hasValue(8);
    }

    @Test
    void duplicatedAndStaleMessages_touchNothing_andAreCounted(Vertx vertx) throws Exception {
        Pipeline p = new Pipeline(vertx, 8, new SpanOptions().setMaxSpanRows(4));
        Ring ring = p.ring.ring();
        p.b.hold = true;
        p.produce(4, 4);
        await("b holds the span", () -> p.b.objects.size() == 1);
        Span span = p.b.objects.get(0);
        long generation = span.generation();
        // while b holds it: again to b (a duplicate), and to a (which passed it)
        vertx.eventBus().send(p.ring.address(ring.stage("b")), span);
        vertx.eventBus().send(p.ring.address(ring.stage("a")), span);
        await("both counted", () -> p.ring.staleMessages() == 2);
        assertThat(p.a.objects).hasSize(1);
        assertThat(p.b.objects).hasSize(1);
        assertThat(ring.cursor(ring.stage("a"))).isEqualTo(4);
        assertThat(ring.cursor(ring.stage("b"))).isZero();
        assertThat(span.generation()).isEqualTo(generation);
        p.b.completeHeld(0);
        assertThat(span.complete()).as("completing twice does nothing").isFalse();
        assertThat(ring.cursor(ring.stage("b"))).isEqualTo(4);
        // wrap the ring: rows 8..11 reuse the same row indices and the same span object
        p.b.hold = false;
        p.produce(8, 4);
        await("the ring wrapped", () -> ring.gating() == 12);
        assertThat(p.a.objects.get(2)).isSameAs(span);
        assertThat(span.first()).isEqualTo(8);
        long aCursor = ring.cursor(ring.stage("a"));
        long bCursor = ring.cursor(ring.stage("b"));
        long stale = p.ring.staleMessages();
        vertx.eventBus().send(p.ring.address(ring.stage("a")), span); // a message from before the wrap
        vertx.eventBus().send(p.ring.address(ring.stage("b")), span);
        await("both counted", () -> p.ring.staleMessages() == stale + 2);
        assertThat(ring.cursor(ring.stage("a"))).isEqualTo(aCursor);
        assertThat(ring.cursor(ring.stage("b"))).isEqualTo(bCursor);
        assertThat(p.a.objects).hasSize(3);
        assertThat(p.b.objects).hasSize(3);
        // a span of another ring
        Pipeline other = new Pipeline(vertx, 8, new SpanOptions().setMaxSpanRows(4));
        assertThat(other.ring.take(0, span)).isFalse();
        assertThat(other.ring.staleMessages()).isEqualTo(1);
    }

    @Test
    void aStageMayCompleteOutOfOrder_theCursorWaitsForTheEarlierSpan(Vertx vertx) throws Exception {
        Pipeline p = new Pipeline(vertx, 64, new SpanOptions().setMaxSpanRows(8));
        Ring ring = p.ring.ring();
        p.a.hold = true;
        p.produce(16, 8);
        await("a holds two spans", () -> p.a.objects.size() == 2);
        p.a.completeHeld(1);
        assertThat(ring.cursor(ring.stage("a"))).as("span 8..16 waits for span 0..8").isZero();
        assertThat(p.b.objects).isEmpty();
        p.a.completeHeld(0);
        assertThat(ring.cursor(ring.stage("a"))).isEqualTo(16);
        await("b passed both", () -> ring.gating() == 16);
        assertThat(p.b.firsts).containsExactly(0L, 8L);
        assertThat(p.ring.staleMessages()).isZero();
    }

    @Test
    void publishOfASpan_isRefused(Vertx vertx) throws Exception {
        Pipeline p = new Pipeline(vertx, 64, new SpanOptions().setMaxSpanRows(8));
        p.b.hold = true;
        p.produce(8, 8);
        await("b holds the span", () -> p.b.objects.size() == 1);
        Span span = p.b.objects.get(0);
        Context sender = OnContext.newContext(vertx);
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        sender.exceptionHandler(reported::add);
        List<Object> bodies = new CopyOnWriteArrayList<>();
        vertx.eventBus().consumer("span-fanout", m -> bodies.add(m.body()));
        OnContext.call(sender, () -> {
            vertx.eventBus().publish("span-fanout", span);
            vertx.eventBus().send("span-fanout", "after"); // same sender: would arrive after a delivered span
            return null;
        });
        await("the marker arrives", () -> bodies.contains("after"));
        assertThat(bodies).containsExactly("after");
        assertThat(reported).singleElement().isInstanceOf(IllegalStateException.class).extracting(Throwable::getMessage)
            .asString().contains("publish of Span{").contains("'span-fanout' refused");
        assertThatThrownBy(() -> SpanCodec.INSTANCE.encodeToWire(io.vertx.core.buffer.Buffer.buffer(), span))
            .hasMessageContaining("cannot leave its JVM");
        assertThat(SpanCodec.INSTANCE.transform(span)).isSameAs(span);
    }

    @Test
    void fullSpansCloseAtMaxRows_andAPartialOneAfterTheLinger(Vertx vertx) throws Exception {
        Pipeline p = new Pipeline(vertx, 1024, new SpanOptions().setLingerMillis(50));
        long[] publishedAt = new long[1];
        OnContext.call(p.producerContext, () -> {
            p.producer.remaining = 64 * 3 + 10;
            p.producer.perClaim = 2;
            p.producer.run();
            publishedAt[0] = System.nanoTime();
            assertThat(p.producer.batcher.spansSent()).isEqualTo(3);
            assertThat(p.producer.batcher.openRows()).isEqualTo(10);
            return null;
        });
        await("the partial span arrives", () -> p.b.objects.size() == 4);
        assertThat(p.a.counts).containsExactly(64, 64, 64, 10);
        assertThat(p.a.firsts).containsExactly(0L, 64L, 128L, 192L);
        assertThat(p.a.arrivalNanos.get(3) - publishedAt[0]).as("not sent before the linger")
            .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50) - TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(p.b.rowsIntact).hasValue(202);
    }

    @Test
    void aTrickleSlowerThanTheLinger_stillFlows(Vertx vertx) throws Exception {
        Pipeline p = new Pipeline(vertx, 1024, new SpanOptions()); // 64 rows, 1 ms
        int rows = 12;
        // one row at a time, the next only once the last has reached b: only the linger can have sent
        // it, as its span never fills; a timer-driven trickle could bunch up under load and prove nothing
        for (int i = 1; i <= rows; i++) {
            OnContext.call(p.producerContext, () -> {
                p.producer.remaining = 1;
                p.producer.run();
                return null;
            });
            int reached = i;
            await("row " + i + " reached b without its span filling", () -> p.b.rows.get() >= reached);
        }
        assertThat(p.b.rowsIntact.get()).isEqualTo(rows);
        assertThat(p.a.counts).as("every row went on alone, in a span the linger closed").hasSize(rows)
            .allSatisfy(c -> assertThat(c).isEqualTo(1));
    }

    @Test
    void aFullRingParksTheProducer_andTheWakeUpResumesItOnItsOwnContext(Vertx vertx) throws Exception {
        Pipeline p = new Pipeline(vertx, 16, new SpanOptions().setMaxSpanRows(4).setLingerMillis(1000));
        Ring ring = p.ring.ring();
        Thread owner = ring.ownerThread();
        p.b.hold = true;
        p.produce(200, 2); // spans of 4 rows: 16 fill the ring
        await("the producer found the ring full", () -> p.producer.fullAnswers.get() == 1);
        await("b holds every row", () -> p.b.rows.get() == 16);
        assertThat(ring.claimed()).isEqualTo(16);
        assertThat(p.ring.wakeUps()).isZero();
        OnContext.call(p.b.ctx(), () -> {
            p.b.hold = false;
            for (Span s : p.b.held) {
                s.complete();
            }
            return null;
        });
        await("every row reached b", () -> p.b.rows.get() == 200);
        await("b passed every row", () -> ring.gating() == 200);
        assertThat(p.b.rowsIntact).hasValue(200);
        assertThat(p.ring.wakeUps()).isPositive();
        assertThat(p.producer.resumedOn).isNotEmpty().allSatisfy(t -> assertThat(t).isSameAs(owner));
        assertThat(p.producer.fullAnswers.get()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void chainsOnly_andOptionsAreChecked(Vertx vertx) throws Exception {
        Context c = OnContext.newContext(vertx);
        assertThatThrownBy(() -> OnContext.call(c, () -> SpanRing.delta(c,
            new RingOptions().setName("fan").addStage("x").addStage("y").addStage("z", "x", "y"))))
            .hasMessageContaining("spans travel a chain of stages, but stage 'y' of ring 'fan' runs after []");
        assertThatThrownBy(() -> SpanRing.delta(c, new RingOptions().chain("x")))
            .hasMessageContaining("created on its owner context's event-loop thread");
        SpanRing<DeltaRing> small = OnContext.call(c, () -> SpanRing.delta(c, new RingOptions().setName("small")
            .setCapacity(8).chain("x")));
        assertThatThrownBy(() -> OnContext.call(c, () -> small.batcher(new SpanOptions())))
            .hasMessageContaining("maxSpanRows must be at most the capacity 8 of ring 'small': 64");
        SpanBatcher batcher = OnContext.call(c, () -> small.batcher(new SpanOptions().setMaxSpanRows(4)));
        assertThatThrownBy(() -> OnContext.call(c, () -> batcher.tryClaim(5)))
            .hasMessageContaining("cannot claim 5 rows in a span: n must be in [1, maxSpanRows 4]");
        assertThatThrownBy(() -> OnContext.call(c, () -> small.batcher(new SpanOptions().setMaxSpanRows(4))))
            .hasMessageContaining("has a batcher already");
        OnContext.call(c, () -> {
            batcher.close();
            return null;
        });
        assertThatThrownBy(() -> OnContext.call(c, () -> batcher.tryClaim(1))).hasMessageContaining("is closed");
    }
}
