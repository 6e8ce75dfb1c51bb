package io.github.hotpool.cluster;

import static io.github.hotpool.cluster.Fixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.vertx.SoaHandleCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad frames from the network reach a real clustered consumer (another cluster member: its
 * messages cross TCP and are decoded by the node's codecs) and are refused with a clear error,
 * leaking no pool buffer or receipt. The frames are seeded mutations of valid ones; the seed is
 * printed.
 */
class BadFramesTest {

    private static final String RUN = "hotpool.cluster.run.bad-frames-test";
    private static final String TAG = "badframe";
    private static ClusterNode node;
    private static ClusterNode sender;
    private static GuardNode host;

    /** A frame as raw bytes, sent under the handle codec's name so that the node decodes it as a handle. */
    record RawFrame(Buffer bytes) {
    }

    static final class RawFrameCodec implements MessageCodec<RawFrame, RawFrame> {
        @Override
        public void encodeToWire(Buffer buffer, RawFrame f) {
            buffer.appendBuffer(f.bytes());
        }

        @Override
        public RawFrame decodeFromWire(int pos, Buffer buffer) {
            throw new UnsupportedOperationException("send only");
        }

        @Override
        public RawFrame transform(RawFrame f) {
            return f;
        }

        @Override
        public String name() {
            return SoaHandleCodec.NAME;
        }

        @Override
        public byte systemCodecID() {
            return -1;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        node = await(ClusterNode.join(Fixtures.isolated()));
        host = await(GuardNode.start(node, EnumSet.allOf(GuardStage.class), null, null));
        sender = await(ClusterNode.join(Fixtures.isolated()));
        sender.vertx().eventBus().registerCodec(new RawFrameCodec());
        JsonObject open = new JsonObject().put("op", "open").put("run", RUN).put("tag", TAG)
            .put("nodes", new io.vertx.core.json.JsonArray().add(node.nodeId())).put("driver", sender.nodeId())
            .put("options", Fixtures.options(null).toJson()).put("emit", true);
        await(sender.vertx().eventBus().request(Addresses.control(node.nodeId()), open));
    }

    @AfterAll
    static void stop() throws Exception {
        if (sender != null) {
            await(sender.close());
        }
        if (node != null) {
            await(node.close());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void mutatedHandleAndLinesFrames_areRefusedWithTheirReason_andLeakNothing() throws Exception {
        long seed = System.nanoTime();
        System.out.println("BadFramesTest seed=" + seed);
        Random rnd = new Random(seed);
        JsonObject before = stats();
        Buffer handle = validHandleFrame();
        Buffer lines = validLinesFrame();
        // the unmutated frames go through: the node decodes, chains and releases them
        send(GuardStage.LOAD, new RawFrame(handle), 0, null);
        send(GuardStage.TRANSFORM, lines, 1, null);

        int bad = 0;
        for (int i = 0; i < 300; i++) {
            boolean asHandle = i % 2 == 0;
            Buffer valid = asHandle ? handle : lines;
            Buffer mutated = mutate(valid, rnd, asHandle);
            String expect = asHandle ? "SoA handle frame at " : "lines frame at ";
            send(asHandle ? GuardStage.LOAD : GuardStage.TRANSFORM, asHandle ? new RawFrame(mutated) : mutated,
                10 + i, "seed=" + seed + " frame " + i + ": " + expect);
            bad++;
        }
        JsonObject stats = stats();
        assertThat(stats.getLong("rejected") - before.getLong("rejected")).as(stats.encode()).isEqualTo(bad);
        assertThat(stats.getLong("received") - before.getLong("received")).isEqualTo(2);
        assertThat(stats.getInteger("soaInUse")).as("no pool buffer leaked").isZero();
        assertThat(stats.getInteger("receiptsInUse")).as("no receipt leaked").isZero();
        assertThat(units(stats) - units(before)).isEqualTo(2);
    }

    @Test
    void aLineBreakInsideAFramedLine_isRefusedNamingTheLineAndByte() {
        for (String bad : new String[] {"<a:s> <a:p> \"x\ny\" .", "<a:s> <a:p> \"x\ry\" ."}) {
            Buffer f = Buffer.buffer();
            int start = LinesFrame.begin(f);
            byte[] good = "<a:s> <a:p> <a:o> .".getBytes(StandardCharsets.US_ASCII);
            byte[] line = bad.getBytes(StandardCharsets.US_ASCII);
            LinesFrame.line(f, start, good, 0, good.length, 1);
            LinesFrame.line(f, start, line, 0, line.length, 2);
            LinesFrame.end(f, start);
            assertThatThrownBy(() -> LinesFrame.validate(f, 0, 8192)).isInstanceOf(FrameException.class)
                .hasMessage("lines frame at 0: line 1 (lineNumber 2) holds a " + (bad.indexOf('\n') > 0 ? "LF" : "CR")
                    + " at byte 14; a line is framed without its line break");
        }
        Buffer ok = validLinesFrame();
        assertThat(LinesFrame.validate(ok, 0, 8192)).isEqualTo(3);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void mutatedUnitsFrames_areRefusedWhole_namingTheUnitAndField_andLeakNothing() throws Exception {
        long seed = System.nanoTime();
        System.out.println("BadFramesTest units seed=" + seed);
        Random rnd = new Random(seed);
        JsonObject before = stats();
        // the valid frame goes through: both of its units are taken and chained
        sendUnits(validUnitsFrame(20_000), null);
        int bad = 0;
        for (int i = 0; i < 300; i++) {
            long seq = 30_000 + 2L * i;
            Buffer valid = validUnitsFrame(seq);
            Buffer m = valid.copy();
            String expect;
            int unit = rnd.nextInt(2);
            int at = unitStart(valid, unit);
            switch (rnd.nextInt(8)) {
                case 0 -> { // a header byte
                    int b = rnd.nextInt(UnitsFrame.HEADER);
                    m.setByte(b, (byte) (m.getByte(b) ^ (1 + rnd.nextInt(255))));
                    expect = "units frame: ";
                }
                case 1 -> { // cut anywhere
                    m = valid.getBuffer(0, rnd.nextInt(valid.length()));
                    expect = "units frame: ";
                }
                case 2 -> {
                    m.setLong(at, -1 - rnd.nextInt(1000));
                    expect = "unit " + unit + " has seq -";
                }
                case 3 -> {
                    m.setLong(unitStart(valid, 1), seq);
                    expect = "unit 1 has seq " + seq + ", already in this frame";
                }
                case 4 -> {
                    m.setInt(at + 8, -1 - rnd.nextInt(1000));
                    expect = "unit " + unit + " (seq " + (seq + unit) + ") has attempt -";
                }
                case 5 -> {
                    int stage = rnd.nextInt(UnitsFrame.STAGES);
                    m.setShort(at + 12 + 2 * stage, (short) (1 + rnd.nextInt(100)));
                    expect = "unit " + unit + " (seq " + (seq + unit) + ") route of " + GuardStage.values()[stage].id()
                        + " is node index";
                }
                case 6 -> {
                    m.setInt(at + 12 + 2 * UnitsFrame.STAGES, rnd.nextBoolean() ? rnd.nextInt(LinesFrame.HEADER)
                        : 1 << 20 | rnd.nextInt(1000));
                    expect = "unit " + unit + " (seq " + (seq + unit) + ") length ";
                }
                default -> { // the first line's length inside the unit's lines frame
                    m.setInt(at + UnitsFrame.UNIT_HEADER + LinesFrame.HEADER + 8, 1 << 20 | rnd.nextInt(1000));
                    expect = "unit " + unit + " (seq " + (seq + unit) + "): lines frame at 0: line 0 length ";
                }
            }
            sendUnits(m, "seed=" + seed + " frame " + i + ": " + expect);
            bad++;
        }
        JsonObject stats = stats();
        assertThat(stats.getLong("rejected") - before.getLong("rejected")).as(stats.encode()).isEqualTo(bad);
        assertThat(stats.getLong("received") - before.getLong("received")).isEqualTo(2);
        assertThat(stats.getInteger("soaInUse")).as("no pool buffer leaked").isZero();
        assertThat(stats.getInteger("receiptsInUse")).as("no receipt leaked").isZero();
        assertThat(units(stats) - units(before)).as("only the valid frame's two units chained").isEqualTo(2);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void mutatedHandlesFrames_areRefusedWhole_namingTheUnitAndField_andLeakNothing() throws Exception {
        long seed = System.nanoTime();
        System.out.println("BadFramesTest handles seed=" + seed);
        Random rnd = new Random(seed);
        JsonObject before = stats();
        sendFrame(Addresses.handles(node.nodeId()), validHandlesFrame(40_000), null);
        int bad = 0;
        for (int i = 0; i < 300; i++) {
            long seq = 50_000 + 2L * i;
            Buffer valid = validHandlesFrame(seq);
            Buffer m = valid.copy();
            String expect;
            int unit = rnd.nextInt(2);
            int at = HandlesFrame.HEADER + unit * (HandlesFrame.UNIT_HEADER + HANDLE_FRAME_BYTES);
            switch (rnd.nextInt(8)) {
                case 0 -> {
                    int b = rnd.nextInt(8);
                    m.setByte(b, (byte) (m.getByte(b) ^ (1 + rnd.nextInt(255))));
                    expect = "handles frame: ";
                }
                case 1 -> {
                    m = valid.getBuffer(0, rnd.nextInt(valid.length()));
                    expect = "handles frame: ";
                }
                case 2 -> {
                    int stage = rnd.nextBoolean() ? GuardStage.TRANSFORM.ordinal() : 4 + rnd.nextInt(100);
                    m.setByte(8, (byte) stage);
                    expect = "handles frame: stage " + stage + " outside";
                }
                case 3 -> {
                    m.setLong(at, -1 - rnd.nextInt(1000));
                    expect = "unit " + unit + " has seq -";
                }
                case 4 -> {
                    m.setLong(HandlesFrame.HEADER + HandlesFrame.UNIT_HEADER + HANDLE_FRAME_BYTES, seq);
                    expect = "unit 1 has seq " + seq + ", already in this frame";
                }
                case 5 -> {
                    m.setInt(at + 8, -1 - rnd.nextInt(1000));
                    expect = "unit " + unit + " (seq " + (seq + unit) + ") has attempt -";
                }
                case 6 -> {
                    int stage = rnd.nextInt(UnitsFrame.STAGES);
                    m.setShort(at + 12 + 2 * stage, (short) (1 + rnd.nextInt(100)));
                    expect = "unit " + unit + " (seq " + (seq + unit) + ") route of " + GuardStage.values()[stage].id()
                        + " is node index";
                }
                default -> { // a run's offset or length inside the unit's handle frame
                    int run = at + HandlesFrame.UNIT_HEADER + 12 + 8 * 24 + rnd.nextInt(2) * 10;
                    m.setByte(run + 8 + rnd.nextInt(2), (byte) (9 + rnd.nextInt(100)));
                    expect = "unit " + unit + " (seq " + (seq + unit) + "): SoA handle frame at ";
                }
            }
            sendFrame(Addresses.handles(node.nodeId()), m, "seed=" + seed + " frame " + i + ": " + expect);
            bad++;
        }
        JsonObject stats = stats();
        assertThat(stats.getLong("rejected") - before.getLong("rejected")).as(stats.encode()).isEqualTo(bad);
        assertThat(stats.getLong("received") - before.getLong("received")).isEqualTo(2);
        assertThat(stats.getInteger("soaInUse")).as("no pool buffer leaked").isZero();
        assertThat(stats.getInteger("receiptsInUse")).as("no receipt leaked").isZero();
        assertThat(units(stats) - units(before)).as("only the valid frame's two units chained").isEqualTo(2);
    }

    /** Bytes of {@link #validHandleFrame}: 12 + 8 x 24 + 2 x 10 + 3 receipts. */
    private static final int HANDLE_FRAME_BYTES = validHandleFrame().length();

    /** Two units for Load, {@code seq} and {@code seq + 1}, each {@link #validHandleFrame}, routed wholly to the node. */
    private static Buffer validHandlesFrame(long seq) {
        Buffer f = HandlesFrame.begin(GuardStage.LOAD);
        Buffer h = validHandleFrame();
        for (long s = seq; s < seq + 2; s++) {
            f.appendLong(s).appendInt(0);
            for (int i = 0; i < UnitsFrame.STAGES; i++) {
                f.appendShort((short) 0);
            }
            f.appendBuffer(h);
            f.setByte(7, (byte) (f.getByte(7) + 1));
        }
        return HandlesFrame.end(f);
    }

    /** Two units, {@code seq} and {@code seq + 1}, of 3 lines each, routed wholly to the node. */
    private static Buffer validUnitsFrame(long seq) {
        Buffer f = UnitsFrame.begin(1024);
        UnitsFrame.unit(f, seq, 0, new int[UnitsFrame.STAGES], validLinesFrame());
        UnitsFrame.unit(f, seq + 1, 0, new int[UnitsFrame.STAGES], validLinesFrame());
        return UnitsFrame.end(f);
    }

    private static int unitStart(Buffer frame, int unit) {
        int at = UnitsFrame.HEADER;
        for (int u = 0; u < unit; u++) {
            at += UnitsFrame.UNIT_HEADER + frame.getInt(at + 12 + 2 * UnitsFrame.STAGES);
        }
        return at;
    }

    /** {@link #send} for a units frame: {@code expected} (after its last "frame N: ") must be in the refusal. */
    private static void sendUnits(Buffer frame, String expected) throws Exception {
        sendFrame(Addresses.units(node.nodeId()), frame, expected);
    }

    private static void sendFrame(String address, Buffer frame, String expected) throws Exception {
        DeliveryOptions d = new DeliveryOptions().setSendTimeout(10_000).addHeader(Addresses.H_RUN, TAG);
        try {
            sender.vertx().eventBus().request(address, frame, d)
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            if (expected != null) {
                fail("accepted: " + expected);
            }
        } catch (ExecutionException e) {
            if (expected == null) {
                throw e;
            }
            assertThat(e.getCause()).as(expected).isInstanceOf(ReplyException.class);
            ReplyException r = (ReplyException) e.getCause();
            assertThat(r.failureType()).as(expected).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
            assertThat(r.failureCode()).as(expected + ": " + r.getMessage()).isEqualTo(400);
            assertThat(r.getMessage()).as(expected).contains(expected.substring(expected.indexOf(": ", expected.indexOf(" frame ")) + 2));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aUnitSentTwice_isChainedOnce_andAcknowledgedDurableBothTimes() throws Exception {
        java.util.List<Long> durable = new java.util.concurrent.CopyOnWriteArrayList<>();
        var acks = sender.vertx().eventBus().<Buffer>consumer(Addresses.acks(RUN), m -> {
            for (int at = 0; at + 12 <= m.body().length(); at += 12) {
                durable.add(m.body().getLong(at));
            }
        });
        await(acks.completion());
        try {
            JsonObject before = stats();
            Buffer handle = validHandleFrame();
            send(GuardStage.LOAD, new RawFrame(handle), 5_000, null);
            send(GuardStage.LOAD, new RawFrame(handle), 5_000, null);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (durable.stream().filter(s -> s == 5_000L).count() < 2) {
                assertThat(System.nanoTime() < deadline).as("two durable acks for unit 5000, got " + durable).isTrue();
                Thread.sleep(10);
            }
            JsonObject after = stats();
            assertThat(units(after) - units(before)).as("chained once").isEqualTo(1);
            assertThat(after.getJsonObject("emit").getLong("duplicates") - before.getJsonObject("emit").getLong("duplicates"))
                .isEqualTo(1);
            assertThat(after.getInteger("soaInUse")).isZero();
        } finally {
            await(acks.unregister());
        }
    }

    private static long units(JsonObject stats) {
        return stats.getJsonObject("emit").getLong("units");
    }

    private static JsonObject stats() throws Exception {
        return await(sender.vertx().eventBus().<JsonObject>request(Addresses.control(node.nodeId()),
            new JsonObject().put("op", "stats"))).body();
    }

    /**
     * Sends one unit to the node; {@code expected} null: it must be taken, else refused with
     * RECIPIENT_FAILURE 400 and a message holding {@code expected} after the last ": ".
     */
    private static void send(GuardStage stage, Object body, long seq, String expected) throws Exception {
        String me = node.nodeId();
        DeliveryOptions d = new DeliveryOptions().setSendTimeout(10_000).addHeader(Addresses.H_RUN, TAG)
            .addHeader(Addresses.H_SEQ, Long.toString(seq)).addHeader(Addresses.H_ATTEMPT, "0")
            .addHeader(Addresses.H_ROUTE, "0.0.0.0");
        if (body instanceof RawFrame) {
            d.setCodecName(SoaHandleCodec.NAME);
        }
        try {
            sender.vertx().eventBus().request(Addresses.stage(me, stage), body, d)
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            if (expected != null) {
                fail("accepted: " + expected);
            }
        } catch (ExecutionException e) {
            if (expected == null) {
                throw e;
            }
            assertThat(e.getCause()).as(expected).isInstanceOf(ReplyException.class);
            ReplyException r = (ReplyException) e.getCause();
            assertThat(r.failureType()).as(expected).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
            assertThat(r.failureCode()).as(expected + ": " + r.getMessage()).isEqualTo(400);
            assertThat(r.getMessage()).as(expected).contains(expected.substring(expected.lastIndexOf(": ") + 2));
        }
    }

    /** 8 triples, 2 runs, 3 receipts: with length 8 every header byte has exactly one valid value. */
    private static Buffer validHandleFrame() {
        BufferPool pool = new BufferPool(new PoolOptions().setSoaBuffers(1).setReceipts(3).setReceiptsPerBuffer(3));
        SoaBuffer b = pool.acquire(8);
        for (int i = 0; i < 8; i++) {
            b.set(i, 100 + i, i < 5 ? 7 : 9, 200 + i);
        }
        b.length(8).addRun(7, 0, 5).addRun(9, 5, 3);
        for (int h = 1; h <= 3; h++) {
            b.attach(pool.acquireReceipt().cycleId(0).hookId(h));
        }
        Buffer out = Buffer.buffer();
        SoaHandleCodec codec = soaCodec();
        codec.encodeToWire(out, b);
        pool.release(b);
        pool.close();
        return out;
    }

    private static SoaHandleCodec soaCodec() {
        try {
            java.lang.reflect.Field f = SoaHandleCodec.class.getDeclaredField("INSTANCE");
            f.setAccessible(true);
            return (SoaHandleCodec) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Buffer validLinesFrame() {
        Buffer f = Buffer.buffer();
        int start = LinesFrame.begin(f);
        byte[] line = "<https://e.org/s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2000/01/rdf-schema#Class> ."
            .getBytes(StandardCharsets.US_ASCII);
        for (int i = 1; i <= 3; i++) {
            LinesFrame.line(f, start, line, 0, line.length, i);
        }
        LinesFrame.end(f, start);
        return f;
    }

    /** One change that leaves the frame invalid: a header byte, a truncation, or a bad length field inside. */
    private static Buffer mutate(Buffer valid, Random rnd, boolean handle) {
        Buffer m = valid.copy();
        int kind = rnd.nextInt(3);
        if (kind == 0) {
            int header = handle ? 12 : LinesFrame.HEADER;
            int at = rnd.nextInt(header);
            m.setByte(at, (byte) (m.getByte(at) ^ (1 + rnd.nextInt(255))));
            return m;
        }
        if (kind == 1) {
            return m.getBuffer(0, rnd.nextInt(valid.length()));
        }
        if (handle) { // a run's offset or length (runs start after 12 + 8 x 24 bytes)
            int run = 12 + 8 * 24 + rnd.nextInt(2) * 10;
            m.setByte(run + 8 + rnd.nextInt(2), (byte) (9 + rnd.nextInt(100)));
        } else { // a line's length field
            m.setInt(LinesFrame.HEADER + 8, 1 << 20 | rnd.nextInt(1000));
        }
        return m;
    }
}
