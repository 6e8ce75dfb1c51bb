package io.github.hotpool.triples;

import java.nio.charset.StandardCharsets;

/**
 * Scans one N-Triples line and turns each term into its canonical bytes and id; not thread-safe.
 *
 * <p>All state lives in fields sized at construction, so scanning allocates nothing unless the
 * input is bad (the exception, with its message, is the only allocation).
 */
final class StatementScanner {

    /*
     * Canonical form written into `canon` for each term (it is also what the term table stores):
     *   IRI      '<' + IRI code points as UTF-8 (UCHAR escapes decoded) + '>'
     *   bnode    '_:' + label as written
     *   literal  '"' + lexical form with only '"', '\', LF, CR escaped as \" \\ \n \r, every
     *            other code point raw UTF-8 + '"', then '@' + lower-cased language tag, or
     *            '^^' + canonical datatype IRI; the datatype is dropped when it is xsd:string.
     * The canonical form of a term is never longer than its source text, so `canon` needs no
     * more room than the longest line.
     */

    private static final byte[] XSD_STRING =
            "<http://www.w3.org/2001/XMLSchema#string>".getBytes(StandardCharsets.US_ASCII);
    private static final boolean[] IRI_ASCII_OK = new boolean[128];

    static {
        for (int c = 0x21; c < 128; c++) {
            IRI_ASCII_OK[c] = true;
        }
        for (char c : "<>\"{}|^`\\".toCharArray()) {
            IRI_ASCII_OK[c] = false;
        }
    }

    final byte[] canon;
    int canonLen;

    private long line;
    private int lineStart;
    /** Code point decoded by the last utf8/uchar call. */
    private int cp;
    private TermTable terms;

    long s;
    long p;
    long o;

    StatementScanner(int maxLineLength) {
        this.canon = new byte[maxLineLength + 16];
    }

    void terms(TermTable terms) {
        this.terms = terms;
    }

    /**
     * Scans {@code b[start, end)} (one line without its terminator). Returns true when it held a
     * triple (ids in s, p, o), false for an empty or comment-only line.
     */
    boolean scanLine(byte[] b, int start, int end, long lineNo) {
        this.line = lineNo;
        this.lineStart = start;
        int i = ws(b, start, end);
        if (i == end) {
            return false;
        }
        if (b[i] == '#') {
            comment(b, i, end);
            return false;
        }
        i = subject(b, i, end);
        s = id();
        i = ws(b, i, end);
        if (i == end || b[i] != '<') {
            throw err(i, "expected '<' to start the predicate IRI");
        }
        i = iri(b, i, end, 0);
        p = id();
        i = ws(b, i, end);
        i = object(b, i, end);
        o = id();
        i = ws(b, i, end);
        if (i == end || b[i] != '.') {
            throw err(i, "expected '.' to end the triple");
        }
        i = ws(b, i + 1, end);
        if (i < end) {
            if (b[i] != '#') {
                throw err(i, "unexpected text after '.'");
            }
            comment(b, i, end);
        }
        return true;
    }

    /** Scans exactly one term filling {@code b[0, len)}; for configuration and tests (cold). */
    long scanTerm(byte[] b, int len) {
        this.line = 1;
        this.lineStart = 0;
        if (len == 0) {
            throw err(0, "empty term");
        }
        int i = object(b, 0, len);
        if (i != len) {
            throw err(i, "unexpected text after the term");
        }
        return id();
    }

    private long id() {
        long id = Fnv1a64.termId(canon, 0, canonLen);
        if (terms != null) {
            terms.record(id, canon, 0, canonLen);
        }
        return id;
    }

    private int subject(byte[] b, int i, int end) {
        byte c = b[i];
        if (c == '<') {
            return iri(b, i, end, 0);
        }
        if (c == '_') {
            return bnode(b, i, end);
        }
        throw err(i, "expected '<' or '_:' to start the subject");
    }

