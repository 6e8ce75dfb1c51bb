package io.github.hotpool.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hotpool.core.testing.Gen;
import io.github.hotpool.core.testing.LanePath;
import io.github.hotpool.core.testing.PropertyRunner;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The lane-access layer: which path runs, that it reads the slab's memory, and its guards. */
class SlabTest {

    @Test
    void accessPath_isTheOneThisJdkAndClassPathMustLoad() {
        System.out.println(LanePath.describe());
        assertThat(Slab.accessPath()).isEqualTo(LanePath.expected());
        assertThat(Slab.allocate(64).toString()).isEqualTo("Slab[" + LanePath.expected() + ", 64 bytes]");
    }

    @Test
    void lineScans_areVectorExactlyWhenTheJvmHasTheVectorModuleOnTheMemorySegmentPath() {
        assertThat(Slab.lineScans()).as(LanePath.describe()).isEqualTo(LanePath.expectedLineScans());
        assertThat(LanePath.lineBits()).as("vector width of the line scans: " + LanePath.describe())
            .isEqualTo(LanePath.expectedLineBits());
        LanePath.checkRequired();
    }

    /** Both builds of the class must offer exactly this; the Java 22 one runs this test from the jar. */
    @Test
    void publicApi_isTheSameOnEitherPath() {
        String[] api = Arrays.stream(Slab.class.getDeclaredMethods())
            .filter(m -> Modifier.isPublic(m.getModifiers()))
            .map(SlabTest::signature)
            .sorted()
            .toArray(String[]::new);
        assertThat(api).containsExactlyInAnyOrder(
            "static io.github.hotpool.core.Slab allocate(long)",
            "static java.lang.String accessPath()",
            "static java.lang.String lineScans()",
            "int byteSize()",
            "long address()",
            "int getInt(int)",
            "java.lang.String toString()",
            "java.nio.ByteBuffer buffer()",
            "long getLong(int)",
            "void putInt(int,int)",
            "void putLong(int,long)",
            "int liveAndEqualLanes(int,long)",
            "int nonZeroLanes(int)",
            "int equalLanes(int,long)",
            "int aboveLanes(int,long)",
            "int belowLanes(int,long)",
            "int subjectAndObjectLanes(int,long,long)",
            "int subjectNotObjectLanes(int,long,long)",
            "void putTriples(int,io.github.hotpool.core.Slab,int,int,long,long)",
            "void putReceipt(int,long,int,int,int,long,long,long)");
        assertThat(Arrays.stream(Slab.class.getConstructors())).isEmpty();
        assertThat(Arrays.stream(Slab.class.getFields())).isEmpty();
        assertThat(Modifier.isFinal(Slab.class.getModifiers())).isTrue();
    }

    private static String signature(Method m) {
        String params = Arrays.stream(m.getParameterTypes()).map(Class::getName).reduce((a, b) -> a + "," + b).orElse("");
        return (Modifier.isStatic(m.getModifiers()) ? "static " : "") + m.getReturnType().getName() + " " + m.getName()
            + "(" + params + ")";
    }

