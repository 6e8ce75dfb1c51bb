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
 * far into its input the run got, and (ring pipeline) how many batches the chain has numbered, so
 * that a later run goes on numbering from there ({@code batches}; -1 when not recorded, as in
 * directories written before it existed: a run then numbers from 0). Immutable value; {@link #write} and {@link #read} do the I/O.
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
                  long openCycleBytes, byte[] head, InputMark input, long batches) {

    static final int SLOT = 4096;

    /** The first checkpoint of a new directory, whose lockchain file holds only its header. */
    static Checkpoint initial(long headerBytes) {
        return new Checkpoint(0, 0, 0, 0, headerBytes, 0, new byte[32], null, -1);
    }

    Checkpoint next(long receipts, long receiptsBytes, long cycles, long chainBytes, long openCycleBytes,
                    byte[] head, InputMark input) {
        return next(receipts, receiptsBytes, cycles, chainBytes, openCycleBytes, head, input, batches);
    }

    Checkpoint next(long receipts, long receiptsBytes, long cycles, long chainBytes, long openCycleBytes,
                    byte[] head, InputMark input, long batches) {
        return new Checkpoint(generation + 1, receipts, receiptsBytes, cycles, chainBytes, openCycleBytes, head,
            input, batches);
    }

    JsonObject toJson() {
        JsonObject j = new JsonObject().put("generation", generation).put("receipts", receipts)
            .put("receiptsBytes", receiptsBytes).put("cycles", cycles).put("chainBytes", chainBytes)
            .put("openCycleBytes", openCycleBytes).put("head", Hex.of(head));
        if (input != null) {
            j.put("input", input.toJson());
        }
        if (batches >= 0) {
            j.put("batches", batches);
        }
        return j;
    }

    private static final String[] COUNTS = {"generation", "receipts", "receiptsBytes", "cycles", "chainBytes",
        "openCycleBytes"};

    /**
     * Reads a slot's JSON strictly, as the verifier reads receipts: every count once, an integer in
     * [0, 2^63 - 1] (never narrowed), the head 64 hex digits, nothing unknown.
     *
     * @throws IllegalArgumentException naming the field and what is wrong
     */
    static Checkpoint parse(byte[] b, int off, int len) {
        var f = new Object() {
            final long[] counts = {-1, -1, -1, -1, -1, -1};
            byte[] head;
            InputMark input;
            long batches = -1;
        };
        StrictJson.object(b, off, len, (name, p, v) -> {
            if (name.equals("head")) {
                f.head = StrictJson.hash(p, v, name);
            } else if (name.equals("input")) {
                f.input = InputMark.parse(p, v);
            } else if (name.equals("batches")) {
                f.batches = StrictJson.integer(p, v, name, 0, Long.MAX_VALUE); // optional: absent before it existed
            } else {
                int i = Arrays.asList(COUNTS).indexOf(name);
                if (i < 0) {
                    throw StrictJson.unknown(name);
                }
                f.counts[i] = StrictJson.integer(p, v, name, 0, Long.MAX_VALUE);
            }
        });
        for (int i = 0; i < COUNTS.length; i++) {
            if (f.counts[i] < 0) {
                throw new IllegalArgumentException("field \"" + COUNTS[i] + "\" missing");
            }
        }
        if (f.head == null) {
            throw new IllegalArgumentException("field \"head\" missing");
        }
        long[] c = f.counts;
        return new Checkpoint(c[0], c[1], c[2], c[3], c[4], c[5], f.head, f.input, f.batches);
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

    /** {@link #read(FileChannel, String)} naming the file by its plain name. */
    static Checkpoint read(FileChannel ch) throws IOException {
        return read(ch, ReceiptStore.CHECKPOINT);
    }

    /**
     * The valid slot with the highest generation, or null when neither slot is valid (or no file).
     * A slot whose CRC does not match is torn or was never written, and is skipped.
     *
     * @throws StoreException naming {@code file}, the slot and the field, when a slot's CRC matches
     *     but its JSON is not a checkpoint (the file was edited, not torn)
     */
    static Checkpoint read(FileChannel ch, String file) throws IOException {
        Checkpoint best = null;
        for (int s = 0; s < 2; s++) {
            Checkpoint c = readSlot(ch, s * (long) SLOT, file + " slot " + (char) ('A' + s) + " (byte " + s * SLOT + ")");
            if (c != null && (best == null || c.generation > best.generation)) {
                best = c;
            }
        }
        return best;
    }

    private static Checkpoint readSlot(FileChannel ch, long pos, String where) throws IOException {
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
            return parse(b, 0, nl);
        } catch (IllegalArgumentException e) {
            throw new StoreException(where + ": its CRC matches but it is not a checkpoint: " + e.getMessage()
                + " (the file was edited, not torn)", e);
        }
    }
}
