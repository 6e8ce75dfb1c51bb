package io.github.hotpool.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.Ring;
import io.github.hotpool.core.RingOptions;
import io.github.hotpool.core.testing.AllocationMeter;
import io.github.hotpool.pipeline.store.ReceiptStore;
import io.github.hotpool.triples.TermTable;
import io.github.hotpool.triples.TripleBatch;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ring pipeline's per-row work, run directly on one thread: Transform (parse into a row), Load
 * and Reflex allocate nothing per row once warm; Emit's appending allocates nothing either until a
 * cycle seals (a seal copies its leaves).
 */
class GuardStepsAllocationTest {

    private static final List<String> LINES = List.of(StageAllocationTest.LINES);

    /** Eight lines in one array, as a chunk holds them, each ending with '\n'. */
    private static final class Staged {
        final byte[] bytes = new byte[8 * 300];
        final int[] starts = new int[9];
        final long[] lineNumbers = new long[8];

        Staged() {
            int at = 0;
            for (int i = 0; i < 8; i++) {
                byte[] l = (LINES.get(i) + "\n").getBytes(StandardCharsets.UTF_8);
                System.arraycopy(l, 0, bytes, at, l.length);
                at += l.length;
                lineNumbers[i] = i + 1;
                starts[i + 1] = at;
            }
        }
    }

    @Test
    void transformLoadReflexEmit_perRow_allocateNothingOnceWarm() {
        GuardState state = new GuardState(new PipelineOptions().setHooks(TestData.hooksJson()).setLockchain(new LockchainOptions().setCycleReceipts(1 << 16)),
            64, ReceiptStore.inMemory(1 << 16));
        DeltaRing ring = new DeltaRing(new RingOptions().setName("steps").setCapacity(64).chain("all"));
        DeltaRing.Row producer = ring.row(Ring.PRODUCER);
        DeltaRing.Row row = ring.row(0);
        Staged staged = new Staged();
        long[] bad = {0};
        RowTransform transform = new RowTransform(256, new TermTable(1 << 10, 64), (line, col, reason) -> bad[0]++);
        TripleBatch scratch = new TripleBatch();
        long[] receipts = {0};
        int[] shape = new int[2]; // the last row's length and run count, read while it is still held
        ReceiptStore store = ReceiptStore.inMemory(1 << 16);
        Runnable oneRow = () -> {
            long seq = ring.tryClaim(1);
            transform.begin(producer.at(seq));
            for (int l = 0; l < 8; l++) {
                transform.line(staged.bytes, staged.starts[l], staged.starts[l + 1] - 1, staged.lineNumbers[l]);
            }
            transform.end();
            ring.publish(seq + 1);
            row.at(seq);
            GuardSteps.load(scratch, row);
            int first = state.index(seq) * state.hookCount;
            GuardSteps.reflex(state.hooks, row, state.receipts, state.hookRuns, first, state.reflexScratch[0],
                state.constructOut[0]);
            receipts[0] += GuardSteps.emit(store, state.hooks, row, state.receipts, state.hookRuns, first, null);
            shape[0] = row.length();
            shape[1] = row.runCount();
            ring.advance(0, seq + 1);
        };
        // the store's line buffer grows by doubling while nothing flushes it: amortised, and the least of
        // the measured runs (AllocationMeter) is one without a doubling
        long bytes = AllocationMeter.allocatedBytes(20, () -> {
            for (int i = 0; i < 1_000; i++) {
                oneRow.run();
            }
        });
        assertThat(bad[0]).isZero();
        assertThat(shape[0]).isEqualTo(8);
        assertThat(shape[1]).isEqualTo(6); // type, label, subClassOf, isPartOf, supersededBy, comment
        assertThat(receipts[0]).isPositive();
        assertThat(bytes).as("bytes per 1,000 rows").isZero();
    }
}
