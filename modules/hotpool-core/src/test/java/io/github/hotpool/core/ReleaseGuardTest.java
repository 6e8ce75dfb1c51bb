package io.github.hotpool.core;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Double release, foreign release, stale handles and wrong threads: detected, and the pool unchanged. */
class ReleaseGuardTest {

    private final BufferPool pool = new BufferPool(new PoolOptions().setName("guarded").setSoaBuffers(4));
    private final BufferPool other = new BufferPool(new PoolOptions().setName("other").setSoaBuffers(4));

    @Test
    void doubleRelease_isDetectedAndLeavesPoolUnchanged() {
        SoaBuffer b = pool.acquire(8);
        SoaBuffer keep = pool.acquire(8);
        b.close();
        PoolStats before = pool.stats();
        assertThatThrownBy(b::close).isInstanceOf(DoubleReleaseException.class)
            .hasMessageContaining("SoA buffer " + b.slot() + " of pool 'guarded' released twice");
        assertThat(pool.stats()).isEqualTo(before);
        // the slot is on the free stack exactly once
        assertThat(pool.acquire(8)).isSameAs(b);
        assertThat(pool.acquire(8)).isNotSameAs(b).isNotSameAs(keep);
    }

    @Test
    void foreignRelease_isDetectedAndLeavesBothPoolsUnchanged() {
        SoaBuffer b = pool.acquire(8);
        assertThatThrownBy(() -> other.release(b)).isInstanceOf(ForeignReleaseException.class)
            .hasMessageContaining("of pool 'guarded' released into pool 'other'");
        assertThat(pool.soaInUse()).isEqualTo(1);
        assertThat(other.soaInUse()).isZero();
        assertThat(other.releasedCount()).isZero();
        assertThat(b.isReleased()).isFalse();
    }

    @Test
    void staleGeneration_cannotEndALaterLease() {
        SoaBuffer b = pool.acquire(8);
        int firstLease = b.generation();
        b.close();
        SoaBuffer again = pool.acquire(8);
        assertThat(again).isSameAs(b);
        assertThatThrownBy(() -> pool.release(b, firstLease)).isInstanceOf(StaleHandleException.class)
            .hasMessageContaining("stale generation " + firstLease)
            .hasMessageContaining("leased now as generation " + again.generation());
        assertThat(again.isReleased()).isFalse();
        assertThat(pool.soaInUse()).isEqualTo(1);
        assertThatThrownBy(() -> b.checkGeneration(firstLease)).isInstanceOf(StaleHandleException.class);
        b.checkGeneration(again.generation());
    }

    @Test
    void generationWithBit31Set_isStaleAndCannotAliasTheLiveLease() {
        SoaBuffer b = pool.acquire(8);
        int forged = b.generation() | 0x8000_0000;
        assertThatThrownBy(() -> pool.release(b, forged)).isInstanceOf(StaleHandleException.class);
        assertThat(b.isReleased()).isFalse();
        assertThat(pool.soaInUse()).isEqualTo(1);
    }

    @Test
    void releaseOfRememberedGeneration_afterItsOwnRelease_isDouble() {
        SoaBuffer b = pool.acquire(8);
        int lease = b.generation();
        pool.release(b, lease);
        assertThatThrownBy(() -> pool.release(b, lease)).isInstanceOf(DoubleReleaseException.class);
    }

    @Test
    void useAfterRelease_isDetected() {
        SoaBuffer b = pool.acquire(8);
        Receipt r = pool.acquireReceipt();
        b.close();
        r.close();
        assertThatThrownBy(() -> b.subject(0)).isInstanceOf(StaleHandleException.class).hasMessageContaining("used after release");
        assertThatThrownBy(() -> b.setObject(0, 1)).isInstanceOf(StaleHandleException.class);
        assertThatThrownBy(() -> b.addRun(1, 0, 1)).isInstanceOf(StaleHandleException.class);
        assertThatThrownBy(r::aHash).isInstanceOf(StaleHandleException.class);
        assertThatThrownBy(() -> b.checkGeneration(b.generation())).isInstanceOf(StaleHandleException.class)
            .hasMessageContaining("(released)");
    }

    @Test
    void receiptDoubleCloseAndRunScopedClose_areRefused() {
        Receipt held = pool.acquireReceipt();
        held.close();
        assertThatThrownBy(held::close).isInstanceOf(DoubleReleaseException.class);
        Receipt run = pool.receipt();
        assertThatThrownBy(run::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("run-scoped");
        assertThat(pool.receiptsInUse()).isEqualTo(1);
    }

    /**
     * A holder that outlived its lease releases with the generation it remembered: the receipt's
     * later lease (same handle, handed out again) is untouched and the late release is reported
     * as stale, where close() would have ended the later lease silently.
     */
    @Test
    void receiptReleasedWithARememberedGeneration_neverEndsALaterLease() {
        Receipt r = pool.acquireReceipt();
        int first = r.generation();
        r.release(first);
        Receipt again = pool.acquireReceipt();
        assertThat(again).isSameAs(r);
        assertThat(again.generation()).isEqualTo(first + 1);
        assertThatThrownBy(() -> r.release(first)).isInstanceOf(StaleHandleException.class)
            .hasMessageContaining("stale generation " + first + " (leased now as generation " + (first + 1) + ")");
        assertThat(again.isHeld()).isTrue();
        assertThat(pool.receiptsInUse()).isEqualTo(1);
        again.release(first + 1);
        assertThatThrownBy(() -> again.release(first + 1)).isInstanceOf(DoubleReleaseException.class);
        assertThat(pool.receiptsInUse()).isZero();
    }

    @Test
    void acquireOffTheOwnerThread_isRefused() throws Exception {
        CompletableFuture<Object> f = CompletableFuture.supplyAsync(() -> pool.acquire(8));
        assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(WrongThreadException.class).hasMessageContaining("owned by thread '" + Thread.currentThread().getName() + "'");
        assertThat(pool.soaInUse()).isZero();
    }

    @Test
    void releaseOffTheOwnerThread_comesHomeThroughTheRing() throws Exception {
        SoaBuffer a = pool.acquire(8);
        Receipt r = pool.acquireReceipt();
        a.attach(r);
        CompletableFuture.runAsync(a::close).get();
        assertThat(pool.soaInUse()).isZero();
        assertThat(pool.receiptsInUse()).isZero();
        assertThat(pool.remoteReleaseCount()).isEqualTo(1);
        // the remote return is drained once the local stack runs dry
        for (int i = 0; i < 4; i++) {
            pool.acquire(8);
        }
        assertThat(pool.stats().hits()).isEqualTo(4);
        assertThat(pool.soaInUse()).isEqualTo(4);
    }
}
