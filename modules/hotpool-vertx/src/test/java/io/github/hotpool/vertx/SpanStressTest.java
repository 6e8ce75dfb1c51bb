package io.github.hotpool.vertx;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.Ring;
import io.github.hotpool.core.RingOptions;
import io.github.hotpool.core.testing.PropertyRunner;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A three-stage chain on three event loops, with spans completed out of order and duplicated
 * messages injected at random stages: every row reaches the last stage exactly once and intact,
 * every span is taken once per stage, and every duplicate is counted stale. Seeded: the seed is
 * printed, {@code -Dhotpool.seed=N} replays the choices (the thread interleaving differs).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpanStressTest {

    private static final int ROWS = 20_000;

    static final class Stage extends AbstractVerticle {
        final SpanRing<DeltaRing> ring;
        final String name;
        final SplittableRandom random;
        final AtomicLong duplicates;
        final boolean last;
        final List<Span> held = new ArrayList<>();
        final ConcurrentSkipListMap<Long, Integer> seen = new ConcurrentSkipListMap<>();
        final AtomicLong intact = new AtomicLong();
        final AtomicLong takenTwice = new AtomicLong();

        Stage(SpanRing<DeltaRing> ring, String name, SplittableRandom random, AtomicLong duplicates) {
            this.ring = ring;
            this.name = name;
            this.random = random;
            this.duplicates = duplicates;
            this.last = ring.ring().stage(name) == ring.ring().stageCount() - 1;
        }

        @Override
        public void start() {
            vertx.setPeriodic(1, id -> completeHeld());
            ring.consumer(name, span -> {
                Integer before = seen.put(span.first(), span.count());
                if (before != null) {
                    takenTwice.incrementAndGet();
                }
                if (last) {
                    DeltaRing.Row r = ring.ring().row(span.stage());
                    for (long s = span.first(); s < span.end(); s++) {
                        if (r.at(s).subject(0) == s && r.object(0) == ~s) {
                            intact.incrementAndGet();
                        }
                    }
                }
                if (random.nextInt(8) == 0) {
                    int to = random.nextInt(ring.ring().stageCount());
                    duplicates.incrementAndGet();
                    vertx.eventBus().send(ring.address(to), span); // before or after it moves on: stale either way
                }
                if (held.size() < 3 && random.nextInt(3) == 0) {
                    held.add(span);
                } else {
                    span.complete();
                    completeHeld();
                }
            });
        }

        private void completeHeld() {
            while (!held.isEmpty()) { // latest first: out of order
                held.remove(held.size() - 1).complete();
            }
        }
    }

    @Test
    void outOfOrderCompletionsAndInjectedDuplicates_deliverEveryRowOnce(Vertx vertx) throws Exception {
        String fixed = System.getProperty(PropertyRunner.SEED_PROPERTY);
        long seed = fixed != null ? Long.decode(fixed) : new SplittableRandom().nextLong();
        System.out.println("SpanStressTest seed " + seed + " (replay: -D" + PropertyRunner.SEED_PROPERTY + "=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        Context producer = OnContext.newContext(vertx);
        SpanRing<DeltaRing> ring = OnContext.call(producer, () -> SpanRing.delta(producer,
            new RingOptions().setName("stress").setCapacity(64).chain("a", "b", "c")));
        AtomicLong duplicates = new AtomicLong();
        List<Stage> stages = new ArrayList<>();
        for (String name : new String[] {"a", "b", "c"}) {
            Stage s = new Stage(ring, name, random.split(), duplicates);
            stages.add(s);
            vertx.deployVerticle(s).await(5, TimeUnit.SECONDS);
        }
        SplittableRandom producerRandom = random.split();
        OnContext.call(producer, () -> {
            SpanBatcher batcher = ring.batcher(new SpanOptions().setMaxSpanRows(8));
            DeltaRing.Row w = ring.ring().row(Ring.PRODUCER);
            long[] produced = new long[1];
            Runnable run = () -> {
                while (produced[0] < ROWS) {
                    int n = (int) Math.min(1 + producerRandom.nextInt(8), ROWS - produced[0]);
                    long first = batcher.tryClaim(n);
                    if (first == Ring.NO_ROOM) {
                        return;
                    }
                    for (long s = first; s < first + n; s++) {
                        w.at(s).set(0, s, 0, ~s).length(1);
                    }
                    batcher.publish();
                    produced[0] += n;
                }
            };
            batcher.onRoom(run);
            run.run();
            return null;
        });
        SpanTest.await("the last stage passed every row (seed " + seed + ")", () -> ring.ring().gating() == ROWS);
        SpanTest.await("every duplicate was counted (seed " + seed + ")",
            () -> ring.staleMessages() == duplicates.get());
        for (Stage s : stages) {
            long next = 0;
            for (var e : s.seen.entrySet()) {
                assertThat(e.getKey()).as("stage %s: spans tile the rows (seed %d)", s.name, seed).isEqualTo(next);
                next += e.getValue();
            }
            assertThat(next).isEqualTo(ROWS);
            assertThat(s.takenTwice).as("stage %s: spans taken twice (seed %d)", s.name, seed).hasValue(0);
        }
        assertThat(stages.get(2).intact).as("seed %d", seed).hasValue(ROWS);
        assertThat(duplicates.get()).isPositive();
        assertThat(ring.wakeUps()).isPositive();
    }
}
