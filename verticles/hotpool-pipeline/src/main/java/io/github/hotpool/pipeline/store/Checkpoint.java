package io.github.hotpool.pipeline.store;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The store's durable progress record, file {@value ReceiptStore#CHECKPOINT}: how many bytes of
 * each file are durable and acknowledged, the chain's head and cycle count at that point, and how
 * far into its input the run got. Immutable value; {@link #write} and {@link #read} do the I/O.
 *
 * <pre>
 *  offset 0     slot A: JSON '\n' CRC32 (8 hex) '\n', padded with spaces to 4096 bytes
 *  offset 4096  slot B: the same
 * </pre>
 *
 * Generation g goes to slot g % 2, so a write torn by a crash damages only the slot being
 * replaced: the reader takes the valid slot with the highest generation.
 */
record Checkpoint(long generation, long receipts, long receiptsBytes, long cycles, long chainBytes,
                  long openCycleBytes, byte[] head, InputMark input) {

    static final int SLOT = 4096;

    /** The first checkpoint of a new directory, whose lockchain file holds only its header. */
    static Checkpoint initial(long headerBytes) {
        return new Checkpoint(0, 0, 0, 0, headerBytes, 0, new byte[32], null);
    }

    Checkpoint next(long receipts, long receiptsBytes, long cycles, long chainBytes, long openCycleBytes,
                    byte[] head, InputMark input) {
        return new Checkpoint(generation + 1, receipts, receiptsBytes, cycles, chainBytes, openCycleBytes, head,
            input);
    }

    JsonObject toJson() {
        JsonObject j = new JsonObject().put("generation", generation).put("receipts", receipts)
            .put("receiptsBytes", receiptsBytes).put("cycles", cycles).put("chainBytes", chainBytes)
            .put("openCycleBytes", openCycleBytes).put("head", Hex.of(head));
        if (input != null) {
            j.put("input", input.toJson());
        }
        return j;
    }

    static Checkpoint fromJson(JsonObject j) {
        JsonObject in = j.getJsonObject("input");
        return new Checkpoint(j.getLong("generation"), j.getLong("receipts"), j.getLong("receiptsBytes"),
            j.getLong("cycles"), j.getLong("chainBytes"), j.getLong("openCycleBytes"), Hex.parse(j.getString("head")),
            in == null ? null : InputMark.fromJson(in));
    }

    /** Writes this checkpoint into its slot of {@code ch}; forces it when {@code force}. */
    void write(FileChannel ch, boolean force) throws IOException {
        byte[] json = toJson().encode().getBytes(StandardCharsets.UTF_8);
        if (json.length + 10 > SLOT) {
            throw new IOException("checkpoint of " + json.length + " bytes exceeds its " + SLOT + "-byte slot "
                + "(input name too long?)");
        }
        CRC32 crc = new CRC32();
        crc.update(json);
        byte[] slot = new byte[SLOT];
        Arrays.fill(slot, (byte) ' ');
        System.arraycopy(json, 0, slot, 0, json.length);
        slot[json.length] = '\n';
        byte[] sum = String.format("%08x", crc.getValue()).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(sum, 0, slot, json.length + 1, 8);
        slot[json.length + 9] = '\n';
        ByteBuffer buf = ByteBuffer.wrap(slot);
        long pos = (generation & 1) * SLOT;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
        if (force) {
            ch.force(false);
        }
    }

    /** The valid slot with the highest generation, or null when neither slot is valid (or no file). */
    static Checkpoint read(FileChannel ch) throws IOException {
        Checkpoint best = null;
        for (int s = 0; s < 2; s++) {
            Checkpoint c = readSlot(ch, s * (long) SLOT);
            if (c != null && (best == null || c.generation > best.generation)) {
                best = c;
            }
        }
        return best;
    }

    private static Checkpoint readSlot(FileChannel ch, long pos) throws IOException {
        if (ch.size() < pos + 10) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(SLOT, ch.size() - pos));
        while (buf.hasRemaining() && ch.read(buf, pos + buf.position()) > 0) {
            // read the whole slot
        }
        byte[] b = buf.array();
        int nl = 0;
        while (nl < buf.position() && b[nl] != '\n') {
            nl++;
        }
        if (nl + 9 >= buf.position()) {
            return null;
        }
        CRC32 crc = new CRC32();
        crc.update(b, 0, nl);
        String sum = new String(b, nl + 1, 8, StandardCharsets.US_ASCII);
        if (!sum.equals(String.format("%08x", crc.getValue()))) {
            return null; // torn or never written
        }
        try {
            return fromJson(new JsonObject(new String(b, 0, nl, StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
