package io.github.hotpool.core;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static io.github.hotpool.core.Ring.NO_ROOM;
import static io.github.hotpool.core.Ring.NOT_FAILED;
import static io.github.hotpool.core.Ring.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ring's sequencing on one thread: claims, publishes, cursors, gating, wrap-around, failed rows, spans, wake-up. */
class RingSequencingTest {

    private static RingOptions chain(int capacity, String... stages) {
        return new RingOptions().setName("t").setCapacity(capacity).chain(stages);
    }

    @Test
    void claimPublishAvailableAdvance_moveExclusiveBoundsInPipelineOrder() {
        DeltaRing ring = new DeltaRing(chain(8, "transform", "load"));
        int transform = ring.stage("transform");
        int load = ring.stage("load");

        assertThat(ring.tryClaim(3)).isZero();
        assertThat(ring.tryClaim(2)).isEqualTo(3);
        assertThat(ring.claimed()).isEqualTo(5);
        assertThat(ring.available(transform)).as("nothing published yet").isZero();

        ring.publish(3);
        assertThat(ring.available(transform)).isEqualTo(3);
        assertThat(ring.available(load)).as("load reads behind transform").isZero();

        ring.advance(transform, 2);
        assertThat(ring.cursor(transform)).isEqualTo(2);
        assertThat(ring.available(load)).isEqualTo(2);
        ring.advance(load, 2);
        assertThat(ring.gating()).isEqualTo(2);
        ring.advance(load, 2); // no move: allowed, nothing happens
        assertThat(ring.cursor(load)).isEqualTo(2);
        assertThat(ring.runsAfter(load)).containsExactly(transform);
        assertThat(ring.runsAfter(transform)).isEmpty();
        assertThat(ring.isTerminal(load)).isTrue();
        assertThat(ring.isTerminal(transform)).isFalse();
    }

