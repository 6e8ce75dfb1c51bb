package io.github.hotpool.pipeline.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.HexFormat;

/**
 * The store's one strict reader of JSON objects (receipt, seal and header lines, checkpoint
 * slots): each field once, nothing unknown, nothing after the object, and typed field readers
 * that never narrow a value. What was written is hashed or counted, so a value that only reads
 * as the same (2.0 for 2, a repeated key) must be refused, not normalised. Errors are
 * {@link IllegalArgumentException}s naming the field and what is wrong. Stateless; cold path.
 */
final class StrictJson {

    /**
     * Handles one field of an object; throws {@link #unknown} for a name it does not know. A
     * reader keeps what it reads in a local holder ({@code var f = new Object() { ... }}), as a
     * lambda cannot assign the reader's locals; it checks afterwards that nothing is missing.
     */
    @FunctionalInterface
    interface Fields {
        /** Reads field {@code name}, whose value starts at {@code value} (the parser's current token). */
        void field(String name, JsonParser p, JsonToken value) throws IOException;
    }

    private static final JsonFactory FACTORY = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private StrictJson() {
    }

    /**
     * Reads {@code len} bytes at {@code off} as one JSON object, handing each field to
     * {@code fields}; the caller checks afterwards that every field it needs was there.
     *
     * @throws IllegalArgumentException naming what is wrong (the parser's own message for a
     *     repeated key or malformed JSON)
     */
    static void object(byte[] b, int off, int len, Fields fields) {
        try (JsonParser p = FACTORY.createParser(b, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            members(p, null, fields);
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalArgumentException("trailing content after the object");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Reads the object that is field {@code name}'s value ({@code value}, the parser's current
     * token) the same way, naming each of its fields {@code name.field} so that messages say
     * where it sits; the parser is left at the object's end.
     */
    static void object(JsonParser p, JsonToken value, String name, Fields fields) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("field \"" + name + "\" is " + p.getText() + ", not an object");
        }
        members(p, name + ".", fields);
    }

    private static void members(JsonParser p, String prefix, Fields fields) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = prefix == null ? p.currentName() : prefix + p.currentName();
            fields.field(name, p, p.nextToken());
        }
    }

    /** The error for a field no reader knows. */
    static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("unknown field \"" + name + "\"");
    }

    /**
     * An integer field in [min, max], never narrowed: 1.0, 2^64 and, for an int, 2^32 + 2 are
     * refused, not read as 1, 0 and 2.
     */
    static long integer(JsonParser p, JsonToken v, String name, long min, long max) throws IOException {
        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            || p.getLongValue() < min || p.getLongValue() > max) {
            throw new IllegalArgumentException("field \"" + name + "\" is " + p.getText() + ", " + limit(v, min, max));
        }
        return p.getLongValue();
    }

    /** What an integer field must be: the whole of a long or an int is named by its width. */
    private static String limit(JsonToken v, long min, long max) {
        String width = min == Long.MIN_VALUE && max == Long.MAX_VALUE ? "64"
            : min == Integer.MIN_VALUE && max == Integer.MAX_VALUE ? "32" : null;
        if (width == null) {
            return "not an integer in [" + min + ", " + max + "]";
        }
        return v == JsonToken.VALUE_NUMBER_INT ? "outside " + width + " bits" : "not an integer";
    }

    /** An integer field of 64 bits. */
    static long int64(JsonParser p, JsonToken v, String name) throws IOException {
        return integer(p, v, name, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** An integer field of 32 bits. */
    static int int32(JsonParser p, JsonToken v, String name) throws IOException {
        return (int) integer(p, v, name, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** A string field. */
    static String text(JsonParser p, JsonToken v, String name) throws IOException {
        if (v != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("field \"" + name + "\" is " + p.getText() + ", not a string");
        }
        return p.getText();
    }

    /** A string field that may be null. */
    static String textOrNull(JsonParser p, JsonToken v, String name) throws IOException {
        return v == JsonToken.VALUE_NULL ? null : text(p, v, name);
    }

    /** A boolean field. */
    static boolean bool(JsonParser p, JsonToken v, String name) throws IOException {
        if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) {
            throw new IllegalArgumentException("field \"" + name + "\" is " + p.getText() + ", not true or false");
        }
        return v == JsonToken.VALUE_TRUE;
    }

    /** A long written as 16 hex digits (a span id or 64-bit hash). */
    static long hex64(JsonParser p, JsonToken v, String name) throws IOException {
        String s = text(p, v, name);
        if (s.length() != 16) {
            throw new IllegalArgumentException("field \"" + name + "\" is \"" + s + "\", not 16 hex digits");
        }
        long x = 0;
        for (int i = 0; i < 16; i++) {
            char c = s.charAt(i);
            // exactly the lower-case ASCII digits the store writes: another spelling of the same
            // value is another line (format 1 hashes only the value, so it must be refused here)
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (d < 0) {
                throw new IllegalArgumentException("field \"" + name + "\" is \"" + s
                    + "\", not 16 lower-case hex digits");
            }
            x = x << 4 | d;
        }
        return x;
    }

    /**
     * A 32-byte hash written as 64 hex digits. The message leaves the value out: a wrong one may
     * be as long as a line.
     */
    static byte[] hash(JsonParser p, JsonToken v, String name) throws IOException {
        String s = text(p, v, name);
        if (s.length() != 64 || !s.chars().allMatch(HexFormat::isHexDigit)) {
            throw new IllegalArgumentException("field \"" + name + "\" is not 64 hex digits");
        }
        return Hex.parse(s);
    }
}
