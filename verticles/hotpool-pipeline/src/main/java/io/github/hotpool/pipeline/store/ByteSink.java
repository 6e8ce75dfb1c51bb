package io.github.hotpool.pipeline.store;

import java.nio.charset.StandardCharsets;

/**
 * A growable byte array that lines are encoded into and written from; reused across flushes, so
 * once it has grown to a run's working size, encoding allocates nothing. Single-threaded.
 */
final class ByteSink {

    // The store's text hex goes through HexFormat (Hex); these digits write hex straight into the
    // line's bytes, because every receipt line carries hex fields and HexFormat can only produce
    // chars (a String or an Appendable), which would allocate per field on Emit's path.
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    byte[] bytes;
    int length;
    /** Scratch for the numeric fields of a receipt line ({@link ReceiptLine#begin}), reused. */
    final long[] fields = new long[ReceiptLine.FIELD_COUNT];

    ByteSink(int initialCapacity) {
        bytes = new byte[initialCapacity];
    }

    void clear() {
        length = 0;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            byte[] grown = new byte[Math.max(bytes.length * 2, length + more)];
            System.arraycopy(bytes, 0, grown, 0, length);
            bytes = grown;
        }
    }

    ByteSink append(byte b) {
        ensure(1);
        bytes[length++] = b;
        return this;
    }

    /** Appends ASCII text (field names and other constants; no escaping). */
    ByteSink ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[length++] = (byte) s.charAt(i);
        }
        return this;
    }

    ByteSink append(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, length, len);
        length += len;
        return this;
    }

    /** Appends {@code v} in decimal, as JSON writes an integer. */
    ByteSink decimal(long v) {
        if (v == Long.MIN_VALUE) {
            return ascii("-9223372036854775808");
        }
        ensure(20);
        if (v < 0) {
            bytes[length++] = '-';
            v = -v;
        }
        int start = length;
        do {
            bytes[length++] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        for (int i = start, j = length - 1; i < j; i++, j--) {
            byte t = bytes[i];
            bytes[i] = bytes[j];
            bytes[j] = t;
        }
        return this;
    }

    /** Appends {@code v} as a JSON string of 16 lower-case hex digits. */
    ByteSink hexString(long v) {
        ensure(18);
        bytes[length++] = '"';
        for (int shift = 60; shift >= 0; shift -= 4) {
            bytes[length++] = HEX[(int) (v >>> shift) & 0xF];
        }
        bytes[length++] = '"';
        return this;
    }

    /** Appends {@code b} as lower-case hex digits, without quotes. */
    ByteSink hex(byte[] b, int off, int len) {
        ensure(len * 2);
        for (int i = off; i < off + len; i++) {
            bytes[length++] = HEX[b[i] >>> 4 & 0xF];
            bytes[length++] = HEX[b[i] & 0xF];
        }
        return this;
    }

    /**
     * Appends valid UTF-8 bytes as a JSON string: the bytes {@link #jsonString(String)} writes for the
     * text they encode (quotes, backslashes and control characters escaped, the rest as is).
     */
    ByteSink jsonUtf8(byte[] utf8, int n) {
        ensure(n * 6 + 2);
        bytes[length++] = '"';
        for (int i = 0; i < n; i++) {
            byte c = utf8[i];
            if (c == '"' || c == '\\') {
                bytes[length++] = '\\';
                bytes[length++] = c;
            } else if (c >= 0 && c < 0x20) {
                bytes[length++] = '\\';
                bytes[length++] = 'u';
                bytes[length++] = '0';
                bytes[length++] = '0';
                bytes[length++] = HEX[c >>> 4];
                bytes[length++] = HEX[c & 0xF];
            } else {
                bytes[length++] = c;
            }
        }
        bytes[length++] = '"';
        return this;
    }

    /** Appends {@code s} as a JSON string (RFC 8259 escapes, UTF-8), or {@code null}. */
    ByteSink jsonString(String s) {
        if (s == null) {
            return ascii("null");
        }
        ensure(s.length() * 3 + 2);
        bytes[length++] = '"';
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                ensure(2 + (n - i) * 3);
                bytes[length++] = '\\';
                bytes[length++] = (byte) c;
            } else if (c < 0x20) {
                ensure(6 + (n - i) * 3);
                bytes[length++] = '\\';
                bytes[length++] = 'u';
                bytes[length++] = '0';
                bytes[length++] = '0';
                bytes[length++] = HEX[c >>> 4];
                bytes[length++] = HEX[c & 0xF];
            } else if (c < 0x80) {
                bytes[length++] = (byte) c;
            } else if (c < 0x800) {
                bytes[length++] = (byte) (0xC0 | c >>> 6);
                bytes[length++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                ensure(4 + (n - i) * 3);
                bytes[length++] = (byte) (0xF0 | cp >>> 18);
                bytes[length++] = (byte) (0x80 | cp >>> 12 & 0x3F);
                bytes[length++] = (byte) (0x80 | cp >>> 6 & 0x3F);
                bytes[length++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                ensure(6 + (n - i) * 3);
                bytes[length++] = '\\';
                bytes[length++] = 'u';
                for (int shift = 12; shift >= 0; shift -= 4) {
                    bytes[length++] = HEX[c >>> shift & 0xF];
                }
            } else {
                bytes[length++] = (byte) (0xE0 | c >>> 12);
                bytes[length++] = (byte) (0x80 | c >>> 6 & 0x3F);
                bytes[length++] = (byte) (0x80 | c & 0x3F);
            }
        }
        bytes[length++] = '"';
        return this;
    }
}