    private int object(byte[] b, int i, int end) {
        if (i == end) {
            throw err(i, "expected the object");
        }
        byte c = b[i];
        if (c == '<') {
            return iri(b, i, end, 0);
        }
        if (c == '_') {
            return bnode(b, i, end);
        }
        if (c == '"') {
            return literal(b, i, end);
        }
        throw err(i, "expected '<', '_:' or '\"' to start the object");
    }

    private static int ws(byte[] b, int i, int end) {
        while (i < end && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    private void comment(byte[] b, int i, int end) {
        while (i < end) {
            i = (b[i] & 0x80) == 0 ? i + 1 : utf8(b, i, end);
        }
    }

    /** IRIREF at b[i] == '<', canonical form written at canon[c0]; returns the index after '>'. */
    private int iri(byte[] b, int i, int end, int c0) {
        final int start = i;
        int c = c0;
        canon[c++] = '<';
        i++;
        int scheme = 0; // 0: expect first letter, 1: in scheme, 2: saw ':', -1: no scheme
        while (true) {
            if (i >= end) {
                throw err(start, "unterminated IRI");
            }
            int x = b[i] & 0xFF;
            if (x == '>') {
                break;
            }
            int at = i;
            if (x == '\\') {
                i = uchar(b, i, end, false);
                if (cp < 128 && !IRI_ASCII_OK[cp]) {
                    throw err(at, "escape " + hex(cp) + " gives a character not allowed in an IRI");
                }
                c = putUtf8(c, cp);
            } else if (x < 0x80) {
                if (!IRI_ASCII_OK[x]) {
                    throw err(at, "character " + hex(x) + " not allowed in an IRI");
                }
                cp = x;
                canon[c++] = (byte) x;
                i++;
            } else {
                i = utf8(b, i, end);
                System.arraycopy(b, at, canon, c, i - at);
                c += i - at;
            }
            if (scheme >= 0 && scheme < 2) {
                scheme = schemeStep(scheme, cp);
            }
        }
        if (scheme != 2) {
            throw err(start, "relative IRI not allowed in N-Triples (no scheme)");
        }
        canon[c++] = '>';
        canonLen = c;
        return i + 1;
    }

    private static int schemeStep(int state, int c) {
        boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (state == 0) {
            return letter ? 1 : -1;
        }
        if (c == ':') {
            return 2;
        }
        return letter || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.' ? 1 : -1;
    }

    private int bnode(byte[] b, int i, int end) {
        if (i + 1 >= end || b[i + 1] != ':') {
            throw err(i, "expected ':' after '_' in a blank node label");
        }
        final int labelStart = i + 2;
        int j = labelStart;
        int lastNonDot = -1;
        while (j < end) {
            int x = b[j] & 0xFF;
            int next;
            if (x < 0x80) {
                cp = x;
                next = j + 1;
            } else {
                next = utf8(b, j, end);
            }
            boolean ok = j == labelStart ? bnodeFirst(cp) : (cp == '.' || bnodeRest(cp));
            if (!ok) {
                break;
            }
            if (cp != '.') {
                lastNonDot = next;
            }
            j = next;
        }
        if (lastNonDot < 0) {
            throw err(labelStart, "empty or invalid blank node label");
        }
        // a label may hold '.' but not end with it: trailing dots belong to the statement
        int len = lastNonDot - i;
        System.arraycopy(b, i, canon, 0, len);
        canonLen = len;
        return lastNonDot;
    }

    private static boolean bnodeFirst(int c) {
        return pnCharsBase(c) || c == '_' || (c >= '0' && c <= '9');
    }

    private static boolean bnodeRest(int c) {
        return pnCharsBase(c) || c == '_' || c == '-' || (c >= '0' && c <= '9') || c == 0xB7
                || (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
    }

    private static boolean pnCharsBase(int c) {
        if (c < 0x80) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }
        return (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF)
                || (c >= 0x370 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF)
                || (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F)
                || (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF)
                || (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0xEFFFF);
    }

    private int literal(byte[] b, int i, int end) {
        final int start = i;
        int c = 0;
        canon[c++] = '"';
        i++;
        while (true) {
            if (i >= end) {
                throw err(start, "unterminated string literal");
            }
            int x = b[i] & 0xFF;
            if (x == '"') {
                break;
            }
            if (x == '\\') {
                i = escape(b, i, end);
                c = putLiteralChar(c, cp);
            } else if (x < 0x80) {
                c = putLiteralChar(c, x);
                i++;
            } else {
                int at = i;
                i = utf8(b, i, end);
                System.arraycopy(b, at, canon, c, i - at);
                c += i - at;
            }
        }
        canon[c++] = '"';
        i++;
        if (i < end && b[i] == '@') {
            return langTag(b, i, end, c);
        }
        if (i < end && b[i] == '^') {
            if (i + 2 >= end || b[i + 1] != '^' || b[i + 2] != '<') {
                throw err(i, "expected '^^<' before a datatype IRI");
            }
            canon[c] = '^';
            canon[c + 1] = '^';
            i = iri(b, i + 2, end, c + 2);
            if (regionEquals(c + 2, canonLen, XSD_STRING)) {
                canonLen = c; // "a"^^xsd:string and "a" are the same RDF term
            }
            return i;
        }
        canonLen = c;
        return i;
    }

    private boolean regionEquals(int from, int to, byte[] expected) {
        if (to - from != expected.length) {
            return false;
        }
        for (int k = 0; k < expected.length; k++) {
            if (canon[from + k] != expected[k]) {
                return false;
            }
        }
        return true;
    }

    private int langTag(byte[] b, int i, int end, int c) {
        final int start = i;
        canon[c++] = '@';
        i++;
        int partLen = 0;
        boolean first = true;
        while (i < end) {
            int x = b[i];
            boolean letter = (x >= 'a' && x <= 'z') || (x >= 'A' && x <= 'Z');
            boolean digit = x >= '0' && x <= '9';
            if (letter || (digit && !first)) {
                canon[c++] = (byte) (x >= 'A' && x <= 'Z' ? x + 32 : x);
                partLen++;
            } else if (x == '-' && partLen > 0) {
                canon[c++] = '-';
                partLen = 0;
                first = false;
            } else {
                break;
            }
            i++;
        }
        if (partLen == 0) {
            throw err(start, "language tag must be letters, then '-'-separated letters or digits");
        }
        canonLen = c;
        return i;
    }

    private int putLiteralChar(int c, int ch) {
        switch (ch) {
            case '"': return putEscape(c, '"');
            case '\\': return putEscape(c, '\\');
            case '\n': return putEscape(c, 'n');
            case '\r': return putEscape(c, 'r');
            default: return putUtf8(c, ch);
        }
    }

    private int putEscape(int c, char letter) {
        canon[c] = '\\';
        canon[c + 1] = (byte) letter;
        return c + 2;
    }

    private int putUtf8(int c, int ch) {
        if (ch < 0x80) {
            canon[c] = (byte) ch;
            return c + 1;
        }
        if (ch < 0x800) {
            canon[c] = (byte) (0xC0 | ch >>> 6);
            canon[c + 1] = (byte) (0x80 | ch & 0x3F);
            return c + 2;
        }
        if (ch < 0x10000) {
            canon[c] = (byte) (0xE0 | ch >>> 12);
            canon[c + 1] = (byte) (0x80 | ch >>> 6 & 0x3F);
            canon[c + 2] = (byte) (0x80 | ch & 0x3F);
            return c + 3;
        }
        canon[c] = (byte) (0xF0 | ch >>> 18);
        canon[c + 1] = (byte) (0x80 | ch >>> 12 & 0x3F);
        canon[c + 2] = (byte) (0x80 | ch >>> 6 & 0x3F);
        canon[c + 3] = (byte) (0x80 | ch & 0x3F);
        return c + 4;
    }

    /** String escape at b[i] == '\\': ECHAR or UCHAR; sets cp. */
    private int escape(byte[] b, int i, int end) {
        if (i + 1 >= end) {
            throw err(i, "incomplete escape at end of line");
        }
        switch (b[i + 1]) {
            case 't': cp = '\t'; return i + 2;
            case 'b': cp = '\b'; return i + 2;
            case 'n': cp = '\n'; return i + 2;
            case 'r': cp = '\r'; return i + 2;
            case 'f': cp = '\f'; return i + 2;
            case '"': cp = '"'; return i + 2;
            case '\'': cp = '\''; return i + 2;
            case '\\': cp = '\\'; return i + 2;
            default: return uchar(b, i, end, true);
        }
    }

    /** UCHAR at b[i] == '\\' ({@code \\uXXXX} or {@code \\UXXXXXXXX}); sets cp. */
    private int uchar(byte[] b, int i, int end, boolean inString) {
        int n;
        if (i + 1 < end && b[i + 1] == 'u') {
            n = 4;
        } else if (i + 1 < end && b[i + 1] == 'U') {
            n = 8;
        } else {
            throw err(i, inString ? "bad escape in string literal (allowed: \\t \\b \\n \\r \\f \\\" \\' \\\\ \\u \\U)"
                    : "only \\u and \\U escapes are allowed in an IRI");
        }
        if (i + 2 + n > end) {
            throw err(i, "incomplete \\" + (char) b[i + 1] + " escape: " + n + " hex digits expected");
        }
        int v = 0;
        for (int k = i + 2; k < i + 2 + n; k++) {
            int d = Character.digit(b[k], 16);
            if (d < 0) {
                throw err(k, "bad hex digit in \\" + (char) b[i + 1] + " escape");
            }
            v = v << 4 | d;
        }
        if (v < 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
            throw err(i, "escape " + hex(v) + " is not a Unicode scalar value");
        }
        cp = v;
        return i + 2 + n;
    }

    /** Decodes one UTF-8 sequence of 2..4 bytes at b[i] (lead byte >= 0x80); sets cp. */
    private int utf8(byte[] b, int i, int end) {
        int x = b[i] & 0xFF;
        int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (x >= 0xC2 && x <= 0xDF) {
            n = 1;
            cp = x & 0x1F;
        } else if (x >= 0xE0 && x <= 0xEF) {
            n = 2;
            cp = x & 0x0F;
            lo = x == 0xE0 ? 0xA0 : 0x80; // no overlongs
            hi = x == 0xED ? 0x9F : 0xBF; // no surrogates
        } else if (x >= 0xF0 && x <= 0xF4) {
            n = 3;
            cp = x & 0x07;
            lo = x == 0xF0 ? 0x90 : 0x80;
            hi = x == 0xF4 ? 0x8F : 0xBF; // nothing above U+10FFFF
        } else {
            throw err(i, "invalid UTF-8 lead byte " + hexByte(x));
        }
        if (i + n >= end) {
            throw err(i, "truncated UTF-8 sequence");
        }
        for (int k = 1; k <= n; k++) {
            int y = b[i + k] & 0xFF;
            if (y < lo || y > hi) {
                throw err(i + k, "invalid UTF-8 continuation byte " + hexByte(y));
            }
            lo = 0x80;
            hi = 0xBF;
            cp = cp << 6 | (y & 0x3F);
        }
        return i + n + 1;
    }

    private static String hexByte(int v) {
        return String.format("0x%02X", v);
    }

    private static String hex(int v) {
        return String.format("U+%04X", v);
    }

    NTriplesException err(int index, String reason) {
        return new NTriplesException(line, index - lineStart + 1, reason);
    }
}
