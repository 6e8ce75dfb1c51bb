package io.github.hotpool.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The original design's nine behaviours, plus the lease and capacity rules around them. */
class BufferPoolTest {

    private final BufferPool pool = new BufferPool(new PoolOptions().setName("test"));

    @Test
    void creation_hasOriginalDefaultsAndNothingInUse() {
        CapacityUsage usage = pool.capacityUsage();
        assertThat(usage.soaBuffersTotal()).isEqualTo(16);
        assertThat(usage.receiptsTotal()).isEqualTo(1024);
        assertThat(usage.soaBuffersInUse()).isZero();
        assertThat(usage.receiptsInUse()).isZero();
        assertThat(pool.options().getReceiptsPerBuffer()).isEqualTo(PoolOptions.DEFAULT_RECEIPTS_PER_BUFFER);
        assertThat(pool.isOwnerThread()).isTrue();
    }

    @Test
    void setRow_writesEveryLaneAtOnce_andRefusesTriplesAboveTheCapacity() {
        long[] lanes = new long[24];
        for (int j = 0; j < 3; j++) {
            lanes[j] = 1 + j;
            lanes[8 + j] = 10 + j;
            lanes[16 + j] = 20 + j;
        }
        SoaBuffer b = pool.acquire(3);
        assertThat(b.setRow(lanes)).isSameAs(b);
        for (int j = 0; j < 3; j++) {
            assertThat(new long[] {b.subject(j), b.predicate(j), b.object(j)}).containsExactly(1 + j, 10 + j, 20 + j);
        }
        lanes[16 + 3] = 5; // lane 3 is above capacity 3
        assertThatThrownBy(() -> b.setRow(lanes)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("lane 3 is at or above the capacity 3");
        pool.release(b);
        assertThatThrownBy(() -> b.setRow(new long[24])).isInstanceOf(StaleHandleException.class);
    }

    @Test
    void acquire_returnsZeroedBufferOfRequestedCapacity() {
        SoaBuffer b = pool.acquire(8);
        assertThat(b.capacity()).isEqualTo(8);
        assertThat(b.length()).isZero();
        assertThat(b.runCount()).isZero();
        for (int lane = 0; lane < 8; lane++) {
            assertThat(b.subject(lane)).isZero();
            assertThat(b.predicate(lane)).isZero();
            assertThat(b.object(lane)).isZero();
        }
        assertThat(pool.soaInUse()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 9, 64, Integer.MAX_VALUE})
    void acquire_invalidSize_namesSizeAndLimitAndChangesNothing(int size) {
        assertThatThrownBy(() -> pool.acquire(size))
            .isInstanceOf(InvalidSizeException.class)
            .hasMessageContaining("SoA buffer size " + size)
            .hasMessageContaining(size > 8 ? "exceeds MAX_RUN_LEN 8" : "below 1");
        assertThat(pool.soaInUse()).isZero();
        assertThat(pool.acquiredCount()).isZero();
    }

    @Test
    void release_returnsBufferToPool() {
        SoaBuffer b = pool.acquire(4);
        pool.release(b);
        assertThat(pool.soaInUse()).isZero();
        assertThat(pool.releasedCount()).isEqualTo(1);
        assertThat(b.isReleased()).isTrue();
    }

    @Test
    void acquireAfterRelease_reusesHottestBufferCleared() {
        SoaBuffer first = pool.acquire(8);
        SoaBuffer second = pool.acquire(8);
        second.set(3, 11, 22, 33).length(4).addRun(22, 0, 4);
        pool.release(first);
        pool.release(second);
        SoaBuffer again = pool.acquire(2);
        assertThat(again).isSameAs(second);
        assertThat(again.generation()).isNotEqualTo(-1);
        assertThat(again.length()).isZero();
        assertThat(again.runCount()).isZero();
        assertThat(again.capacity()).isEqualTo(2);
        assertThat(pool.soaSlab().getLong(again.base() + SoaLayout.S_OFFSET + 3 * 8)).isZero();
        assertThat(pool.soaSlab().getLong(again.base() + SoaLayout.O_OFFSET + 3 * 8)).isZero();
        assertThat(pool.acquire(8)).isSameAs(first);
    }

    @Test
    void exhaustion_failsWithCapacityAndRecoversAfterRelease() {
        List<SoaBuffer> all = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            all.add(pool.acquire(8));
        }
        assertThatThrownBy(() -> pool.acquire(8))
            .isInstanceOf(PoolExhaustedException.class)
            .hasMessage("all 16 SoA buffers of pool 'test' in use");
        assertThat(pool.tryAcquire(8)).isNull();
        assertThat(pool.exhaustedCount()).isEqualTo(2);
        assertThat(pool.capacityUsage().soaBuffersTotal()).isEqualTo(16);
        all.get(5).close();
        assertThat(pool.acquire(1)).isSameAs(all.get(5));
    }

    @Test
    void receipt_isZeroedAndCounted() {
        Receipt r = pool.receipt();
        assertThat(r.cycleId()).isZero();
        assertThat(r.aHash()).isZero();
        r.cycleId(7).hookId(3).lanes(8).aHash(0xDEADL);
        assertThat(r.cycleId()).isEqualTo(7);
        assertThat(r.hookId()).isEqualTo(3);
        assertThat(pool.receiptsInUse()).isEqualTo(1);
    }

    @Test
    void resetReceipts_takesBackRunScopedButNotHeld() {
        Receipt run1 = pool.receipt().aHash(1);
        pool.receipt().aHash(2);
        Receipt held = pool.acquireReceipt().aHash(42);
        pool.resetReceipts();
        assertThat(pool.receiptsInUse()).isEqualTo(1);
        assertThat(held.aHash()).isEqualTo(42);
        assertThat(run1.isReleased()).isTrue();
        // fresh receipts after the reset do not clobber the held one
        for (int i = 0; i < 100; i++) {
            pool.receipt().aHash(-1);
        }
        assertThat(held.aHash()).isEqualTo(42);
        held.close();
        pool.resetReceipts();
        assertThat(pool.receiptsInUse()).isZero();
    }

