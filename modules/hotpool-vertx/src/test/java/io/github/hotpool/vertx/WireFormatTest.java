package io.github.hotpool.vertx;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.testing.Gen;
import io.github.hotpool.core.testing.PropertyRunner;
import io.github.hotpool.core.testing.Show;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The clustered wire form: round trip, every validation, and fuzzing that only clear decode errors
 * escape. The fuzzing runs on {@link PropertyRunner}; a failure prints the input and the seed that
 * replays it ({@code -Dhotpool.seed=...}).
 */
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

    /** Up to 400 bytes, decoded from {@code pos} (0 to 16, so also past the end of short input). */
    record Placed(byte[] bytes, int pos) {
        static Placed draw(Gen g) {
            return new Placed(g.bytes(400), g.intBetween(0, 16));
        }

        String show() {
            return Show.hex(bytes) + " decoded from " + pos;
        }
    }

    /**
     * Fixed inputs at every start position the generator has edges for: nothing, one boundary
     * byte, a bare header of zeros, a header of 0xFF, and a valid frame behind {@code pos} bytes
     * of filler (the one case that must decode).
     */
    static List<Placed> edgePlaced() {
        byte[] ones = new byte[WireFormat.HEADER];
        Arrays.fill(ones, (byte) -1);
        byte[] frame = validFrame(pool(), 8, 8, RECEIPTS_PER_BUFFER).getBytes();
        List<Placed> out = new ArrayList<>();
        for (int pos : new int[] {0, 1, 15, 16}) {
            byte[] behindFiller = new byte[pos + frame.length];
            System.arraycopy(frame, 0, behindFiller, pos, frame.length);
            for (byte[] bytes : List.of(new byte[0], new byte[] {0}, new byte[] {-1}, new byte[] {Byte.MIN_VALUE},
                new byte[] {Byte.MAX_VALUE}, new byte[WireFormat.HEADER], ones, behindFiller)) {
                out.add(new Placed(bytes, pos));
            }
        }
        return out;
    }

    @Test
    void randomBytes_decodeOrFailWithADecodeErrorOnly() {
        PropertyRunner.forAll(Placed::draw).tries(2000).edgeCases(edgePlaced()).describedBy(Placed::show)
            .check(p -> decodeExpectingOnlyDecodeErrors(Buffer.buffer(p.bytes()), p.pos()));
    }

    /** A valid frame of the given shape with the byte at {@code at % frame length} set to {@code value}. */
    record Mutation(int capacity, int length, int receipts, int at, byte value) {
        static Mutation draw(Gen g) {
            int capacity = g.intBetween(1, 8);
            int length = g.intBetween(0, capacity);
            return new Mutation(capacity, length, g.intBetween(0, RECEIPTS_PER_BUFFER), g.intBetween(0, 399), g.anyByte());
        }

        Buffer frame() {
            Buffer frame = validFrame(pool(), capacity, length, receipts);
            frame.setByte(at % frame.length(), value);
            return frame;
        }

        String show() {
            return this + ", frame " + Show.hex(frame().getBytes());
        }
    }

    @Test
    void mutatedValidFrames_decodeOrFailWithADecodeErrorOnly() {
        PropertyRunner.forAll(Mutation::draw).tries(2000).describedBy(Mutation::show)
            .check(m -> decodeExpectingOnlyDecodeErrors(m.frame(), 0));
    }

    /**
     * The random mutations pick a byte below 400, and the largest frames are longer, so their last
     * receipt lines are never mutated there: here every byte of each corner shape (capacity 1 or 8,
     * empty or full, no receipts or the most) takes each boundary value in turn.
     */
    @Test
    void everyByteOfTheCornerFrames_mutatedToABoundaryValue_decodesOrFailsWithADecodeErrorOnly() {
        int shapes = 0;
        for (int capacity : new int[] {1, 8}) {
            for (int length : new int[] {0, capacity}) {
                for (int receipts : new int[] {0, RECEIPTS_PER_BUFFER}) {
                    int frameLength = validFrame(pool(), capacity, length, receipts).length();
                    for (int at = 0; at < frameLength; at++) {
                        for (byte value : new byte[] {0, 1, Byte.MAX_VALUE, Byte.MIN_VALUE, -1}) {
                            Mutation m = new Mutation(capacity, length, receipts, at, value);
                            try {
                                decodeExpectingOnlyDecodeErrors(m.frame(), 0);
                            } catch (AssertionError e) {
                                throw new AssertionError(m.show(), e);
                            }
                        }
                    }
                    shapes++;
                }
            }
        }
        assertThat(shapes).isEqualTo(8);
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
            // hex: the raw frame as text puts control bytes into the report and makes grep call it binary
            fail("decoder leaked " + other + " for frame " + Show.hex(frame.getBytes()), other);
        }
        assertThat(pool.soaInUse()).isZero();
        assertThat(pool.receiptsInUse()).isZero();
    }
}
