package io.github.hotpool.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.github.hotpool.core.Ring.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Ring slabs: 64-byte aligned, rows at the pool's layout offsets, views that write where the descriptors say. */
class RingLayoutTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8, 1024})
    void deltaRows_lanesAndMeta_are64ByteAligned_atThePoolsOffsets(int capacity) {
        DeltaRing ring = new DeltaRing(new RingOptions().setCapacity(capacity).chain("a"));
        assertThat(ring.slab().capacity()).isEqualTo(capacity * (DeltaRing.ROW_LENGTH + DeltaRing.META_LENGTH));
        assertThat(ring.slab().order()).isEqualTo(java.nio.ByteOrder.nativeOrder());
        DeltaRing.Row w = ring.row(PRODUCER);
        ring.tryClaim(capacity);
        for (int i = 0; i < capacity; i++) {
            w.at(i);
            assertThat(w.base()).isEqualTo(SoaLayout.bufferOffset(i));
            for (int lane : new int[] {SoaLayout.S_OFFSET, SoaLayout.P_OFFSET, SoaLayout.O_OFFSET}) {
                assertThat(ring.slab().alignmentOffset(w.base() + lane, 64)).isZero();
            }
            assertThat(ring.slab().alignmentOffset(ring.metaOffset(i), 64)).isZero();
            assertThat(ring.slab().alignmentOffset(ring.metaOffset(i) + 64, 64)).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 1024})
    void assertionRows_areOneAlignedLineEach_atTheReceiptOffsets(int capacity) {
        AssertionRing ring = new AssertionRing(new RingOptions().setCapacity(capacity).chain("emit"));
        assertThat(ring.slab().capacity()).isEqualTo(capacity * ReceiptLayout.RECEIPT_LENGTH);
        AssertionRing.Row w = ring.row(PRODUCER);
        ring.tryClaim(capacity);
        for (int i = 0; i < capacity; i++) {
            assertThat(w.at(i).base()).isEqualTo(ReceiptLayout.receiptOffset(i));
            assertThat(ring.slab().alignmentOffset(w.base(), 64)).isZero();
        }
    }

    @Test
    void deltaRow_writesLanesAtTheSoaLayoutOffsets_andKeepsRunsAndLengthInItsMeta() {
        DeltaRing ring = new DeltaRing(new RingOptions().setCapacity(4).chain("a"));
        ring.tryClaim(2);
        DeltaRing.Row w = ring.row(PRODUCER).at(1);
        w.set(5, 0x5L, 0x50L, 0x500L).setSubject(0, -1L).setPredicate(7, 7L).setObject(3, 3L).length(8);
        w.addRun(0x50L, 0, 3).addRun(7L, 3, 5);
        assertThat(ring.slab().getLong(w.base() + SoaLayout.S_OFFSET + 5 * 8)).isEqualTo(0x5L);
        assertThat(ring.slab().getLong(w.base() + SoaLayout.P_OFFSET + 5 * 8)).isEqualTo(0x50L);
        assertThat(ring.slab().getLong(w.base() + SoaLayout.O_OFFSET + 5 * 8)).isEqualTo(0x500L);
        assertThat(w.subject(0)).isEqualTo(-1L);
        assertThat(w.predicate(7)).isEqualTo(7L);
        assertThat(w.object(3)).isEqualTo(3L);
        assertThat(w.length()).isEqualTo(8);
        assertThat(w.runCount()).isEqualTo(2);
        assertThat(w.runPredicate(1)).isEqualTo(7L);
        assertThat(w.runOffset(1)).isEqualTo(3);
        assertThat(w.runLength(1)).isEqualTo(5);
        assertThat(ring.slab().getLong(ring.metaOffset(1) + 8)).isEqualTo(7L);
        assertThat(ring.row(PRODUCER).at(0).subject(5)).as("row 0 untouched").isZero();
        w.at(1).clearRuns();
        assertThat(w.runCount()).isZero();
        assertThat(w.toString()).isEqualTo("row 1 of delta ring 'ring'{length=8, runs=0}");
    }

    @Test
    void assertionRow_fieldsDoNotOverlap_andCopyIntoAPoolReceipt() {
        AssertionRing ring = new AssertionRing(new RingOptions().setCapacity(2).chain("emit"));
        ring.tryClaim(1);
        AssertionRing.Row r = ring.row(PRODUCER).at(0);
        r.cycleId(-1L).shardId(0x11111111).hookId(0x22222222).ticks(3).actualTicks(4).lanes(5).flags(6)
            .spanId(7).aHash(8).result(9);
        assertThat(ring.slab().getLong(r.base() + ReceiptLayout.A_HASH_OFFSET)).isEqualTo(8);
        r.record(10, 8, 0x301, 0xABCL, -2L, 0xFFL);
        BufferPool pool = new BufferPool(new PoolOptions().setReceipts(1).setReceiptsPerBuffer(0));
        Receipt copy = pool.acquireReceipt();
        r.copyTo(copy);
        assertThat(copy.cycleId()).isEqualTo(-1L);
        assertThat(copy.shardId()).isEqualTo(0x11111111);
        assertThat(copy.hookId()).isEqualTo(10);
        assertThat(copy.ticks()).isEqualTo(3);
        assertThat(copy.actualTicks()).isEqualTo(4);
        assertThat(copy.lanes()).isEqualTo(8);
        assertThat(copy.flags()).isEqualTo(0x301);
        assertThat(copy.spanId()).isEqualTo(0xABCL);
        assertThat(copy.aHash()).isEqualTo(-2L);
        assertThat(copy.result()).isEqualTo(0xFFL);
        assertThat(r.toString()).isEqualTo("row 0 of assertion ring 'ring'{cycle=-1, hook=10, lanes=8}");
    }

    @Test
    void rowViews_withChecks_refuseRowsTheirHolderDoesNotHold_andUseAfterPassing() {
        assertThat(Switches.CHECKS).as("the suite runs with -Dhotpool.checks on (the default)").isTrue();
        DeltaRing ring = new DeltaRing(new RingOptions().setName("d").setCapacity(4).chain("a"));
        DeltaRing.Row producerRow = ring.row(PRODUCER);
        DeltaRing.Row stageRow = ring.row(0);
        assertThat(ring.row(0)).as("one reusable view per holder").isSameAs(stageRow);
        assertThatThrownBy(() -> stageRow.subject(0)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("is not pointed at a row yet");
        ring.tryClaim(2);
        assertThatThrownBy(() -> stageRow.at(0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("row 0 is not held by stage 'a' of delta ring 'd': it holds [0, 0)");
        producerRow.at(1).set(0, 1, 2, 3);
        assertThatThrownBy(() -> producerRow.at(2)).hasMessage("row 2 is not held by the producer of delta ring 'd': it holds [0, 2)");
        assertThatThrownBy(() -> producerRow.set(8, 1, 2, 3)).isInstanceOf(IndexOutOfBoundsException.class)
            .hasMessage("lane 8 outside [0, MAX_RUN_LEN 8) of row 1 of delta ring 'd'");
        assertThatThrownBy(() -> producerRow.length(9)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> producerRow.addRun(1, 4, 5)).isInstanceOf(IndexOutOfBoundsException.class)
            .hasMessage("run [4, 9) outside [0, MAX_RUN_LEN 8] of row 1 of delta ring 'd'");
        assertThatThrownBy(() -> producerRow.runPredicate(0)).isInstanceOf(IndexOutOfBoundsException.class)
            .hasMessage("run 0 outside [0, runCount 0) of row 1 of delta ring 'd'");
        ring.publish(2);
        assertThatThrownBy(() -> producerRow.subject(0)).isInstanceOf(StaleHandleException.class)
            .hasMessage("row 1 of delta ring 'd' used by the producer after passing it (now at 2)");
        assertThat(stageRow.at(1).predicate(0)).isEqualTo(2);
        ring.advance(0, 2);
        assertThatThrownBy(() -> stageRow.object(0)).isInstanceOf(StaleHandleException.class)
            .hasMessage("row 1 of delta ring 'd' used by stage 'a' after passing it (now at 2)");
        assertThatThrownBy(() -> ring.row(1)).hasMessage("stage 1 outside [0, 1) of delta ring 'd'");
    }
}
