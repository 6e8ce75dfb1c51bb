package io.github.hotpool.core;

import io.github.hotpool.core.testing.AllocationMeter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.atomic.AtomicLong;

import static io.github.hotpool.core.Ring.NO_ROOM;
import static io.github.hotpool.core.Ring.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;

/** Warmed-up ring paths allocate 0 bytes, counted per thread: claim, publish, advance, row views, full ring, wake-up. */
class RingAllocationFreeTest {

    private static final int WARMUPS = 30;
    private static final int LOOP = 20_000;

    private final AtomicLong woken = new AtomicLong();
    private final Runnable onRoom = woken::incrementAndGet; // made once, like an integration's pre-allocated task

    @Test
    void claimWritePublishReadAdvance_acrossAChainOfStages_allocatesNothing() {
        DeltaRing ring = new DeltaRing(new RingOptions().setCapacity(64).chain("transform", "load", "emit"));
        DeltaRing.Row w = ring.row(PRODUCER);
        DeltaRing.Row t = ring.row(0);
        DeltaRing.Row l = ring.row(1);
        DeltaRing.Row e = ring.row(2);
        long[] sink = new long[1];
        long bytes = AllocationMeter.allocatedBytes(WARMUPS, () -> {
            for (int i = 0; i < LOOP; i++) {
                long seq = ring.tryClaim(1);
                w.at(seq).set(i & 7, seq, seq + 1, seq + 2).length(8).addRun(seq + 1, 0, 8);
                ring.publish(seq + 1);
                t.at(seq);
                if ((i & 15) == 0) {
                    t.fail(i & 0xFF);
                }
                ring.advance(0, ring.available(0));
                sink[0] += l.at(seq).subject(i & 7) + l.runPredicate(0) + l.runLength(0) + (l.isFailed() ? 1 : 0);
                ring.advance(1, seq + 1);
                sink[0] += e.at(seq).object(i & 7) + e.failedBy() + (ring.isCurrent(2, seq, 1, ring.epoch()) ? 1 : 0);
                ring.advance(2, seq + 1);
            }
        });
        assertThat(bytes).isZero();
        assertThat(sink[0]).isNotZero();
    }

    @Test
    void adaptiveRing_claimWritePublishReadAdvance_andPolicyStepsThatDoNotResize_allocateNothing() {
        DeltaRing ring = new DeltaRing(new RingOptions().setCapacity(8).setCapacityPolicy(CapacityPolicy.GROW_ON_EXHAUSTION)
            .setMaxCapacity(64).setIdleMillis(60_000).chain("transform", "emit"));
        DeltaRing.Row w = ring.row(PRODUCER);
        DeltaRing.Row t = ring.row(0);
        DeltaRing.Row e = ring.row(1);
        // hold rows over a growth: the first reads go to the old slab, later ones to the new one
        long held = ring.tryClaim(8);
        ring.publish(held + 8);
        assertThat(ring.grow()).isTrue();
        assertThat(ring.hasPreviousLayout()).isTrue();
        ring.maintain(0); // starts the policy clock
        long[] sink = new long[1];
        long bytes = AllocationMeter.allocatedBytes(WARMUPS, () -> {
            for (int i = 0; i < LOOP; i++) {
                long seq = ring.tryClaim(1);
                w.at(seq).set(i & 7, seq, seq + 1, seq + 2).length(8);
                ring.publish(seq + 1);
                long from = ring.cursor(0);
                for (long s = from; s <= seq; s++) {
                    sink[0] += t.at(s).subject(i & 7);
                    if ((s & 15) == 0) {
                        t.fail((int) (s & 0xFF));
                    }
                }
                ring.advance(0, seq + 1);
                for (long s = ring.cursor(1); s <= seq; s++) {
                    sink[0] += e.at(s).object(i & 7) + e.failedBy() + (e.isFailed() ? 1 : 0);
                }
                ring.advance(1, seq + 1);
                if ((i & 255) == 0) {
                    sink[0] += ring.maintain(1_000_000L) + ring.capacity(); // no full answer, not idle: no change
                }
            }
        });
        assertThat(bytes).isZero();
        assertThat(sink[0]).isNotZero();
        assertThat(ring.capacity()).isEqualTo(16);
        assertThat(ring.hasPreviousLayout()).as("the old slab is dropped once every stage passed the boundary").isFalse();
        assertThat(ring.growCount()).isEqualTo(1);
        assertThat(ring.shrinkCount()).isZero();
    }

