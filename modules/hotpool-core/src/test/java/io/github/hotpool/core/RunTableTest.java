package io.github.hotpool.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RunTableTest {

    @Test
    void add_recordsRowPredicateOffsetLength_andTheRowLimit() {
        RunTable t = new RunTable(4).add(3, -5L, 2, 6).add(0, 7, 8, 0).add((1 << 23) - 1, 1, 0, 8);
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.row(0)).isEqualTo(3);
        assertThat(t.predicate(0)).isEqualTo(-5L);
        assertThat(t.offset(0)).isEqualTo(2);
        assertThat(t.length(0)).isEqualTo(6);
        assertThat(t.offset(1)).isEqualTo(8);
        assertThat(t.length(1)).isZero();
        assertThat(t.row(2)).isEqualTo((1 << 23) - 1);
        assertThat(t.length(2)).isEqualTo(8);
        // the kernels' row address: the byte offset of the row, for the highest row too (no int overflow)
        assertThat(t.rowOffset(0)).isEqualTo(3 * SoaLayout.BUFFER_LENGTH);
        assertThat(t.rowOffset(1)).isZero();
        assertThat(t.rowOffset(2)).isEqualTo(((1 << 23) - 1) * SoaLayout.BUFFER_LENGTH).isPositive();
        assertThat(t.lanes(0)).isEqualTo(0b1111_1100);
        assertThat(t.lanes(2)).isEqualTo(0xFF);
        assertThat(t.rowLimit()).isEqualTo(1 << 23);
        int epoch = t.epoch();
        assertThat(t.clear().size()).isZero();
        assertThat(t.rowLimit()).isZero();
        assertThat(t.epoch()).as("clear() moves the epoch on").isEqualTo(epoch + 1);
        t.add(1, 1, 0, 1);
        assertThat(t.epoch()).as("add() keeps it").isEqualTo(epoch + 1);
    }

    @Test
    void badRuns_areRefused_namingTheValueAndTheLimit() {
        RunTable t = new RunTable(1);
        assertThatThrownBy(() -> t.add(-1, 1, 0, 1)).hasMessage("row -1 outside [0, 8388608)");
        assertThatThrownBy(() -> t.add(1 << 23, 1, 0, 1)).hasMessage("row 8388608 outside [0, 8388608)");
        assertThatThrownBy(() -> t.add(0, 1, 5, 4)).hasMessage("run [5, 9) outside [0, MAX_RUN_LEN 8]");
        assertThatThrownBy(() -> t.add(0, 1, -1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> t.add(0, 1, 2, -1)).isInstanceOf(IndexOutOfBoundsException.class);
        t.add(0, 1, 0, 8);
        assertThatThrownBy(() -> t.add(0, 1, 0, 8)).hasMessage("run table is full: capacity 1");
        assertThatThrownBy(() -> new RunTable(0)).hasMessage("run table capacity 0 is below 1");
    }

    @Test
    void addRunsOf_copiesAPoolBuffersRunsAsRowsOfItsSlot() {
        BufferPool pool = new BufferPool(new PoolOptions().setSoaBuffers(4));
        pool.acquire(8);
        SoaBuffer b = pool.acquire(8).addRun(100, 0, 3).addRun(200, 3, 5);
        RunTable t = new RunTable(3).addRunsOf(b);
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.row(1)).isEqualTo(b.slot());
        assertThat(t.predicate(1)).isEqualTo(200);
        assertThat(t.offset(1)).isEqualTo(3);
        assertThat(t.length(1)).isEqualTo(5);
        assertThat(t.rowLimit()).isEqualTo(b.slot() + 1);
        assertThatThrownBy(() -> t.addRunsOf(b)).hasMessageContaining("no room for the 2 runs of SoA buffer 1");
        assertThat(t.size()).isEqualTo(2);
        b.close();
        assertThatThrownBy(() -> new RunTable(8).addRunsOf(b)).isInstanceOf(StaleHandleException.class);
    }
}