    @Test
    void allocate_isZeroedAlignedAndExactlyAsLongAsAsked() {
        for (int bytes : new int[] {0, 1, 63, 64, 192, 4096 + 8}) {
            Slab slab = Slab.allocate(bytes);
            assertThat(slab.byteSize()).isEqualTo(bytes);
            assertThat(slab.buffer().capacity()).isEqualTo(bytes);
            assertThat(slab.buffer().order()).isEqualTo(ByteOrder.nativeOrder());
            if (bytes > 0) {
                assertThat(slab.buffer().alignmentOffset(0, 64)).isZero();
            }
            for (int at = 0; at + 8 <= bytes; at += 8) {
                assertThat(slab.getLong(at)).isZero();
            }
        }
        assertThatThrownBy(() -> Slab.allocate(-1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("slab of -1 bytes outside [0, 2147483521]");
        assertThatThrownBy(() -> Slab.allocate(Integer.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("2147483647 bytes");
    }

    @Test
    void readsAndWritesTheSameMemoryAsItsByteBuffer_inNativeOrder() {
        Slab slab = Slab.allocate(128);
        slab.putLong(8, 0x0102_0304_0506_0708L);
        slab.putInt(20, 0xCAFE_BABE);
        assertThat(slab.buffer().getLong(8)).isEqualTo(0x0102_0304_0506_0708L);
        assertThat(slab.buffer().getInt(20)).isEqualTo(0xCAFE_BABE);
        slab.buffer().putLong(120, -2L);
        slab.buffer().putInt(64, 7);
        assertThat(slab.getLong(120)).isEqualTo(-2L);
        assertThat(slab.getInt(64)).isEqualTo(7);
        assertThat(slab.getInt(8)).isEqualTo(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 0x0506_0708 : 0x0102_0304);
    }

    @Test
    void accessOutsideTheSlab_throwsIndexOutOfBounds_onEitherPath() {
        Slab slab = Slab.allocate(64);
        assertThatThrownBy(() -> slab.getLong(57)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> slab.putLong(64, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> slab.getInt(-4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> slab.putInt(61, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(slab.getLong(56)).isZero();
    }

    @Test
    void zero_clearsExactlyTheRange_evenPastOneBuffersLength() {
        Slab slab = Slab.allocate(512);
        for (int at = 0; at < 512; at += 8) {
            slab.putLong(at, -1L);
        }
        slab.zero(8, 400);
        assertThat(slab.getLong(0)).isEqualTo(-1L);
        for (int at = 8; at < 408; at += 8) {
            assertThat(slab.getLong(at)).as("offset %d", at).isZero();
        }
        assertThat(slab.getLong(408)).isEqualTo(-1L);
    }

    @Test
    void zero_ofWholeLines_clearsExactlyThoseLines() {
        Slab slab = Slab.allocate(512);
        for (int at = 0; at < 512; at += 4) {
            slab.putInt(at, -1);
        }
        slab.zero(64, 192); // an SoA row's worth, starting on the second line
        for (int at = 0; at < 512; at += 4) {
            assertThat(slab.getInt(at)).as("offset %d", at).isEqualTo(at >= 64 && at < 256 ? 0 : -1);
        }
        slab.zero(448, 64); // the last line
        assertThat(slab.getLong(440)).isEqualTo(-1L);
        for (int at = 448; at < 512; at += 8) {
            assertThat(slab.getLong(at)).as("offset %d", at).isZero();
        }
        assertThatThrownBy(() -> slab.zero(448, 128)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void poolSlabs_areSlabsOverThePoolsBuffers() {
        BufferPool pool = new BufferPool(new PoolOptions().setSoaBuffers(3).setReceipts(5).setReceiptsPerBuffer(1));
        assertThat(pool.soaMemory().buffer()).isSameAs(pool.soaSlab());
        assertThat(pool.receiptMemory().buffer()).isSameAs(pool.receiptSlab());
        assertThat(pool.soaMemory().byteSize()).isEqualTo(3 * SoaLayout.BUFFER_LENGTH);
        assertThat(pool.receiptMemory().byteSize()).isEqualTo(5 * ReceiptLayout.RECEIPT_LENGTH);
        SoaBuffer b = pool.acquire(8).set(2, 11, 22, 33);
        assertThat(b.memory()).isSameAs(pool.soaMemory());
        assertThat(pool.soaMemory().getLong(b.base() + SoaLayout.O_OFFSET + 2 * 8)).isEqualTo(33);
        Receipt r = pool.acquireReceipt().aHash(99);
        assertThat(pool.receiptMemory().getLong(r.base() + ReceiptLayout.A_HASH_OFFSET)).isEqualTo(99);
    }

    /** Lane values that sit on the edges of signed and unsigned order. */
    private static final long[] EDGES = {0, 1, 2, -1L, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, 42};

    private static long[] line(Gen g) {
        long[] lanes = new long[8];
        for (int j = 0; j < 8; j++) {
            lanes[j] = g.oneIn(3) ? g.anyLong() : EDGES[g.intBetween(0, EDGES.length - 1)];
        }
        return lanes;
    }

    @Test
    void lineScans_agreeWithOneLaneAtATime_onEitherPath() {
        Slab slab = Slab.allocate(4 * 64);
        PropertyRunner.forAll(g -> new Object[] {line(g), g.oneIn(2) ? EDGES[g.intBetween(0, EDGES.length - 1)] : g.anyLong(),
                g.intBetween(0, 3)})
            .tries(2000)
            .describedBy(in -> java.util.Arrays.toString((long[]) in[0]) + " value=" + in[1] + " line=" + in[2])
            .check(in -> {
                long[] lanes = (long[]) in[0];
                long v = (long) in[1];
                int line = 64 * (int) in[2];
                for (int j = 0; j < 8; j++) {
                    slab.putLong(line + 8 * j, lanes[j]);
                }
                int live = 0;
                int equal = 0;
                int above = 0;
                int below = 0;
                for (int j = 0; j < 8; j++) {
                    live |= (lanes[j] != 0 ? 1 : 0) << j;
                    equal |= (lanes[j] == v ? 1 : 0) << j;
                    above |= (Long.compareUnsigned(lanes[j], v) > 0 ? 1 : 0) << j;
                    below |= (Long.compareUnsigned(lanes[j], v) < 0 ? 1 : 0) << j;
                }
                assertThat(slab.nonZeroLanes(line)).isEqualTo(live);
                assertThat(slab.equalLanes(line, v)).isEqualTo(equal);
                assertThat(slab.liveAndEqualLanes(line, v)).isEqualTo(live | equal << 8);
                assertThat(slab.aboveLanes(line, v)).isEqualTo(above);
                assertThat(slab.belowLanes(line, v)).isEqualTo(below);
            });
    }

    @Test
    void rowScans_agreeWithOneLaneAtATime_onEitherPath() {
        Slab slab = Slab.allocate(2L * SoaLayout.BUFFER_LENGTH);
        PropertyRunner.forAll(g -> {
            long[] s = line(g);
            long[] o = line(g);
            // ids taken from the lines half of the time, so that lanes match
            long subject = g.oneIn(2) ? s[g.intBetween(0, 7)] : EDGES[g.intBetween(0, EDGES.length - 1)];
            long object = g.oneIn(2) ? o[g.intBetween(0, 7)] : g.anyLong();
            return new Object[] {s, o, subject, object, g.intBetween(0, 1)};
        })
            .tries(2000)
            .describedBy(in -> "S=" + Arrays.toString((long[]) in[0]) + " O=" + Arrays.toString((long[]) in[1])
                + " subject=" + in[2] + " object=" + in[3] + " row=" + in[4])
            .check(in -> {
                long[] s = (long[]) in[0];
                long[] o = (long[]) in[1];
                long subject = (long) in[2];
                long object = (long) in[3];
                int row = SoaLayout.BUFFER_LENGTH * (int) in[4];
                for (int j = 0; j < 8; j++) {
                    slab.putLong(row + SoaLayout.S_OFFSET + 8 * j, s[j]);
                    slab.putLong(row + SoaLayout.P_OFFSET + 8 * j, ~s[j]); // the P line is not read
                    slab.putLong(row + SoaLayout.O_OFFSET + 8 * j, o[j]);
                }
                int live = 0;
                int both = 0;
                int sNotO = 0;
                for (int j = 0; j < 8; j++) {
                    live |= (s[j] != 0 ? 1 : 0) << j;
                    both |= (s[j] == subject && o[j] == object ? 1 : 0) << j;
                    sNotO |= (s[j] == subject && o[j] != object ? 1 : 0) << j;
                }
                assertThat(slab.subjectAndObjectLanes(row, subject, object)).isEqualTo(live | both << 8);
                assertThat(slab.subjectNotObjectLanes(row, subject, object)).isEqualTo(live | sNotO << 8);
            });
    }

    @Test
    void rowScans_refuseRowsOffALineOrPastTheSlab() {
        Slab slab = Slab.allocate(2L * SoaLayout.BUFFER_LENGTH);
        assertThatThrownBy(() -> slab.subjectAndObjectLanes(8, 1, 1)).hasMessageContaining("offset 8 is not a multiple of 64");
        assertThatThrownBy(() -> slab.subjectNotObjectLanes(72, 1, 1)).hasMessageContaining("is not a multiple of 64");
        // the S line of a row at 256 fits (256 + 64 <= 384), its O line (256 + 128) does not
        assertThatThrownBy(() -> slab.subjectAndObjectLanes(256, 1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> slab.subjectNotObjectLanes(256, 1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void putRow_writesTheThreeLinesOfOneRowAndNothingElse() {
        Slab rows = Slab.allocate(3 * SoaLayout.BUFFER_LENGTH);
        for (int at = 0; at < rows.byteSize(); at += 8) {
            rows.putLong(at, -1L);
        }
        long[] lanes = new long[24];
        for (int k = 0; k < 24; k++) {
            lanes[k] = 1000 + k;
        }
        rows.putRow(SoaLayout.BUFFER_LENGTH, lanes);
        for (int j = 0; j < 8; j++) {
            int at = SoaLayout.BUFFER_LENGTH + 8 * j;
            assertThat(new long[] {rows.getLong(at + SoaLayout.S_OFFSET), rows.getLong(at + SoaLayout.P_OFFSET),
                rows.getLong(at + SoaLayout.O_OFFSET)}).as("lane %d", j).containsExactly(1000 + j, 1008 + j, 1016 + j);
        }
        assertThat(rows.getLong(SoaLayout.BUFFER_LENGTH - 8)).as("the row before is untouched").isEqualTo(-1L);
        assertThat(rows.getLong(2 * SoaLayout.BUFFER_LENGTH)).as("the row after is untouched").isEqualTo(-1L);
        assertThatThrownBy(() -> rows.putRow(2 * SoaLayout.BUFFER_LENGTH + 64, lanes))
            .isInstanceOf(IndexOutOfBoundsException.class);
        long[] almost = new long[23];
        java.util.Arrays.fill(almost, 7L);
        assertThatThrownBy(() -> rows.putRow(0, almost)).isInstanceOf(IndexOutOfBoundsException.class);
        for (int at = 0; at < SoaLayout.BUFFER_LENGTH; at += 8) {
            assertThat(rows.getLong(at)).as("a row refused for a short array is untouched, byte %d", at).isEqualTo(-1L);
        }
        assertThatThrownBy(() -> rows.putRow(8, lanes)).hasMessageContaining("is not a multiple of 64");
    }

    @Test
    void putTriples_writesTheMaskedLanesAndZerosTheRest() {
        Slab from = Slab.allocate(64);
        for (int j = 0; j < 8; j++) {
            from.putLong(8 * j, 100 + j);
        }
        Slab rows = Slab.allocate(2 * SoaLayout.BUFFER_LENGTH);
        for (int at = 0; at < rows.byteSize(); at += 8) {
            rows.putLong(at, -1L);
        }
        rows.putTriples(SoaLayout.BUFFER_LENGTH, from, 0, 0b1010_0101 | 0x100, 7, 9);
        for (int j = 0; j < 8; j++) {
            boolean on = (0b1010_0101 >>> j & 1) != 0;
            int at = SoaLayout.BUFFER_LENGTH + 8 * j;
            assertThat(new long[] {rows.getLong(at + SoaLayout.S_OFFSET), rows.getLong(at + SoaLayout.P_OFFSET),
                rows.getLong(at + SoaLayout.O_OFFSET)}).as("lane %d", j)
                .containsExactly(on ? 100 + j : 0, on ? 7 : 0, on ? 9 : 0);
        }
        assertThat(rows.getLong(SoaLayout.BUFFER_LENGTH - 8)).as("the row before is untouched").isEqualTo(-1L);
        assertThatThrownBy(() -> rows.putTriples(SoaLayout.BUFFER_LENGTH + 64, from, 0, 1, 1, 1))
            .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void putReceipt_writesTheKernelsFieldsAndKeepsShardAndTicks() {
        Slab lines = Slab.allocate(2 * 64);
        for (int at = 0; at < 128; at += 8) {
            lines.putLong(at, -1L);
        }
        lines.putReceipt(64, 5, 6, 7, 8, 9, 10, 11);
        assertThat(lines.getLong(64 + ReceiptLayout.CYCLE_ID_OFFSET)).isEqualTo(5);
        assertThat(lines.getInt(64 + ReceiptLayout.SHARD_ID_OFFSET)).isEqualTo(-1);
        assertThat(lines.getInt(64 + ReceiptLayout.HOOK_ID_OFFSET)).isEqualTo(6);
        assertThat(lines.getLong(64 + ReceiptLayout.TICKS_OFFSET)).isEqualTo(-1L);
        assertThat(lines.getLong(64 + ReceiptLayout.ACTUAL_TICKS_OFFSET)).isEqualTo(-1L);
        assertThat(lines.getInt(64 + ReceiptLayout.LANES_OFFSET)).isEqualTo(7);
        assertThat(lines.getInt(64 + ReceiptLayout.FLAGS_OFFSET)).isEqualTo(8);
        assertThat(lines.getLong(64 + ReceiptLayout.SPAN_ID_OFFSET)).isEqualTo(9);
        assertThat(lines.getLong(64 + ReceiptLayout.A_HASH_OFFSET)).isEqualTo(10);
        assertThat(lines.getLong(64 + ReceiptLayout.RESULT_OFFSET)).isEqualTo(11);
        assertThat(lines.getLong(0)).isEqualTo(-1L);
        lines.putReceipt(64, 5, 6, -2, Integer.MIN_VALUE | 3, 9, 10, 11); // lanes and flags share one store: no sign bleeds over
        assertThat(lines.getInt(64 + ReceiptLayout.LANES_OFFSET)).isEqualTo(-2);
        assertThat(lines.getInt(64 + ReceiptLayout.FLAGS_OFFSET)).isEqualTo(Integer.MIN_VALUE | 3);
        assertThatThrownBy(() -> lines.putReceipt(128, 1, 1, 1, 1, 1, 1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void lineOperations_refuseOffsetsOffACacheLine_onEitherPath() {
        Slab slab = Slab.allocate(4 * 64);
        String says = "offset 8 is not a multiple of 64";
        assertThatThrownBy(() -> slab.nonZeroLanes(8)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(says);
        assertThatThrownBy(() -> slab.liveAndEqualLanes(8, 1)).hasMessageContaining(says);
        assertThatThrownBy(() -> slab.aboveLanes(8, 1)).hasMessageContaining(says);
        assertThatThrownBy(() -> slab.putReceipt(8, 1, 1, 1, 1, 1, 1, 1)).hasMessageContaining(says);
        assertThatThrownBy(() -> slab.putTriples(0, slab, 8, 1, 1, 1)).hasMessageContaining(says);
        assertThatThrownBy(() -> slab.nonZeroLanes(256)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