    @Test
    void assertionRowsAndStatusReads_allocateNothing() {
        AssertionRing ring = new AssertionRing(new RingOptions().setCapacity(16).chain("emit"));
        AssertionRing.Row w = ring.row(PRODUCER);
        AssertionRing.Row r = ring.row(0);
        long[] sink = new long[1];
        long bytes = AllocationMeter.allocatedBytes(WARMUPS, () -> {
            for (int i = 0; i < LOOP; i++) {
                long seq = ring.tryClaim(1);
                w.at(seq).cycleId(seq).shardId(1).record(i, 8, 0x301, seq, ~seq, 1);
                ring.publish(seq + 1);
                r.at(seq);
                sink[0] += r.cycleId() + r.hookId() + r.aHash() + r.result() + r.failReason() + ring.gating();
                ring.advance(0, seq + 1);
            }
        });
        assertThat(bytes).isZero();
        assertThat(sink[0]).isNotZero();
    }

    @Test
    void fullRing_noRoomAnswers_armedWaits_wakeUpsAndDisarm_allocateNothing() {
        DeltaRing ring = new DeltaRing(new RingOptions().setCapacity(4).chain("a", "b"), Thread.currentThread(), onRoom);
        long bytes = AllocationMeter.allocatedBytes(WARMUPS, () -> {
            for (int i = 0; i < LOOP; i++) {
                long first;
                while ((first = ring.tryClaim(2)) != NO_ROOM) {
                    ring.publish(first + 2);
                }
                if (ring.tryClaimOrArm(2) != NO_ROOM) {
                    throw new AssertionError("a full ring claimed");
                }
                if ((i & 1) == 0) {
                    ring.disarm();
                }
                ring.advance(0, ring.available(0));
                ring.advance(1, ring.available(1)); // fires onRoom when armed
            }
        });
        assertThat(bytes).isZero();
        assertThat(woken.get()).isEqualTo((long) (WARMUPS + 5) * LOOP / 2);
        assertThat(ring.stats().waits()).isEqualTo((long) (WARMUPS + 5) * LOOP);
    }

    @Test
    @Timeout(60)
    void crossThread_producerAndTerminalStage_allocateNothingOnEitherThread() throws InterruptedException {
        // fewer warm-up rounds than the single-thread tests: two threads hand rows back and forth on
        // a shared 2-core machine, and 10 x 20,000 rows are plenty for the JIT
        int warmups = 10;
        int rounds = warmups + 5; // AllocationMeter: the warm-ups, then five measured runs
        int batch = 8;
        DeltaRing ring = new DeltaRing(new RingOptions().setCapacity(256).chain("emit"));
        AtomicLong consumerBytes = new AtomicLong(-1);
        long total = (long) rounds * LOOP;
        Thread consumer = new Thread(() -> {
            DeltaRing.Row r = ring.row(0);
            long least = Long.MAX_VALUE;
            long at = 0;
            for (int round = 0; round < rounds; round++) {
                long before = AllocationMeter.threadAllocatedBytes();
                long end = at + LOOP;
                while (at < end) {
                    long avail = ring.available(0);
                    if (avail == at) {
                        Thread.yield();
                        continue;
                    }
                    long upTo = Math.min(avail, end);
                    for (long s = at; s < upTo; s++) {
                        if (r.at(s).subject(0) != s) {
                            throw new AssertionError("row " + s + " holds " + r.subject(0));
                        }
                    }
                    ring.advance(0, upTo);
                    at = upTo;
                }
                long after = AllocationMeter.threadAllocatedBytes();
                if (round >= warmups) {
                    least = Math.min(least, after - before);
                }
            }
            consumerBytes.set(least);
        }, "ring-consumer");
        consumer.setDaemon(true);
        consumer.start();
        DeltaRing.Row w = ring.row(PRODUCER);
        long producerBytes = AllocationMeter.allocatedBytes(warmups, () -> {
            for (int i = 0; i < LOOP; i += batch) {
                long first;
                while ((first = ring.tryClaim(batch)) == NO_ROOM) {
                    Thread.yield();
                }
                for (long seq = first; seq < first + batch; seq++) {
                    w.at(seq).setSubject(0, seq);
                }
                ring.publish(first + batch);
            }
        });
        consumer.join(50_000);
        assertThat(producerBytes).isZero();
        assertThat(consumerBytes.get()).isZero();
        assertThat(ring.gating()).isEqualTo(total);
    }
}
