package io.github.hotpool.pipeline.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.hotpool.core.Receipt;
import io.github.hotpool.triples.ReceiptRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code receipts.jsonl}: written field by field into a {@link ByteSink} (no object
 * tree per receipt), and read back strictly (every field present once, integers integral and in
 * range, hex fields 16 digits, nothing unknown). A reader instance is single-threaded and reused.
 *
 * <pre>
 * {"chainCycle":C,"cycle":N,"shard":N,"hookId":N,"hook":"name","ticks":N,"actualTicks":N,
 *  "lanes":N,"flags":N,"spanId":"16 hex","aHash":"16 hex","result":"16 hex"[,"subjects":["16 hex",...]]}
 * </pre>
 */
final class ReceiptLine {

    private static final String[] FIELDS = {"chainCycle", "cycle", "shard", "hookId", "hook", "ticks",
        "actualTicks", "lanes", "flags", "spanId", "aHash", "result"};
    /** Fields of a line before its optional subjects; {@link ByteSink#fields} holds their values. */
    static final int FIELD_COUNT = FIELDS.length;

    long chainCycle;
    long cycle;
    int shard;
    int hookId;
    String hook;
    long ticks;
    long actualTicks;
    int lanes;
    int flags;
    long spanId;
    long aHash;
    long result;
    /** Subject term ids of a fired receipt (format 2) or names (format 1), as written. */
    final List<String> subjects = new ArrayList<>();
    /** The bits of {@link #FIELDS} the line being parsed has set so far. */
    private int seen;

    /** What {@link #begin} writes before each field's value: {@code {"chainCycle":}, {@code ,"cycle":}, ... */
    private static final byte[][] PREFIXES = new byte[FIELD_COUNT][];

    static {
        for (int i = 0; i < FIELDS.length; i++) {
            PREFIXES[i] = ((i == 0 ? "{\"" : ",\"") + FIELDS[i] + "\":").getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Index in {@link #FIELDS} of the hook's name; the fields from {@link #FIRST_HEX} on are hex. */
    private static final int HOOK = 4;
    private static final int FIRST_HEX = 9;

    /**
     * Writes the line of {@code r}, sealed into chain cycle {@code chainCycle}, up to its subjects.
     *
     * <p>One loop over the fields, not one statement per field: written out, the twelve fields
     * inlined eight decimal loops, three hex loops and the string encoder into one method, which C2
     * compiled to about 42 KB of code in a quarter of a second and a 29 MB arena on every run
     * (JFR's compilation events; {@code -XX:CompileCommand=memstat} on Temurin 25). The loop
     * inlines each encoder once; the bytes are the same.
     */
    static void begin(ByteSink out, long chainCycle, Receipt r, String hookName) {
        long[] v = out.fields;
        v[0] = chainCycle;
        v[1] = r.cycleId();
        v[2] = r.shardId();
        v[3] = r.hookId();
        v[5] = r.ticks();
        v[6] = r.actualTicks();
        v[7] = r.lanes();
        v[8] = r.flags();
        v[9] = r.spanId();
        v[10] = r.aHash();
        v[11] = r.result();
        for (int i = 0; i < PREFIXES.length; i++) {
            byte[] prefix = PREFIXES[i];
            out.append(prefix, 0, prefix.length);
            if (i == HOOK) {
                out.jsonString(hookName);
            } else if (i >= FIRST_HEX) {
                out.hexString(v[i]);
            } else {
                out.decimal(v[i]);
            }
        }
    }

    /** Opens the optional subjects array. */
    static void openSubjects(ByteSink out) {
        out.ascii(",\"subjects\":[");
    }

    /** Appends one subject's term id (16 hex digits); {@code first} omits the separator. */
    static void subject(ByteSink out, long id, boolean first) {
        if (!first) {
            out.append((byte) ',');
        }
        out.hexString(id);
    }

    static void closeSubjects(ByteSink out) {
        out.append((byte) ']');
    }

    /** Closes the object and ends the line. */
    static void end(ByteSink out) {
        out.append((byte) '}').append((byte) '\n');
    }

    /** The 64-byte record of format 1 (the fields a format-1 leaf hashed). */
    void record(byte[] dst) {
        ReceiptRecord.encode(cycle, shard, hookId, ticks, actualTicks, lanes, flags, spanId, aHash, result, dst, 0);
    }

    /**
     * Reads one line (without its line break) into this holder.
     *
     * @throws IllegalArgumentException naming the field and what is wrong
     */
    void parse(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] == 0) {
                throw new IllegalArgumentException("NUL byte at column " + (i - off + 1) + " (a torn write?)");
            }
        }
        subjects.clear();
        hook = null;
        seen = 0;
        StrictJson.object(b, off, len, this::field);
        int required = (1 << FIELDS.length) - 1;
        if ((seen & required) != required) {
            for (int i = 0; i < FIELDS.length; i++) {
                if ((seen & 1 << i) == 0) {
                    throw new IllegalArgumentException("field \"" + FIELDS[i] + "\" missing");
                }
            }
        }
    }

    /** Reads one field of {@link #parse} into this holder and notes it as seen. */
    private void field(String name, JsonParser p, JsonToken v) throws IOException {
        seen |= bit(name);
        switch (name) {
            case "chainCycle" -> chainCycle = StrictJson.integer(p, v, name, 0, Long.MAX_VALUE);
            case "cycle" -> cycle = StrictJson.int64(p, v, name);
            case "shard" -> shard = StrictJson.int32(p, v, name);
            case "hookId" -> hookId = StrictJson.int32(p, v, name);
            case "hook" -> hook = StrictJson.textOrNull(p, v, name);
            case "ticks" -> ticks = StrictJson.int64(p, v, name);
            case "actualTicks" -> actualTicks = StrictJson.int64(p, v, name);
            case "lanes" -> lanes = StrictJson.int32(p, v, name);
            case "flags" -> flags = StrictJson.int32(p, v, name);
            case "spanId" -> spanId = StrictJson.hex64(p, v, name);
            case "aHash" -> aHash = StrictJson.hex64(p, v, name);
            case "result" -> result = StrictJson.hex64(p, v, name);
            case "subjects" -> subjects(p, v);
            default -> throw StrictJson.unknown(name);
        }
    }

    private static int bit(String name) {
        for (int i = 0; i < FIELDS.length; i++) {
            if (FIELDS[i].equals(name)) {
                return 1 << i;
            }
        }
        return 0;
    }

    private void subjects(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("field \"subjects\" is not an array");
        }
        while (p.nextToken() == JsonToken.VALUE_STRING) {
            subjects.add(p.getText());
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new IllegalArgumentException("field \"subjects\" holds a " + p.currentToken() + ", not strings");
        }
    }
}
