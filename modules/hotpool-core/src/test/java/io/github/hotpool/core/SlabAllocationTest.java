package io.github.hotpool.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.testing.AllocationMeter;
import io.github.hotpool.core.testing.LanePath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every {@link Slab} operation, and the pool paths that go through it, allocate 0 bytes on the
 * lane-access path this JVM runs, with as little warm-up as linking the calls needs.
 *
 * <p>The point is the tiers below C2: the interpreter and C1 do no escape analysis, so a slice or
 * any other short-lived object made per access would be counted here, where a warmed-up C2 run
 * would hide it. The build runs this class a second time with C2 off ({@code
 * -XX:TieredStopAtLevel=1}) and a third time in the interpreter alone ({@code -Xint}), on both
 * paths (see hotpool-core's pom).
 */
class SlabAllocationTest {

    /* one run to link each call site; the measured runs are too short for C2 to compile them */
    private static final int WARMUPS = 1;
    private static final int LOOP = 200;

    private final Slab rows = Slab.allocate(4L * SoaLayout.BUFFER_LENGTH);
    private final Slab receipts = Slab.allocate(4L * ReceiptLayout.RECEIPT_LENGTH);
    private final long[] wholeRow = new long[SoaLayout.BUFFER_LENGTH / Long.BYTES];
    private final BufferPool pool = new BufferPool(new PoolOptions().setSoaBuffers(4).setReceipts(4).setReceiptsPerBuffer(0));

    @BeforeAll
    static void sayWhichPath() {
        System.out.println("SlabAllocationTest: " + LanePath.describe() + ", VM flags "
            + java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    @Test
    void lineScans_allocateNothing() {
        rows.putTriple(0, 3, 7, 8, 9);
        long bytes = AllocationMeter.allocatedBytes(WARMUPS, () -> {
            int sink = 0;
            for (int i = 0; i < LOOP; i++) {
                int line = (i & 3) * SoaLayout.BUFFER_LENGTH;
                sink += rows.liveAndEqualLanes(line, i) + rows.nonZeroLanes(line + SoaLayout.P_OFFSET)
                    + rows.equalLanes(line + SoaLayout.O_OFFSET, 9) + rows.aboveLanes(line, i)
                    + rows.belowLanes(line + SoaLayout.O_OFFSET, i);
            }
            if (sink == 42) {
                System.out.print(""); // keeps the scans observable
            }
        });
        assertThat(bytes).as(LanePath.describe()).isZero();
    }

    @Test
    void lineWrites_allocateNothing() {
        long bytes = AllocationMeter.allocatedBytes(WARMUPS, () -> {
            for (int i = 0; i < LOOP; i++) {
                int row = (i & 1) * SoaLayout.BUFFER_LENGTH;
                rows.putTriple(row, i & 7, i, i + 1, i + 2);
                rows.putRow(row + SoaLayout.BUFFER_LENGTH, wholeRow);
                rows.putTriples(row + 2 * SoaLayout.BUFFER_LENGTH, rows, row, i & 0xFF, i, i + 3);
                int line = (i & 3) * ReceiptLayout.RECEIPT_LENGTH;
                receipts.putReceipt(line, i, 1, 8, 3, i * 31L, i * 17L, i & 1);
                receipts.putKernelFields(line, 2, 7, 4, i, i, i);
            }
        });
        assertThat(bytes).as(LanePath.describe()).isZero();
    }

    @Test
    void singleAccessesAndZero_allocateNothing() {
        long bytes = AllocationMeter.allocatedBytes(WARMUPS, () -> {
            long sink = 0;
            for (int i = 0; i < LOOP; i++) {
                int at = (i & 31) * Long.BYTES;
                rows.putLong(at, i);
                rows.putInt(at + 4, i);
                sink += rows.getLong(at) + rows.getInt(at);
                rows.zero((i & 3) * SoaLayout.BUFFER_LENGTH, SoaLayout.BUFFER_LENGTH);
            }
            if (sink == 42) {
                System.out.print("");
            }
        });
        assertThat(bytes).as(LanePath.describe()).isZero();
    }

    @Test
    void leaseWriteRelease_andReceiptLease_allocateNothing() {
        long bytes = AllocationMeter.allocatedBytes(WARMUPS, () -> {
            for (int i = 0; i < LOOP; i++) {
                SoaBuffer b = pool.acquire(8);
                b.set(i & 7, i, i + 1, i + 2).length(1).addRun(i + 1, 0, 1);
                b.setSubject(i & 7, b.subject(i & 7) + b.predicate(0) + b.object(1));
                Receipt r = pool.acquireReceipt();
                r.cycleId(i).hookId(1).lanes(8).record(1, 8, 3, i, i, i);
                r.recordKeyed(1, 8, 3, i, i, i);
                r.close();
                pool.release(b, b.generation());
            }
        });
        assertThat(bytes).as(LanePath.describe()).isZero();
    }
}