    @Test
    void guards_nameTheValueAndTheLimit_andLeaveTheRingUnchanged() {
        DeltaRing ring = new DeltaRing(chain(4, "a", "b"));
        ring.tryClaim(2);
        assertThatThrownBy(() -> ring.publish(3)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("delta ring 't' cannot publish up to 3: it must be in [published 0, claimed 2]");
        ring.publish(2);
        assertThatThrownBy(() -> ring.publish(1)).hasMessageContaining("cannot publish up to 1");
        assertThatThrownBy(() -> ring.advance(1, 1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("stage 'b' of delta ring 't' cannot pass 1: only rows before 0 are available to it");
        ring.advance(0, 2);
        assertThatThrownBy(() -> ring.advance(0, 1))
            .hasMessage("stage 'a' of delta ring 't' cannot move back from 2 to 1");
        assertThatThrownBy(() -> ring.tryClaim(0)).hasMessage("cannot claim 0 rows of delta ring 't': n must be in [1, capacity 4]");
        assertThatThrownBy(() -> ring.tryClaim(5)).hasMessageContaining("n must be in [1, capacity 4]");
        assertThatThrownBy(() -> ring.available(2)).hasMessage("stage 2 outside [0, 2) of delta ring 't'");
        assertThatThrownBy(() -> ring.stage("emit")).hasMessage("delta ring 't' has no stage 'emit' (stages: [a, b])");
        assertThat(ring.cursor(0)).isEqualTo(2);
        assertThat(ring.published()).isEqualTo(2);
        assertThat(ring.claimed()).isEqualTo(2);
    }

    @Test
    void producerCalls_offTheOwnerThread_throwWrongThread() throws InterruptedException {
        AssertionRing ring = new AssertionRing(chain(4, "emit"));
        AtomicInteger refused = new AtomicInteger();
        Thread other = new Thread(() -> {
            for (Runnable call : new Runnable[] {() -> ring.tryClaim(1), () -> ring.tryClaimOrArm(1), () -> ring.publish(0),
                ring::disarm}) {
                try {
                    call.run();
                } catch (WrongThreadException e) {
                    assertThat(e).hasMessageContaining("on thread 'other': assertion ring 't' is owned by thread");
                    refused.incrementAndGet();
                }
            }
        }, "other");
        other.start();
        other.join();
        assertThat(refused).hasValue(4);
        assertThat(ring.claimed()).isZero();
    }

    @Test
    void fullRing_answersNoRoomWithoutThrowing_untilTheLastStagePasses() {
        DeltaRing ring = new DeltaRing(chain(4, "a", "b"));
        assertThat(ring.tryClaim(4)).isZero();
        ring.publish(4);
        assertThat(ring.tryClaim(1)).isEqualTo(NO_ROOM);
        ring.advance(0, 4); // the first stage passing is not enough: b still reads those rows
        assertThat(ring.tryClaim(1)).isEqualTo(NO_ROOM);
        ring.advance(1, 1);
        assertThat(ring.tryClaim(2)).as("one row free, two asked").isEqualTo(NO_ROOM);
        assertThat(ring.tryClaim(1)).isEqualTo(4);
        assertThat(ring.stats().fullAnswers()).isEqualTo(3);
        assertThat(ring.stats().highestOccupancy()).isEqualTo(4);
    }

    @Test
    void gating_isTheSlowestTerminalStage_aRowIsNeverReclaimedBeforeEveryStagePassedIt() {
        // fan-out: parse and audit both run after the producer; emit after parse; gating = min(emit, audit)
        DeltaRing ring = new DeltaRing(new RingOptions().setCapacity(4).addStage("parse").addStage("audit")
            .addStage("emit", "parse"));
        int parse = ring.stage("parse");
        int audit = ring.stage("audit");
        int emit = ring.stage("emit");
        assertThat(ring.isTerminal(audit)).isTrue();
        assertThat(ring.isTerminal(emit)).isTrue();
        ring.tryClaim(4);
        ring.publish(4);
        ring.advance(parse, 4);
        ring.advance(emit, 4);
        assertThat(ring.gating()).as("audit has passed nothing").isZero();
        assertThat(ring.tryClaim(1)).isEqualTo(NO_ROOM);
        ring.advance(audit, 3);
        assertThat(ring.gating()).isEqualTo(3);
        assertThat(ring.tryClaim(3)).isEqualTo(4);
        assertThat(ring.tryClaim(1)).isEqualTo(NO_ROOM);
    }

    @Test
    void wrapAround_overManyLaps_keepsEveryRowsContentAndIndex() {
        DeltaRing ring = new DeltaRing(chain(4, "check", "last"));
        DeltaRing.Row w = ring.row(PRODUCER);
        DeltaRing.Row r = ring.row(0);
        DeltaRing.Row last = ring.row(1);
        for (long seq = 0; seq < 40_000; seq++) {
            long first = ring.tryClaim(1);
            assertThat(first).isEqualTo(seq);
            w.at(seq);
            assertThat(w.index()).isEqualTo((int) (seq & 3));
            assertThat(ring.lap(seq)).isEqualTo(seq >>> 2);
            assertThat(w.subject(7) | w.object(0) | w.length() | w.runCount()).as("claimed rows are zeroed").isZero();
            assertThat(w.isFailed()).isFalse();
            w.set(7, seq, seq + 1, seq + 2).length(8).addRun(seq + 1, 0, 8);
            ring.publish(seq + 1);
            r.at(seq);
            assertThat(r.subject(7)).isEqualTo(seq);
            assertThat(r.runPredicate(0)).isEqualTo(seq + 1);
            if (seq % 3 == 0) {
                r.fail(7);
            }
            ring.advance(0, seq + 1);
            last.at(seq);
            assertThat(last.object(7)).isEqualTo(seq + 2);
            assertThat(last.failedBy()).isEqualTo(seq % 3 == 0 ? 0 : NOT_FAILED);
            // lag the last stage by two rows, so that claims run into the gate on every lap
            if (seq >= 2) {
                ring.advance(1, seq - 1);
            }
        }
        assertThat(ring.stats().failedRows()).isEqualTo(13_334);
    }

    @Test
    void failedRows_carryTheFirstHolderAndReason_toLaterStages_andAreResetByTheNextClaim() {
        AssertionRing ring = new AssertionRing(chain(2, "reflex", "emit"));
        int reflex = ring.stage("reflex");
        int emit = ring.stage("emit");
        ring.tryClaim(2);
        ring.fail(PRODUCER, 1, 65535);
        ring.publish(2);
        ring.fail(reflex, 0, 4);
        ring.fail(reflex, 0, 9);  // a second failure of the same row does not replace the first
        ring.fail(reflex, 1, 5);  // nor does a later stage's
        assertThatThrownBy(() -> ring.fail(emit, 0, 1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("row 0 is not held by stage 'emit' of assertion ring 't': it holds [0, 0)");
        assertThatThrownBy(() -> ring.fail(reflex, 0, 65536)).hasMessage("fail reason must be in [0, 65535]: 65536");
        ring.advance(reflex, 2);

        AssertionRing.Row r = ring.row(emit);
        assertThat(r.at(0).isFailed()).isTrue();
        assertThat(r.failedBy()).isEqualTo(reflex);
        assertThat(r.failReason()).isEqualTo(4);
        assertThat(r.at(1).failedBy()).isEqualTo(PRODUCER);
        assertThat(r.failReason()).isEqualTo(65535);
        assertThat(ring.stats().failedRows()).isEqualTo(2);
        ring.advance(emit, 2);

        assertThat(ring.tryClaim(2)).isEqualTo(2);
        assertThat(ring.isFailed(2)).isFalse();
        assertThat(ring.failedBy(3)).isEqualTo(NOT_FAILED);
        assertThat(ring.failReason(3)).isZero();
    }

    @Test
    void staleSpans_areDetected_duplicatesAfterPassing_oldLapsAfterWrap_andOtherRings() {
        DeltaRing ring = new DeltaRing(chain(4, "load", "emit"));
        int load = ring.stage("load");
        long epoch = ring.epoch();
        ring.tryClaim(3);
        ring.publish(3);
        // a span of rows [0, 2) sent to load
        assertThat(ring.isCurrent(load, 0, 2, epoch)).isTrue();
        assertThat(ring.isCurrent(load, 0, 4, epoch)).as("rows 3.. are not published").isFalse();
        assertThat(ring.isCurrent(ring.stage("emit"), 0, 1, epoch)).as("load has not passed them").isFalse();
        assertThat(ring.isCurrent(load, 0, 0, epoch)).isFalse();
        ring.advance(load, 2);
        assertThat(ring.isCurrent(load, 0, 2, epoch)).as("duplicate of a completed span").isFalse();
        assertThat(ring.isCurrent(load, 2, 1, epoch)).isTrue();

        // wrap: run 10 laps; rows 0 and 1 now hold sequences 40 and 41
        for (long s = 3; s < 42; s++) {
            while (ring.tryClaim(1) == NO_ROOM) {
                ring.advance(load, ring.available(load));
                ring.advance(1, ring.available(1));
            }
            ring.publish(s + 1);
        }
        ring.advance(load, 40);
        assertThat(ring.index(40)).isEqualTo(ring.index(0));
        assertThat(ring.isCurrent(load, 0, 2, epoch)).as("the old span names the same row indices, a past lap").isFalse();
        assertThat(ring.lap(0)).isNotEqualTo(ring.lap(40));
        assertThat(ring.isCurrent(load, 40, 2, epoch)).isTrue();

        DeltaRing rebuilt = new DeltaRing(chain(4, "load", "emit"));
        assertThat(rebuilt.epoch()).isNotEqualTo(epoch);
        assertThat(ring.isCurrent(load, 40, 2, rebuilt.epoch())).as("span of another ring").isFalse();
        assertThat(ring.isCurrent(PRODUCER, 42, 1, epoch)).isFalse();
    }

    @Test
    void wakeUp_firesOncePerArm_fromTheTerminalAdvanceThatFreesTheRoom() {
        AtomicInteger woken = new AtomicInteger();
        DeltaRing ring = new DeltaRing(chain(4, "a", "b"), Thread.currentThread(), woken::incrementAndGet);
        ring.tryClaim(4);
        ring.publish(4);
        assertThat(ring.tryClaimOrArm(2)).isEqualTo(NO_ROOM);
        ring.advance(0, 4);
        assertThat(woken).as("a non-terminal stage frees nothing").hasValue(0);
        ring.advance(1, 1);
        assertThat(woken).as("one row freed, two needed").hasValue(0);
        ring.advance(1, 2);
        assertThat(woken).hasValue(1);
        ring.advance(1, 3);
        assertThat(woken).as("fired once, then disarmed").hasValue(1);
        assertThat(ring.tryClaimOrArm(2)).isEqualTo(4);
        RingStats s = ring.stats();
        assertThat(s.waits()).isEqualTo(1);
        assertThat(s.wakeUps()).isEqualTo(1);
        assertThat(s.fullAnswers()).isEqualTo(1);
    }

    @Test
    void disarm_withdrawsAWait_aClaimWithRoomArmsNothing_andWaitingNeedsAnOnRoom() {
        AtomicInteger woken = new AtomicInteger();
        AssertionRing ring = new AssertionRing(chain(2, "emit"), Thread.currentThread(), woken::incrementAndGet);
        ring.tryClaim(2);
        ring.publish(2);
        assertThat(ring.tryClaimOrArm(1)).isEqualTo(NO_ROOM);
        assertThat(ring.disarm()).isTrue();
        assertThat(ring.disarm()).isFalse();
        ring.advance(0, 2);
        assertThat(woken).as("disarmed: no wake-up").hasValue(0);
        assertThat(ring.tryClaimOrArm(2)).as("room: claims without arming").isEqualTo(2);
        ring.publish(4);
        ring.advance(0, 4);
        assertThat(woken).hasValue(0);
        AssertionRing silent = new AssertionRing(chain(1, "emit"));
        silent.tryClaim(1);
        assertThatThrownBy(() -> silent.tryClaimOrArm(1)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("assertion ring 't' was built without an onRoom Runnable");
    }

    @Test
    void stats_showClaimsCursorsAndOccupancy() {
        DeltaRing ring = new DeltaRing(chain(8, "transform", "load"));
        ring.tryClaim(5);
        ring.publish(4);
        ring.advance(0, 3);
        ring.advance(1, 1);
        RingStats s = ring.stats();
        assertThat(s.name()).isEqualTo("t");
        assertThat(s.capacity()).isEqualTo(8);
        assertThat(s.claimed()).isEqualTo(5);
        assertThat(s.published()).isEqualTo(4);
        assertThat(s.gating()).isEqualTo(1);
        assertThat(s.occupancy()).isEqualTo(4);
        assertThat(s.stageCursors()).containsExactly(java.util.Map.entry("transform", 3L), java.util.Map.entry("load", 1L));
        assertThat(ring.toString()).isEqualTo("delta ring{name=t, capacity=8, claimed=5, published=4, gating=1}");
    }
}
