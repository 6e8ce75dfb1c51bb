package io.github.hotpool.core;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.github.hotpool.core.Ring.NO_ROOM;
import static io.github.hotpool.core.Ring.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * No lost wake-up: a producer on a two-row ring arms the wake-up whenever the ring is full and then
 * waits for nothing but the signal (it never re-checks the ring on its own, so a lost signal is
 * never covered up), while real stage threads advance one row at a time. A lost wake-up leaves the
 * producer waiting with the ring drained: one wait longer than {@link #LOST_AFTER_NANOS} fails the
 * test and names the state it stopped in. With two terminal stages (fan-out) either may free the
 * room, and the one whose advance completes it must fire.
 *
 * <p>Bounded: at most {@link #ROWS} rows or {@link #BUDGET_NANOS} of producing per case, whichever
 * comes first, and {@code @Timeout}. Every row is a hand-off between threads, so the rate depends
 * on the machine: on the shared 2-core VM, with other builds running, one case has moved 0.7 to 2
 * million rows through 0.4 to 1.2 million armed waits in its 8 s (the counts are printed); the
 * test asks only for enough waits to show the race was exercised.
 */
class RingWakeUpStressTest {

    private static final long ROWS = 2_000_000;
    private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(8);
    private static final long LOST_AFTER_NANOS = TimeUnit.SECONDS.toNanos(10);

    @ParameterizedTest(name = "{0} terminal stage(s)")
    @ValueSource(ints = {1, 2})
    @Timeout(60)
    void armedProducer_isAlwaysWoken_overMillionsOfArmsAndAdvances(int terminals) throws InterruptedException {
        RingOptions options = new RingOptions().setName("wake").setCapacity(2);
        for (int k = 0; k < terminals; k++) {
            options.addStage("emit" + k);
        }
        AtomicLong wakes = new AtomicLong();
        DeltaRing ring = new DeltaRing(options, Thread.currentThread(), wakes::incrementAndGet);
        AtomicLong end = new AtomicLong(Long.MAX_VALUE); // the producer's last sequence, once it stops
        AtomicBoolean abort = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] stages = new Thread[terminals];
        for (int k = 0; k < terminals; k++) {
            int stage = k;
            stages[k] = new Thread(() -> {
                try {
                    DeltaRing.Row r = ring.row(stage);
                    long at = 0;
                    int idle = 0;
                    while (at < end.get() && !abort.get()) {
                        if (ring.available(stage) == at) {
                            if (++idle > 50) {
                                Thread.yield();
                            } else {
                                Thread.onSpinWait();
                            }
                            continue;
                        }
                        idle = 0;
                        if (r.at(at).subject(0) != at + 1) {
                            throw new AssertionError("row " + at + " holds " + r.subject(0) + " at stage " + stage);
                        }
                        ring.advance(stage, at + 1); // one row at a time: as many advances as rows
                        at++;
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "wake-stage-" + k);
            stages[k].setDaemon(true);
            stages[k].start();
        }

        SplittableRandom random = new SplittableRandom(ROWS * terminals);
        DeltaRing.Row w = ring.row(PRODUCER);
        long budgetEnd = System.nanoTime() + BUDGET_NANOS;
        long next = 0;
        long waited = 0;
        try {
            while (next < ROWS && failure.get() == null && System.nanoTime() < budgetEnd) {
                int n = (int) Math.min(1 + random.nextInt(2), ROWS - next);
                long wakesBefore = wakes.get();
                long first = ring.tryClaimOrArm(n);
                if (first == NO_ROOM) {
                    waited++;
                    awaitSignal(wakes, wakesBefore, ring, n, waited);
                    continue;
                }
                for (long s = first; s < first + n; s++) {
                    w.at(s).setSubject(0, s + 1);
                }
                ring.publish(first + n);
                next = first + n;
            }
            end.set(next);
            for (Thread t : stages) {
                t.join(TimeUnit.NANOSECONDS.toMillis(LOST_AFTER_NANOS));
            }
        } finally {
            abort.set(true);
        }
        assertThat(failure.get()).isNull();
        RingStats stats = ring.stats();
        assertThat(stats.gating()).as("every stage drained every row").isEqualTo(next);
        assertThat(stats.waits()).isEqualTo(waited);
        assertThat(stats.wakeUps()).as("at least one wake-up per wait; a spurious one at most per terminal stage and wait")
            .isBetween(waited, waited * (terminals + 1));
        assertThat(waited).as("the producer waited often enough to exercise the race: %s", stats).isGreaterThan(10_000);
        System.out.println("RingWakeUpStressTest: " + terminals + " terminal stage(s): " + next + " rows, " + waited
            + " armed waits, " + stats.wakeUps() + " wake-ups, " + stats.fullAnswers() + " no-room answers");
    }

    /** Waits for the signal alone, without looking at the ring; fails when it does not come. */
    private static void awaitSignal(AtomicLong wakes, long before, DeltaRing ring, int n, long waited) {
        long since = System.nanoTime();
        int spins = 0;
        while (wakes.get() == before) {
            if (++spins < 50) {
                Thread.onSpinWait();
                continue;
            }
            Thread.yield();
            if ((spins & 1023) == 0 && System.nanoTime() - since > LOST_AFTER_NANOS) {
                fail("lost wake-up: the producer armed for " + n + " rows at claimed " + ring.claimed() + " and was not woken in "
                    + TimeUnit.NANOSECONDS.toSeconds(LOST_AFTER_NANOS) + " s; " + ring.stats() + ", wait number " + waited);
            }
        }
    }
}
