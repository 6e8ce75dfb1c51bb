package io.github.hotpool.core;

import io.github.hotpool.core.testing.Gen;
import io.github.hotpool.core.testing.PropertyRunner;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

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

    /** The combined fields of three receipts x, y, z (the hashes double as span ids, rotated). */
    record Fields(long t1, long t2, long t3, int l1, int l2, int l3, long h1, long h2, long h3) {
        static Fields draw(Gen g) {
            return new Fields(g.anyLong(), g.anyLong(), g.anyLong(), g.anyInt(), g.anyInt(), g.anyInt(),
                g.anyLong(), g.anyLong(), g.anyLong());
        }
    }

    /**
     * Where max, sum and XOR go wrong if they go wrong at all: signed extremes (max must not
     * compare unsigned, lanes may wrap), in every order of three distinct ones, and all fields equal.
     */
    static List<Fields> edgeFields() {
        long[] longs = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE};
        int[] ints = {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE};
        List<Fields> out = new ArrayList<>();
        for (int i = 0; i < longs.length; i++) {
            out.add(new Fields(longs[i], longs[i], longs[i], ints[i], ints[i], ints[i], longs[i], longs[i], longs[i]));
            for (int j = 0; j < longs.length; j++) {
                for (int k = 0; k < longs.length; k++) {
                    if (i != j && j != k && i != k) {
                        out.add(new Fields(longs[i], longs[j], longs[k], ints[i], ints[j], ints[k],
                            longs[j], longs[k], longs[i]));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void merge_isAssociativeOnEveryCombinedField() {
        PropertyRunner.forAll(Fields::draw).tries(300).edgeCases(edgeFields()).check(f -> {
            pool.resetReceipts();
            Receipt x = pool.receipt().ticks(f.t1()).lanes(f.l1()).aHash(f.h1()).spanId(f.h2());
            Receipt y = pool.receipt().ticks(f.t2()).lanes(f.l2()).aHash(f.h2()).spanId(f.h3());
            Receipt z = pool.receipt().ticks(f.t3()).lanes(f.l3()).aHash(f.h3()).spanId(f.h1());
            // (x ⊕ y) ⊕ z
            Receipt left = pool.receipt().copyFrom(x).mergeFrom(y).mergeFrom(z);
            // x ⊕ (y ⊕ z)
            Receipt yz = pool.receipt().copyFrom(y).mergeFrom(z);
            Receipt right = pool.receipt().copyFrom(x).mergeFrom(yz);
            assertThat(left.ticks()).isEqualTo(right.ticks()).isEqualTo(Math.max(f.t1(), Math.max(f.t2(), f.t3())));
            assertThat(left.lanes()).isEqualTo(right.lanes()).isEqualTo(f.l1() + f.l2() + f.l3());
            assertThat(left.aHash()).isEqualTo(right.aHash()).isEqualTo(f.h1() ^ f.h2() ^ f.h3());
            assertThat(left.spanId()).isEqualTo(right.spanId());
        });
    }
}
