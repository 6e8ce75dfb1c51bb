package io.github.hotpool.vertx;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.SoaBuffer;
import io.vertx.core.buffer.Buffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/** The clustered wire form: round trip, every validation, and fuzzing that only clear decode errors escape. */
class WireFormatTest {

    private static final int RECEIPTS_PER_BUFFER = 4;

    private static BufferPool pool() {
        return new BufferPool(new PoolOptions().setSoaBuffers(2).setReceipts(8).setReceiptsPerBuffer(RECEIPTS_PER_BUFFER)
            .setName("wire"));
    }

    private static Buffer validFrame(BufferPool pool, int capacity, int length, int receipts) {
        SoaBuffer b = pool.acquire(capacity);
        for (int i = 0; i < length; i++) {
            b.set(i, 100 + i, 200, 300 + i);
        }
        b.length(length);
        if (length > 0) {
            b.addRun(200, 0, length);
        }
        for (int i = 0; i < receipts; i++) {
            b.attach(pool.acquireReceipt().cycleId(7 + i).hookId(i).lanes(length).aHash(0xABCDL * (i + 1)));
        }
        Buffer out = Buffer.buffer();
        WireFormat.encode(out, b);
        pool.release(b);
        return out;
    }

    @Test
    void encodeThenDecode_restoresLanesLengthRunsAndReceipts() {
        BufferPool pool = pool();
        Buffer frame = Buffer.buffer().appendString("xyz").appendBuffer(validFrame(pool, 5, 3, 2));
        SoaBuffer d = WireFormat.decode(frame, 3, pool, RECEIPTS_PER_BUFFER);
        assertThat(d.capacity()).isEqualTo(5);
        assertThat(d.length()).isEqualTo(3);
        assertThat(d.subject(2)).isEqualTo(102);
        assertThat(d.object(1)).isEqualTo(301);
        assertThat(d.runCount()).isEqualTo(1);
        assertThat(d.runLength(0)).isEqualTo(3);
        assertThat(d.receiptCount()).isEqualTo(2);
        assertThat(d.receipt(1).cycleId()).isEqualTo(8);
        assertThat(d.receipt(1).aHash()).isEqualTo(0xABCDL * 2);
        pool.release(d);
        assertThat(pool.soaInUse()).isZero();
        assertThat(pool.receiptsInUse()).isZero();
    }

    @Test
    void badFields_areRejectedNamingFieldAndLimit_andLeaseNothing() {
        BufferPool pool = pool();
        Buffer good = validFrame(pool, 4, 2, 1);
        assertRejected(pool, good.copy().setShort(4, (short) 0x1234), "magic 0x1234");
        assertRejected(pool, good.copy().setByte(6, (byte) 9), "version 9");
        assertRejected(pool, good.copy().setByte(7, (byte) 9), "capacity 9 outside [1, MAX_RUN_LEN 8]");
        assertRejected(pool, good.copy().setByte(8, (byte) 5), "length 5 outside [0, capacity 4]");
        assertRejected(pool, good.copy().setByte(9, (byte) 9), "runCount 9 outside");
        assertRejected(pool, good.copy().setShort(10, (short) 5), "receiptCount 5 exceeds receiptsPerBuffer 4");
        assertRejected(pool, good.copy().setInt(0, 3), "frameLength 3");
        assertRejected(pool, good.getBuffer(0, good.length() - 1), "truncated");
        assertRejected(pool, good.getBuffer(0, 5), "header needs 12");
        int runAt = WireFormat.HEADER + 2 * WireFormat.TRIPLE_BYTES;
        assertRejected(pool, good.copy().setByte(runAt + 9, (byte) 0), "run 0 [offset 0, len 0]");
        assertRejected(pool, good.copy().setByte(runAt + 8, (byte) 3), "run 0 [offset 3, len 2] outside [0, capacity 4]");
    }

    @Test
    void exhaustedPool_isADecodeErrorThatLeasesNothing() {
        BufferPool pool = pool();
        Buffer frame = validFrame(pool, 2, 2, 2);
        SoaBuffer a = pool.acquire(1);
        SoaBuffer b = pool.acquire(1);
        assertRejected(pool, frame, "all 2 SoA buffers");
        pool.release(a);
        pool.release(b);
        for (int i = 0; i < 7; i++) {
            pool.acquireReceipt(); // leave one receipt: the second receipt of the frame does not fit
        }
        assertRejected(pool, frame, "receipt 1 of 2 does not fit");
        assertThat(pool.soaInUse()).isZero();
        assertThat(pool.receiptsInUse()).isEqualTo(7);
    }

    private static void assertRejected(BufferPool pool, Buffer frame, String message) {
        int soa = pool.soaInUse();
        int receipts = pool.receiptsInUse();
        assertThatThrownBy(() -> WireFormat.decode(frame, 0, pool, RECEIPTS_PER_BUFFER))
            .isInstanceOf(HandleDecodeException.class).hasMessageContaining(message);
        assertThat(pool.soaInUse()).isEqualTo(soa);
        assertThat(pool.receiptsInUse()).isEqualTo(receipts);
    }

    @Property(tries = 2000)
    void randomBytes_decodeOrFailWithADecodeErrorOnly(@ForAll @Size(max = 400) byte[] bytes,
                                                      @ForAll @IntRange(max = 16) int pos) {
        decodeExpectingOnlyDecodeErrors(Buffer.buffer(bytes), pos);
    }

    @Property(tries = 2000)
    void mutatedValidFrames_decodeOrFailWithADecodeErrorOnly(@ForAll("frames") Buffer frame,
                                                             @ForAll @IntRange(max = 399) int at,
                                                             @ForAll byte value) {
        if (frame.length() > 0) {
            frame.setByte(at % frame.length(), value);
        }
        decodeExpectingOnlyDecodeErrors(frame, 0);
    }

    @Provide
    Arbitrary<Buffer> frames() {
        return Arbitraries.integers().between(1, 8).flatMap(cap -> Arbitraries.integers().between(0, cap)
            .flatMap(len -> Arbitraries.integers().between(0, RECEIPTS_PER_BUFFER)
                .map(rc -> validFrame(pool(), cap, len, rc))));
    }

    private static void decodeExpectingOnlyDecodeErrors(Buffer frame, int pos) {
        BufferPool pool = pool();
        try {
            SoaBuffer b = WireFormat.decode(frame, pos, pool, RECEIPTS_PER_BUFFER);
            assertThat(b.length()).isBetween(0, b.capacity());
            pool.release(b);
        } catch (HandleDecodeException expected) {
            assertThat(expected.getMessage()).startsWith("SoA handle frame at " + pos);
        } catch (RuntimeException other) {
            fail("decoder leaked " + other + " for frame " + frame, other);
        }
        assertThat(pool.soaInUse()).isZero();
        assertThat(pool.receiptsInUse()).isZero();
    }
}
