package io.github.hotpool.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hotpool.core.testing.LanePath;
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
            "int byteSize()",
            "int getInt(int)",
            "java.lang.String toString()",
            "java.nio.ByteBuffer buffer()",
            "long getLong(int)",
            "void putInt(int,int)",
            "void putLong(int,long)");
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
}
