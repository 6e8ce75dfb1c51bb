package io.github.hotpool.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.github.hotpool.core.testing.PropertyRunner;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every buffer lane and every receipt line starts on a 64-byte boundary, and the descriptors add up. */
class LayoutTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 16, 100})
    void everyBufferAndLane_is64ByteAligned(int buffers) {
        BufferPool pool = new BufferPool(new PoolOptions().setSoaBuffers(buffers).setReceipts(37).setReceiptsPerBuffer(1));
        for (int slot = 0; slot < buffers; slot++) {
            SoaBuffer b = pool.acquire(8);
            assertThat(b.slab().alignmentOffset(b.base(), 64)).isZero();
            assertThat(b.slab().alignmentOffset(b.base() + SoaLayout.P_OFFSET, 64)).isZero();
            assertThat(b.slab().alignmentOffset(b.base() + SoaLayout.O_OFFSET, 64)).isZero();
        }
        for (int i = 0; i < 37; i++) {
            Receipt r = pool.acquireReceipt();
            assertThat(r.slab().alignmentOffset(r.base(), 64)).isZero();
        }
        assertThat(pool.soaSlab().capacity()).isGreaterThanOrEqualTo(buffers * SoaLayout.BUFFER_LENGTH);
        assertThat(pool.receiptSlab().capacity()).isGreaterThanOrEqualTo(37 * ReceiptLayout.RECEIPT_LENGTH);
    }

    @Test
    void descriptors_matchTheDesign() {
        assertThat(SoaLayout.BUFFER_LENGTH).isEqualTo(192);
        assertThat(SoaLayout.P_OFFSET - SoaLayout.S_OFFSET).isEqualTo(SoaLayout.CACHE_LINE_LENGTH);
        assertThat(SoaLayout.O_OFFSET - SoaLayout.P_OFFSET).isEqualTo(SoaLayout.CACHE_LINE_LENGTH);
        assertThat(ReceiptLayout.RECEIPT_LENGTH).isEqualTo(64);
        assertThat(ReceiptLayout.RESULT_OFFSET + Long.BYTES).isEqualTo(ReceiptLayout.RECEIPT_LENGTH);
    }

    @Test
    void receiptFields_doNotOverlap() {
        BufferPool pool = new BufferPool(new PoolOptions().setReceipts(1).setReceiptsPerBuffer(0));
        Receipt r = pool.acquireReceipt();
        r.cycleId(-1L).shardId(0x11111111).hookId(0x22222222).ticks(3).actualTicks(4).lanes(5).flags(6)
            .spanId(7).aHash(8).result(9);
        assertThat(r.cycleId()).isEqualTo(-1L);
        assertThat(r.shardId()).isEqualTo(0x11111111);
        assertThat(r.hookId()).isEqualTo(0x22222222);
        assertThat(r.ticks()).isEqualTo(3);
        assertThat(r.actualTicks()).isEqualTo(4);
        assertThat(r.lanes()).isEqualTo(5);
        assertThat(r.flags()).isEqualTo(6);
        assertThat(r.spanId()).isEqualTo(7);
        assertThat(r.aHash()).isEqualTo(8);
        assertThat(r.result()).isEqualTo(9);
        assertThat(pool.receiptSlab().getLong(r.base() + ReceiptLayout.A_HASH_OFFSET)).isEqualTo(8);
    }

    @Test
    void recordWritesTheKernelFieldsAndLeavesTheRest() {
        BufferPool pool = new BufferPool(new PoolOptions().setReceipts(1).setReceiptsPerBuffer(0));
        Receipt r = pool.acquireReceipt().cycleId(77).shardId(3).ticks(5).actualTicks(6);
        r.record(9, 8, 0x301, 0xABCL, -2L, 0xFFL);
        assertThat(r.hookId()).isEqualTo(9);
        assertThat(r.lanes()).isEqualTo(8);
        assertThat(r.flags()).isEqualTo(0x301);
        assertThat(r.spanId()).isEqualTo(0xABCL);
        assertThat(r.aHash()).isEqualTo(-2L);
        assertThat(r.result()).isEqualTo(0xFFL);
        assertThat(r.cycleId()).isEqualTo(77);
        assertThat(r.shardId()).isEqualTo(3);
        assertThat(r.ticks()).isEqualTo(5);
        assertThat(r.actualTicks()).isEqualTo(6);
    }

    @Test
    void recordKeyed_isRecordWithTheSpanIdOfTheCycleItReads() {
        BufferPool pool = new BufferPool(new PoolOptions().setReceipts(2).setReceiptsPerBuffer(0));
        Receipt keyed = pool.acquireReceipt();
        Receipt plain = pool.acquireReceipt();
        PropertyRunner.forAll(g -> new long[] {g.anyLong(), g.anyLong(), g.anyLong(), g.anyLong(), g.intBetween(0, 8)})
            .tries(500)
            .describedBy(Arrays::toString)
            .check(in -> {
                long cycle = in[0];
                long key = in[1];
                keyed.cycleId(cycle).shardId(3).ticks(5).actualTicks(6)
                    .recordKeyed((int) in[2], (int) in[4], 0x301, key, in[3], in[4] & 1);
                plain.cycleId(cycle).shardId(3).ticks(5).actualTicks(6)
                    .record((int) in[2], (int) in[4], 0x301, ReceiptLayout.spanId(cycle, key), in[3], in[4] & 1);
                for (int off = 0; off < ReceiptLayout.RECEIPT_LENGTH; off += 8) {
                    assertThat(pool.receiptSlab().getLong(keyed.base() + off)).as("receipt byte %d", off)
                        .isEqualTo(pool.receiptSlab().getLong(plain.base() + off));
                }
                assertThat(keyed.cycleId()).isEqualTo(cycle);
            });
        // the span id changes with the cycle and with the key
        long a = ReceiptLayout.spanId(1, 2);
        assertThat(ReceiptLayout.spanId(2, 2)).isNotEqualTo(a);
        assertThat(ReceiptLayout.spanId(1, 3)).isNotEqualTo(a);
        keyed.close();
        assertThatThrownBy(() -> keyed.recordKeyed(1, 1, 1, 1, 1, 1)).isInstanceOf(StaleHandleException.class);
    }

    @Test
    void lanesLandAtTheirDescriptorOffsets() {
        BufferPool pool = new BufferPool(new PoolOptions());
        pool.acquire(8);
        SoaBuffer b = pool.acquire(8);
        b.set(5, 0x5L, 0x50L, 0x500L);
        assertThat(b.slab().getLong(b.base() + SoaLayout.S_OFFSET + 5 * 8)).isEqualTo(0x5L);
        assertThat(b.slab().getLong(b.base() + SoaLayout.P_OFFSET + 5 * 8)).isEqualTo(0x50L);
        assertThat(b.slab().getLong(b.base() + SoaLayout.O_OFFSET + 5 * 8)).isEqualTo(0x500L);
        assertThat(b.base()).isEqualTo(SoaLayout.bufferOffset(b.slot()));
    }
}
