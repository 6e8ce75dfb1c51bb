package io.github.hotpool.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The integration hooks: release listener, attachment, and the cross-thread lease query. */
class PoolHooksTest {

    private final BufferPool pool = new BufferPool(new PoolOptions().setName("hooks").setSoaBuffers(4));

    @Test
    void releaseListener_hearsOwnerAndRemoteReleasesAfterTheSlotIsFree() throws Exception {
        List<String> heard = new ArrayList<>();
        pool.releaseListener((p, onOwner) -> {
            synchronized (heard) {
                heard.add((onOwner ? "owner" : "remote") + ":" + p.soaInUse());
            }
        });
        SoaBuffer a = pool.acquire(8);
        SoaBuffer b = pool.acquire(8);
        a.close();
        CompletableFuture.runAsync(b::close).get();
        assertThat(heard).containsExactly("owner:1", "remote:0");
        pool.releaseListener(null);
        pool.acquire(8).close();
        assertThat(heard).hasSize(2);
    }

    @Test
    void failedRelease_isNotHeard() {
        List<Boolean> heard = new ArrayList<>();
        pool.releaseListener((p, onOwner) -> heard.add(onOwner));
        SoaBuffer a = pool.acquire(8);
        a.close();
        assertThatThrownBy(a::close).isInstanceOf(DoubleReleaseException.class);
        assertThat(heard).containsExactly(true);
    }

    @Test
    void isLeased_tracksOneLeaseExactlyFromAnyThread() throws Exception {
        BufferPool single = new BufferPool(new PoolOptions().setSoaBuffers(1));
        SoaBuffer a = single.acquire(8);
        int lease = a.generation();
        assertThat(CompletableFuture.supplyAsync(() -> single.isLeased(a, lease)).get()).isTrue();
        CompletableFuture.runAsync(a::close).get();
        assertThat(single.isLeased(a, lease)).isFalse();
        SoaBuffer again = single.acquire(8);
        assertThat(again).isSameAs(a);
        assertThat(single.isLeased(a, lease)).as("an old lease stays ended").isFalse();
        assertThat(single.isLeased(a, again.generation())).isTrue();
        BufferPool other = new BufferPool(new PoolOptions());
        assertThatThrownBy(() -> other.isLeased(a, lease)).isInstanceOf(ForeignReleaseException.class);
    }

    @Test
    void attachment_isFoundFromAnyBuffer() {
        Object state = new Object();
        pool.attachment(state);
        assertThat(pool.acquire(1).pool().attachment()).isSameAs(state);
        pool.attachment(null);
        assertThat(pool.attachment()).isNull();
    }
}