    @Test
    void clear_zeroesFreeStateButKeepsOutstandingLeasesValid() {
        SoaBuffer kept = pool.acquire(8);
        kept.set(0, 1, 2, 3).length(1);
        SoaBuffer dropped = pool.acquire(8);
        dropped.set(0, 9, 9, 9);
        dropped.close();
        Receipt held = pool.acquireReceipt().aHash(5);
        pool.receipt();
        pool.clear();
        assertThat(pool.soaInUse()).isEqualTo(1);
        assertThat(pool.receiptsInUse()).isEqualTo(1);
        assertThat(pool.soaSlab().getLong(dropped.base())).isZero();
        assertThat(kept.subject(0)).isEqualTo(1);
        assertThat(held.aHash()).isEqualTo(5);
        assertThat(pool.highWaterMark()).isEqualTo(1);
        // the outstanding lease is never handed out again while held
        for (int i = 0; i < 15; i++) {
            assertThat(pool.acquire(8)).isNotSameAs(kept);
        }
        assertThat(pool.tryAcquire(8)).isNull();
        kept.close();
        held.close();
        assertThat(pool.receiptsInUse()).isZero();
    }

    @Test
    void attachedReceipts_goBackWithTheirBuffer() {
        SoaBuffer b = pool.acquire(8);
        Receipt r1 = pool.acquireReceipt();
        Receipt r2 = pool.acquireReceipt();
        b.attach(r1).attach(r2);
        assertThat(b.receiptCount()).isEqualTo(2);
        assertThat(b.receipt(1)).isSameAs(r2);
        assertThatThrownBy(r1::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("attached");
        b.close();
        assertThat(pool.receiptsInUse()).isZero();
        assertThat(r1.isReleased()).isTrue();
    }

    @Test
    void attach_refusesRunScopedAndOverfullAndForeign() {
        BufferPool small = new BufferPool(new PoolOptions().setName("small").setReceipts(4).setReceiptsPerBuffer(1));
        SoaBuffer b = small.acquire(8);
        assertThatThrownBy(() -> b.attach(small.receipt())).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("run-scoped");
        b.attach(small.acquireReceipt());
        Receipt extra = small.acquireReceipt();
        assertThatThrownBy(() -> b.attach(extra)).isInstanceOf(PoolException.class)
            .hasMessageContaining("receiptsPerBuffer 1");
        assertThatThrownBy(() -> b.attach(pool.acquireReceipt())).isInstanceOf(ForeignReleaseException.class);
    }

    @Test
    void receiptExhaustion_namesCapacity() {
        BufferPool small = new BufferPool(new PoolOptions().setName("tiny").setReceipts(2).setReceiptsPerBuffer(2));
        small.receipt();
        small.acquireReceipt();
        assertThatThrownBy(small::receipt).isInstanceOf(PoolExhaustedException.class)
            .hasMessage("all 2 receipts of pool 'tiny' in use");
        assertThat(small.tryAcquireReceipt()).isNull();
        small.resetReceipts();
        assertThat(small.tryAcquireReceipt()).isNotNull();
    }

    @Test
    void stats_countHitsAndHighWater() {
        SoaBuffer a = pool.acquire(8);
        SoaBuffer b = pool.acquire(8);
        a.close();
        b.close();
        pool.acquire(8).close();
        PoolStats stats = pool.stats();
        assertThat(stats.acquired()).isEqualTo(3);
        assertThat(stats.released()).isEqualTo(3);
        assertThat(stats.highWaterMark()).isEqualTo(2);
        assertThat(stats.hits()).isEqualTo(3);
        assertThat(stats.hitRate()).isEqualTo(1.0);
        assertThat(stats.inUse()).isZero();
        assertThat(stats.allocatingCalls()).isZero();
    }

    @Test
    void close_reportsOutstandingAndLaterReleasesAreHarmless() {
        SoaBuffer out = pool.acquire(8);
        pool.acquire(8).close();
        assertThat(pool.close()).isEqualTo(1);
        assertThat(pool.isClosed()).isTrue();
        assertThatThrownBy(() -> pool.acquire(1)).isInstanceOf(PoolClosedException.class)
            .hasMessageContaining("pool 'test' is closed");
        out.close();
        assertThat(pool.soaInUse()).isZero();
        assertThat(pool.close()).isZero();
    }

    @Test
    void lanesOutsideCapacity_areRejected() {
        SoaBuffer b = pool.acquire(3);
        assertThatThrownBy(() -> b.setSubject(3, 1)).isInstanceOf(IndexOutOfBoundsException.class)
            .hasMessageContaining("lane 3 outside [0, capacity 3)");
        assertThatThrownBy(() -> b.length(4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> b.addRun(1, 2, 2)).isInstanceOf(IndexOutOfBoundsException.class)
            .hasMessageContaining("run [2, 4)");
        assertThatThrownBy(() -> b.runPredicate(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void runs_roundTrip() {
        SoaBuffer b = pool.acquire(8);
        b.addRun(100, 0, 2).addRun(200, 2, 1);
        assertThat(b.runCount()).isEqualTo(2);
        assertThat(b.runPredicate(1)).isEqualTo(200);
        assertThat(b.runOffset(1)).isEqualTo(2);
        assertThat(b.runLength(0)).isEqualTo(2);
        b.clearRuns();
        assertThat(b.runCount()).isZero();
    }
}
