package io.github.hotpool.core;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Receipt merge (⊕): keep left ids, max ticks, sum lanes, XOR span ids and hashes. */
class ReceiptMergeTest {

    private final BufferPool pool = new BufferPool(new PoolOptions().setReceipts(8).setReceiptsPerBuffer(0));

    @Test
    void merge_keepsLeftIdsAndCombinesTheRest() {
        Receipt a = pool.receipt().cycleId(1).shardId(2).hookId(3).ticks(5).actualTicks(9).lanes(3)
            .spanId(0xF0L).aHash(0xAAAAL).result(1);
        Receipt b = pool.receipt().cycleId(100).shardId(200).hookId(300).ticks(7).actualTicks(2).lanes(4)
            .spanId(0x0FL).aHash(0x5555L).result(0);
        a.mergeFrom(b);
        assertThat(a.cycleId()).isEqualTo(1);
        assertThat(a.shardId()).isEqualTo(2);
        assertThat(a.hookId()).isEqualTo(3);
        assertThat(a.result()).isEqualTo(1);
        assertThat(a.ticks()).isEqualTo(7);
        assertThat(a.actualTicks()).isEqualTo(9);
        assertThat(a.lanes()).isEqualTo(7);
        assertThat(a.spanId()).isEqualTo(0xFFL);
        assertThat(a.aHash()).isEqualTo(0xFFFFL);
        assertThat(b.lanes()).isEqualTo(4);
    }

    @Property(tries = 300)
    void merge_isAssociativeOnEveryCombinedField(@ForAll long t1, @ForAll long t2, @ForAll long t3,
                                                  @ForAll int l1, @ForAll int l2, @ForAll int l3,
                                                  @ForAll long h1, @ForAll long h2, @ForAll long h3) {
        pool.resetReceipts();
        Receipt x = pool.receipt().ticks(t1).lanes(l1).aHash(h1).spanId(h2);
        Receipt y = pool.receipt().ticks(t2).lanes(l2).aHash(h2).spanId(h3);
        Receipt z = pool.receipt().ticks(t3).lanes(l3).aHash(h3).spanId(h1);
        // (x ⊕ y) ⊕ z
        Receipt left = pool.receipt().copyFrom(x).mergeFrom(y).mergeFrom(z);
        // x ⊕ (y ⊕ z)
        Receipt yz = pool.receipt().copyFrom(y).mergeFrom(z);
        Receipt right = pool.receipt().copyFrom(x).mergeFrom(yz);
        assertThat(left.ticks()).isEqualTo(right.ticks()).isEqualTo(Math.max(t1, Math.max(t2, t3)));
        assertThat(left.lanes()).isEqualTo(right.lanes()).isEqualTo(l1 + l2 + l3);
        assertThat(left.aHash()).isEqualTo(right.aHash()).isEqualTo(h1 ^ h2 ^ h3);
        assertThat(left.spanId()).isEqualTo(right.spanId());
    }
}
