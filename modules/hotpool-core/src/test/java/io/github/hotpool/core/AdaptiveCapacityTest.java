package io.github.hotpool.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Adaptive SoA capacity of {@link BufferPool}: growth and shrink only where the policy says, whole segments. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdaptiveCapacityTest {

    private static final long MS = 1_000_000L;

    private static PoolOptions adaptive(CapacityPolicy policy) {
        return new PoolOptions().setName("adaptive").setSoaBuffers(4).setCapacityPolicy(policy)
            .setMaxSoaBuffers(12).setGrowthStep(4).setIdleMillis(100);
    }

    private static List<SoaBuffer> drainAll(BufferPool pool) {
        List<SoaBuffer> out = new ArrayList<>();
        SoaBuffer b;
        while ((b = pool.tryAcquire(1)) != null) {
            out.add(b);
        }
        return out;
    }

    @Test
    void defaultOptions_areFixed_andNeverChangeCapacity() {
        BufferPool pool = new BufferPool(new PoolOptions().setSoaBuffers(2));
        assertThat(pool.options().isAdaptive()).isFalse();
        assertThat(pool.maxSoaCapacity()).isEqualTo(2);
        drainAll(pool);
        assertThat(pool.tryAcquire(1)).isNull();
        assertThat(pool.maintain(0)).isZero();
        assertThat(pool.grow()).isFalse();
        assertThat(pool.shrink()).isFalse();
        assertThat(pool.soaCapacity()).isEqualTo(2);
        assertThat(pool.stats().grows()).isZero();
        assertThat(pool.soaBytesReserved()).isEqualTo(2L * SoaLayout.BUFFER_LENGTH);
    }

    @Test
    void acquireNeverGrows_maintainGrowsOneSegmentAfterExhaustion() {
        BufferPool pool = new BufferPool(adaptive(CapacityPolicy.GROW_ON_EXHAUSTION));
        List<SoaBuffer> held = drainAll(pool);
        assertThat(held).hasSize(4);
        assertThat(pool.tryAcquire(1)).as("acquire does not grow").isNull();
        assertThatThrownBy(() -> pool.acquire(1)).isInstanceOf(PoolExhaustedException.class)
            .hasMessageContaining("all 4 SoA buffers of pool 'adaptive' in use")
            .hasMessageContaining("adaptive up to 12");
        assertThat(pool.soaCapacity()).isEqualTo(4);
        assertThat(pool.maintain(0)).isEqualTo(1);
        assertThat(pool.soaCapacity()).isEqualTo(8);
        assertThat(pool.maintain(1 * MS)).as("no exhaustion since the last step").isZero();
        held.addAll(drainAll(pool));
        assertThat(held).extracting(SoaBuffer::slot).doesNotHaveDuplicates().hasSize(8);
        assertThat(pool.stats().grows()).isEqualTo(1);
        assertThat(pool.stats().soaBytesReserved()).isEqualTo(8L * SoaLayout.BUFFER_LENGTH);
    }

    @Test
    void grownBuffers_areAlignedZeroedAndBelowTheHotOnes() {
        BufferPool pool = new BufferPool(adaptive(CapacityPolicy.GROW_ON_EXHAUSTION));
        SoaBuffer hot = pool.acquire(8);
        hot.set(7, 1, 2, 3);
        int hotSlot = hot.slot();
        hot.close();
        assertThat(pool.grow()).isTrue();
        assertThat(pool.acquire(1).slot()).as("the hottest free buffer first, even after growth").isEqualTo(hotSlot);
        List<SoaBuffer> rest = drainAll(pool);
        assertThat(rest).hasSize(7);
        // the base segment's free buffers, then the grown ones lowest first
        assertThat(rest).extracting(SoaBuffer::slot).containsExactly(1, 2, 3, 4, 5, 6, 7);
        for (SoaBuffer b : rest.subList(3, 7)) {
            assertThat(b.slab()).isNotSameAs(pool.soaSlab());
            assertThat(b.slab().alignmentOffset(b.base(), 64)).isZero();
            assertThat(b.subject(0) | b.predicate(0) | b.object(0)).isZero();
        }
        assertThat(pool.segmentTouchedBy(1)).isSameAs(Thread.currentThread());
    }

    @Test
    void highWaterPolicy_growsBeforeTheFirstFailure() {
        BufferPool pool = new BufferPool(adaptive(CapacityPolicy.GROW_ON_HIGH_WATER).setGrowAtPercent(75));
        SoaBuffer a = pool.acquire(1);
        SoaBuffer b = pool.acquire(1);
        assertThat(pool.maintain(0)).as("2 of 4 is below 75 %").isZero();
        SoaBuffer c = pool.acquire(1);
        assertThat(pool.exhaustedCount()).isZero();
        assertThat(pool.maintain(1 * MS)).as("3 of 4 reaches 75 %").isEqualTo(1);
        assertThat(pool.soaCapacity()).isEqualTo(8);
        a.close();
        b.close();
        c.close();
    }

    @Test
    void shrink_waitsForAFullIdlePeriod_andRetiresOneSegmentAtATime() {
        BufferPool pool = new BufferPool(adaptive(CapacityPolicy.GROW_ON_EXHAUSTION));
        assertThat(pool.grow()).isTrue();
        assertThat(pool.grow()).isTrue();
        assertThat(pool.soaCapacity()).isEqualTo(12);
        assertThat(pool.maintain(0)).isZero(); // starts the quiet period
        assertThat(pool.maintain(99 * MS)).as("not idle long enough").isZero();
        assertThat(pool.maintain(100 * MS)).isEqualTo(-1);
        assertThat(pool.soaCapacity()).isEqualTo(8);
        assertThat(pool.maintain(150 * MS)).as("the next segment waits a period of its own").isZero();
        assertThat(pool.maintain(200 * MS)).isEqualTo(-1);
        assertThat(pool.maintain(1000 * MS)).as("the base segment stays").isZero();
        assertThat(pool.soaCapacity()).isEqualTo(4);
        assertThat(pool.soaBytesReserved()).isEqualTo(4L * SoaLayout.BUFFER_LENGTH);
        assertThat(pool.stats().shrinks()).isEqualTo(2);
    }

    @Test
    void busyWindow_restartsTheIdlePeriod() {
        BufferPool pool = new BufferPool(adaptive(CapacityPolicy.GROW_ON_EXHAUSTION));
        assertThat(pool.grow()).isTrue();
        pool.maintain(0);
        List<SoaBuffer> burst = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            burst.add(pool.acquire(1)); // 8 in use: more than capacity - one segment, no exhaustion
        }
        burst.forEach(SoaBuffer::close);
        assertThat(pool.maintain(90 * MS)).isZero();
        assertThat(pool.maintain(180 * MS)).as("only 90 ms quiet since the burst").isZero();
        assertThat(pool.maintain(190 * MS)).isEqualTo(-1);
    }

    @Test
    void segmentWithALeasedBuffer_isNotRetired_untilItComesBack() {
        BufferPool pool = new BufferPool(adaptive(CapacityPolicy.GROW_ON_EXHAUSTION));
        List<SoaBuffer> base = drainAll(pool);
        assertThat(pool.grow()).isTrue();
        SoaBuffer grown = pool.acquire(1);
        assertThat(grown.slot()).isEqualTo(4);
        base.forEach(SoaBuffer::close);
        assertThat(pool.shrink()).isFalse();
        assertThat(pool.soaCapacity()).isEqualTo(8);
        grown.close();
        assertThat(pool.shrink()).isTrue();
        assertThat(pool.soaCapacity()).isEqualTo(4);
    }

    @Test
    void segmentReleasedFromAnotherThread_isRetiredOnlyOnceDrained_andNeverHandedOutAfter() throws Exception {
        BufferPool pool = new BufferPool(adaptive(CapacityPolicy.GROW_ON_EXHAUSTION));
        List<SoaBuffer> base = drainAll(pool);
        assertThat(pool.grow()).isTrue();
        List<SoaBuffer> grown = drainAll(pool);
        assertThat(grown).hasSize(4);
        CompletableFuture.runAsync(() -> grown.forEach(SoaBuffer::close)).get(10, TimeUnit.SECONDS);
        assertThat(pool.shrink()).as("remote returns are drained first").isTrue();
        base.forEach(SoaBuffer::close);
        assertThat(drainAll(pool)).extracting(SoaBuffer::slot).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void handlesOfARetiredSegment_failOnReleaseAndUse_andARegrownSlotContinuesItsGenerations() {
        BufferPool pool = new BufferPool(adaptive(CapacityPolicy.GROW_ON_EXHAUSTION));
        List<SoaBuffer> base = drainAll(pool);
        assertThat(pool.grow()).isTrue();
        SoaBuffer old = pool.acquire(1);
        int oldGeneration = old.generation();
        old.close();
        assertThat(pool.shrink()).isTrue();
        assertThatThrownBy(old::close).isInstanceOf(StaleHandleException.class)
            .hasMessageContaining("retired segment");
        assertThatThrownBy(() -> old.subject(0)).isInstanceOf(StaleHandleException.class);
        assertThat(pool.grow()).isTrue();
        SoaBuffer again = pool.acquire(1);
        assertThat(again.slot()).isEqualTo(old.slot());
        assertThat(again).as("the handle object is kept for the regrowth").isSameAs(old);
        assertThat(again.slab()).as("over the new slab").isNotNull();
        assertThat(again.subject(0)).isZero();
        assertThat(again.generation()).isEqualTo(oldGeneration + 1);
        assertThatThrownBy(() -> pool.release(old, oldGeneration)).isInstanceOf(StaleHandleException.class);
        assertThat(pool.isLeased(again, again.generation())).isTrue();
        again.close();
        base.forEach(SoaBuffer::close);
        assertThat(pool.soaInUse()).isZero();
    }

    @Test
    void retiredSegmentSlab_becomesUnreachable() throws InterruptedException {
        BufferPool pool = new BufferPool(adaptive(CapacityPolicy.GROW_ON_EXHAUSTION));
        assertThat(pool.grow()).isTrue();
        List<SoaBuffer> all = drainAll(pool);
        SoaBuffer grown = all.stream().filter(b -> b.slot() >= 4).findFirst().orElseThrow();
        WeakReference<ByteBuffer> slab = new WeakReference<>(grown.slab());
        assertThat(slab.get()).isNotSameAs(pool.soaSlab());
        grown = null;
        all.forEach(SoaBuffer::close);
        all.clear();
        assertThat(pool.shrink()).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (slab.get() != null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the retired segment's slab is still reachable after 20 s of collections");
            }
            System.gc();
            Thread.sleep(10);
        }
    }

    @Test
    void capacityChanges_areOwnerThreadOnly() throws Exception {
        BufferPool pool = new BufferPool(adaptive(CapacityPolicy.GROW_ON_EXHAUSTION));
        for (Runnable call : List.<Runnable>of(() -> pool.maintain(0), pool::grow, pool::shrink)) {
            Throwable thrown = CompletableFuture.supplyAsync(() -> {
                try {
                    call.run();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            }).get(10, TimeUnit.SECONDS);
            assertThat(thrown).isInstanceOf(WrongThreadException.class).hasMessageContaining("is owned by thread");
        }
        assertThat(pool.soaCapacity()).isEqualTo(4);
    }

    @Test
    void closedPool_neitherGrowsNorMaintains() {
        BufferPool pool = new BufferPool(adaptive(CapacityPolicy.GROW_ON_EXHAUSTION));
        drainAll(pool);
        pool.close();
        assertThat(pool.maintain(0)).isZero();
        assertThat(pool.grow()).isFalse();
        assertThat(pool.soaCapacity()).isEqualTo(4);
    }

    @Test
    void badAdaptiveOptions_nameTheFieldAndTheLimit() {
        assertThatThrownBy(() -> new BufferPool(adaptive(CapacityPolicy.GROW_ON_EXHAUSTION).setMaxSoaBuffers(2)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("maxSoaBuffers must be in [soaBuffers 4, " + PoolOptions.MAX_SOA_BUFFERS + "] (or 0): maxSoaBuffers=2");
        assertThatThrownBy(() -> new BufferPool(adaptive(CapacityPolicy.GROW_ON_EXHAUSTION).setGrowthStep(3)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("maxSoaBuffers - soaBuffers must be a multiple of growthStep 3: maxSoaBuffers=12, soaBuffers=4");
        assertThatThrownBy(() -> new BufferPool(adaptive(CapacityPolicy.GROW_ON_EXHAUSTION).setIdleMillis(0)))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("idleMillis must be at least 1: idleMillis=0");
        assertThatThrownBy(() -> new BufferPool(adaptive(CapacityPolicy.GROW_ON_HIGH_WATER).setGrowAtPercent(101)))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("growAtPercent must be in [1, 100]: growAtPercent=101");
        assertThatThrownBy(() -> new BufferPool(new PoolOptions().setCapacityPolicy(null)))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("capacityPolicy must not be null");
        // a fixed pool ignores the adaptive fields
        assertThat(new BufferPool(new PoolOptions().setMaxSoaBuffers(2).setGrowthStep(3)).maxSoaCapacity()).isEqualTo(16);
    }

    @Test
    void runTable_refusesABufferOfAGrownSegment() {
        BufferPool pool = new BufferPool(adaptive(CapacityPolicy.GROW_ON_EXHAUSTION));
        List<SoaBuffer> base = drainAll(pool);
        assertThat(pool.grow()).isTrue();
        SoaBuffer grown = pool.acquire(1).length(1).addRun(5, 0, 1);
        assertThatThrownBy(() -> new RunTable(4).addRunsOf(grown)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("grown segment");
        new RunTable(4).addRunsOf(base.get(0).length(1).addRun(5, 0, 1));
    }
}
