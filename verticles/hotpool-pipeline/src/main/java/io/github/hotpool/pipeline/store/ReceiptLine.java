package io.github.hotpool.pipeline.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.github.hotpool.core.Receipt;
import io.github.hotpool.triples.ReceiptRecord;
import java.io.IOException;
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

    static final JsonFactory STRICT = JsonFactory.builder()
        .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private static final String[] FIELDS = {"chainCycle", "cycle", "shard", "hookId", "hook", "ticks",
        "actualTicks", "lanes", "flags", "spanId", "aHash", "result"};

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

    /** Writes the line of {@code r}, sealed into chain cycle {@code chainCycle}, up to its subjects. */
    static void begin(ByteSink out, long chainCycle, Receipt r, String hookName) {
        out.ascii("{\"chainCycle\":").decimal(chainCycle)
            .ascii(",\"cycle\":").decimal(r.cycleId())
            .ascii(",\"shard\":").decimal(r.shardId())
            .ascii(",\"hookId\":").decimal(r.hookId())
            .ascii(",\"hook\":").jsonString(hookName)
            .ascii(",\"ticks\":").decimal(r.ticks())
            .ascii(",\"actualTicks\":").decimal(r.actualTicks())
            .ascii(",\"lanes\":").decimal(r.lanes())
            .ascii(",\"flags\":").decimal(r.flags())
            .ascii(",\"spanId\":").hexString(r.spanId())
            .ascii(",\"aHash\":").hexString(r.aHash())
            .ascii(",\"result\":").hexString(r.result());
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
        int seen = 0;
        try (JsonParser p = STRICT.createParser(b, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                int bit = field(name);
                seen |= bit;
                switch (name) {
                    case "chainCycle" -> chainCycle = nonNegative(p, name);
                    case "cycle" -> cycle = integer(p, name);
                    case "shard" -> shard = int32(p, name);
                    case "hookId" -> hookId = int32(p, name);
                    case "hook" -> hook = p.currentToken() == JsonToken.VALUE_NULL ? null : text(p, name);
                    case "ticks" -> ticks = integer(p, name);
                    case "actualTicks" -> actualTicks = integer(p, name);
                    case "lanes" -> lanes = int32(p, name);
                    case "flags" -> flags = int32(p, name);
                    case "spanId" -> spanId = hex64(p, name);
                    case "aHash" -> aHash = hex64(p, name);
                    case "result" -> result = hex64(p, name);
                    case "subjects" -> subjects(p);
                    default -> throw new IllegalArgumentException("unknown field \"" + name + "\"");
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalArgumentException("trailing content after the object");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        int required = (1 << FIELDS.length) - 1;
        if ((seen & required) != required) {
            for (int i = 0; i < FIELDS.length; i++) {
                if ((seen & 1 << i) == 0) {
                    throw new IllegalArgumentException("field \"" + FIELDS[i] + "\" missing");
                }
            }
        }
    }

    private static int field(String name) {
        for (int i = 0; i < FIELDS.length; i++) {
            if (FIELDS[i].equals(name)) {
                return 1 << i;
            }
        }
        return 0;
    }

    private void subjects(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("field \"subjects\" is not an array");
        }
        while (p.nextToken() == JsonToken.VALUE_STRING) {
            subjects.add(p.getText());
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new IllegalArgumentException("field \"subjects\" holds a " + p.currentToken() + ", not strings");
        }
    }

    private static long integer(JsonParser p, String name) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new IllegalArgumentException("field \"" + name + "\" is " + p.getText() + ", not an integer");
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new IllegalArgumentException("field \"" + name + "\" is " + p.getText() + ", outside 64 bits");
        }
        return p.getLongValue();
    }

    private static long nonNegative(JsonParser p, String name) throws IOException {
        long v = integer(p, name);
        if (v < 0) {
            throw new IllegalArgumentException("field \"" + name + "\" is " + v + ", below 0");
        }
        return v;
    }

    private static int int32(JsonParser p, String name) throws IOException {
        long v = integer(p, name);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("field \"" + name + "\" is " + v + ", outside 32 bits");
        }
        return (int) v;
    }

    private static String text(JsonParser p, String name) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("field \"" + name + "\" is " + p.getText() + ", not a string");
        }
        return p.getText();
    }

    private static long hex64(JsonParser p, String name) throws IOException {
        String s = text(p, name);
        if (s.length() != 16) {
            throw new IllegalArgumentException("field \"" + name + "\" is \"" + s + "\", not 16 hex digits");
        }
        long v = 0;
        for (int i = 0; i < 16; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                throw new IllegalArgumentException("field \"" + name + "\" is \"" + s + "\", not 16 hex digits");
            }
            v = v << 4 | d;
        }
        return v;
    }
}
