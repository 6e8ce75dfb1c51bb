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
     * Canonical form (RDF 1.2 canonical N-Triples) written into `canon` for each term; it is
     * also what the term table stores and what the id hashes:
     *   IRI          '<' + IRI code points as UTF-8 (UCHAR escapes decoded) + '>'
     *   bnode        '_:' + label as written
     *   literal      '"' + lexical form + '"', then '@' + lower-cased language tag (+ '--ltr' or
     *                '--rtl'), or '^^' + canonical datatype IRI; no datatype when it is xsd:string.
     *                In the lexical form '"' '\' LF CR TAB BS FF are written \" \\ \n \r \t \b \f,
     *                U+0000-U+001F (others), U+007F, U+FFFE and U+FFFF as \\uXXXX (upper-case
     *                hex), every other code point as raw UTF-8.
     *   triple term  '<<( ' + subject + ' ' + predicate + ' ' + object + ' )>>'
     * A line's terms are written one after another as the canonical line itself:
     *   canon = s ' ' p ' ' o ' ' '.' '\n'
     * so a canonical writer copies canon[0, lineLen) and each id hashes its own region. A
     * canonical form can be longer than its source (a raw control byte becomes six bytes
     * \\u0000, a triple term gains spaces), never more than 6 bytes per source byte; `canon` is
     * sized for that.
     */

    /** Deepest nesting of triple terms inside one object: {@code <<( s p <<( ... )>> )>>}. */
    static final int MAX_TRIPLE_TERM_DEPTH = 32;

    private static final byte[] XSD_STRING =
            "<http://www.w3.org/2001/XMLSchema#string>".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RDF_DIR_LANG_STRING =
            "<http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString>".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RDF_LANG_STRING =
            "<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString>".getBytes(StandardCharsets.US_ASCII);
    private static final boolean[] IRI_ASCII_OK = new boolean[128];
    /** Bytes copied as they are inside an IRI: allowed ASCII except '>' (ends) and '\' (escape). */
    private static final boolean[] IRI_PLAIN = new boolean[256];
    /** Bytes copied as they are inside a literal: printable ASCII except '"' and '\'. */
    private static final boolean[] LIT_PLAIN = new boolean[256];
    /** For ASCII in a lexical form that is not plain: the ECHAR letter, or 'u' for \\u00XX. */
    private static final byte[] LIT_ESCAPE = new byte[128];
    private static final byte[] HEX_UPPER = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    static {
        for (int c = 0x21; c < 128; c++) {
            IRI_ASCII_OK[c] = true;
        }
        for (char c : "<>\"{}|^`\\".toCharArray()) {
            IRI_ASCII_OK[c] = false;
        }
        for (int c = 0; c < 128; c++) {
            IRI_PLAIN[c] = IRI_ASCII_OK[c];
        }
        for (int c = 0x20; c < 0x7F; c++) {
            LIT_PLAIN[c] = c != '"' && c != '\\';
        }
        for (int c = 0; c < 0x20; c++) {
            LIT_ESCAPE[c] = 'u';
        }
        LIT_ESCAPE[0x7F] = 'u';
        LIT_ESCAPE['\b'] = 'b';
        LIT_ESCAPE['\t'] = 't';
        LIT_ESCAPE['\n'] = 'n';
        LIT_ESCAPE['\f'] = 'f';
        LIT_ESCAPE['\r'] = 'r';
        LIT_ESCAPE['"'] = '"';
        LIT_ESCAPE['\\'] = '\\';
    }

    final byte[] canon;
    /** End of the last term written (after {@link #scanTerm}: the term's length). */
    int canonLen;
    /** After a {@link #scanLine} that returned true: length of the canonical line in canon. */
    int lineLen;

    private long line;
    private int lineStart;
    /** Write position in canon. */
    private int w;
    /** Code point decoded by the last utf8/uchar call. */
    private int cp;
    private TermTable terms;
    private final TermHasher hasher = new TermHasher();
    /** False when only validation and canonical lines are wanted: no ids are computed (s, p, o stay 0). */
    private boolean hashing = true;

    long s;
    long p;
    long o;

    StatementScanner(int maxLineLength) {
        this.canon = new byte[6 * maxLineLength + 32];
    }

    void terms(TermTable terms) {
        this.terms = terms;
    }

    void hashing(boolean on) {
        this.hashing = on;
    }

    /**
     * Scans {@code b[start, end)} (one line without its terminator). Returns true when it held a
     * triple (ids in s, p, o; the canonical line in canon[0, lineLen)), false for an empty or
     * comment-only line.
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
        w = 0;
        if (b[i] == 'V') {
            version(b, i, end);
            return false;
        }
        i = subject(b, i, end);
        final int sEnd = w;
        canon[w++] = ' ';
        final int pFrom = w;
        i = predicate(b, ws(b, i, end), end);
        final int pEnd = w;
        canon[w++] = ' ';
        final int oFrom = w;
        i = object(b, ws(b, i, end), end, 0);
        canonLen = w;
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
        if (hashing) {
            hasher.ids(canon, sEnd, pFrom, pEnd, oFrom, w);
            s = hasher.s;
            p = hasher.p;
            o = hasher.o;
            if (terms != null) {
                terms.record(s, canon, 0, sEnd);
                terms.record(p, canon, pFrom, pEnd - pFrom);
                terms.record(o, canon, oFrom, w - oFrom);
            }
        }
        canon[w] = ' ';
        canon[w + 1] = '.';
        canon[w + 2] = '\n';
        lineLen = w + 3;
        return true;
    }

    /** Scans exactly one term filling {@code b[0, len)}; for configuration and tests (cold). */
    long scanTerm(byte[] b, int len) {
        this.line = 1;
        this.lineStart = 0;
        if (len == 0) {
            throw err(0, "empty term");
        }
        w = 0;
        int i = object(b, 0, len, 0);
        if (i != len) {
            throw err(i, "unexpected text after the term");
        }
        return id(0);
    }

    /** Id of canon[from, w), recorded in the term table if there is one; sets canonLen = w. */
    private long id(int from) {
        canonLen = w;
        long id = hasher.id(canon, from, w - from);
        if (terms != null) {
            terms.record(id, canon, from, w - from);
        }
        return id;
    }

    private int subject(byte[] b, int i, int end) {
        byte c = b[i];
        if (c == '<') {
            if (i + 1 < end && b[i + 1] == '<') {
                throw err(i, "a triple term cannot be a subject (RDF 1.2 N-Triples allows it only as object)");
            }
            return iri(b, i, end);
        }
        if (c == '_') {
            return bnode(b, i, end);
        }
        if (c == (byte) 0xEF && i + 2 < end && b[i + 1] == (byte) 0xBB && b[i + 2] == (byte) 0xBF) {
            // the likeliest cause of a bad first line from an editor or an export: say it plainly
            throw err(i, "a UTF-8 byte order mark (EF BB BF) before the subject: N-Triples does not allow one; "
                + "remove it");
        }
        throw err(i, "expected '<' or '_:' to start the subject");
    }

    private int predicate(byte[] b, int i, int end) {
        if (i == end || b[i] != '<') {
            throw err(i, "expected '<' to start the predicate IRI");
        }
        if (i + 1 < end && b[i + 1] == '<') {
            throw err(i, "a triple term cannot be a predicate");
        }
        return iri(b, i, end);
    }

    private int object(byte[] b, int i, int end, int depth) {
        if (i == end) {
            throw err(i, "expected the object");
        }
        byte c = b[i];
        if (c == '<') {
            if (i + 1 < end && b[i + 1] == '<') {
                return tripleTerm(b, i, end, depth);
            }
            return iri(b, i, end);
        }
        if (c == '_') {
            return bnode(b, i, end);
        }
        if (c == '"') {
            return literal(b, i, end);
        }
        throw err(i, "expected '<', '_:', '\"' or '<<(' to start the object");
    }

    /** Triple term at b[i] == b[i + 1] == '<': {@code <<( s p o )>>}, nested up to the bound. */
    private int tripleTerm(byte[] b, int i, int end, int depth) {
        if (i + 2 >= end || b[i + 2] != '(') {
            throw err(i, "expected '<<(' to start a triple term ('<< ... >>' is Turtle, not N-Triples)");
        }
        if (depth >= MAX_TRIPLE_TERM_DEPTH) {
            throw err(i, "triple term nested deeper than the maximum of " + MAX_TRIPLE_TERM_DEPTH + " levels");
        }
        final int start = i;
        canon[w] = '<';
        canon[w + 1] = '<';
        canon[w + 2] = '(';
        canon[w + 3] = ' ';
        w += 4;
        i = ws(b, i + 3, end);
        if (i == end) {
            throw err(start, "unterminated triple term");
        }
        i = subject(b, i, end);
        canon[w++] = ' ';
        i = predicate(b, ws(b, i, end), end);
        canon[w++] = ' ';
        i = object(b, ws(b, i, end), end, depth + 1);
        i = ws(b, i, end);
        if (i + 2 >= end || b[i] != ')' || b[i + 1] != '>' || b[i + 2] != '>') {
            throw err(i, i == end ? "unterminated triple term" : "expected ')>>' to end the triple term");
        }
        canon[w] = ' ';
        canon[w + 1] = ')';
        canon[w + 2] = '>';
        canon[w + 3] = '>';
        w += 4;
        return i + 3;
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

    /** IRIREF at b[i] == '<', canonical form appended at w; returns the index after '>'. */
    private int iri(byte[] b, int i, int end) {
        final int start = i;
        final int c0 = w;
        int c = c0;
        canon[c++] = '<';
        i++;
        while (true) {
            int j = i;
            while (j < end && IRI_PLAIN[b[j] & 0xFF]) {
                j++;
            }
            System.arraycopy(b, i, canon, c, j - i);
            c += j - i;
            i = j;
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
                throw err(at, "character " + hex(x) + " not allowed in an IRI");
            } else {
                i = utf8(b, i, end);
                System.arraycopy(b, at, canon, c, i - at);
                c += i - at;
            }
        }
        if (!hasScheme(c0 + 1, c)) {
            throw err(start, "relative IRI not allowed in N-Triples (no scheme)");
        }
        canon[c++] = '>';
        w = c;
        return i + 1;
    }

    /** True when canon[from, to) (decoded IRI text) starts with a scheme: ALPHA *(ALPHA / DIGIT / + - .) ':'. */
    private boolean hasScheme(int from, int to) {
        if (from == to || !isLetter(canon[from])) {
            return false;
        }
        for (int k = from + 1; k < to; k++) {
            int x = canon[k];
            if (x == ':') {
                return true;
            }
            if (!(isLetter(x) || (x >= '0' && x <= '9') || x == '+' || x == '-' || x == '.')) {
                return false;
            }
        }
        return false;
    }

    private static boolean isLetter(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
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
        System.arraycopy(b, i, canon, w, len);
        w += len;
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
        i = quoted(b, i, end);
        final int c = w;
        // the grammar lets white space stand between a literal's tokens: "2" ^^ <...>, "x" @en
        int k = ws(b, i, end);
        if (k < end && b[k] == '@') {
            return langTag(b, k, end);
        }
        if (k < end && b[k] == '^') {
            if (k + 1 >= end || b[k + 1] != '^') {
                throw err(k, "expected '^^' before a datatype IRI");
            }
            final int at = k;
            k = ws(b, k + 2, end);
            if (k == end || b[k] != '<') {
                throw err(k, "expected '<' to start the datatype IRI after '^^'");
            }
            canon[c] = '^';
            canon[c + 1] = '^';
            w = c + 2;
            i = iri(b, k, end);
            if (regionEquals(c + 2, w, XSD_STRING)) {
                w = c; // "a"^^xsd:string and "a" are the same RDF term
            } else if (regionEquals(c + 2, w, RDF_DIR_LANG_STRING)) {
                throw err(at, "rdf:dirLangString cannot be written as a datatype (use \"...\"@lang--ltr or --rtl)");
            } else if (regionEquals(c + 2, w, RDF_LANG_STRING)) {
                // a language-tagged string gets this datatype from its tag alone: "x"^^rdf:langString has none
                throw err(at, "rdf:langString cannot be written as a datatype (use \"...\"@lang)");
            }
            return i;
        }
        return i;
    }

    private static final byte[] VERSION = "VERSION".getBytes(StandardCharsets.US_ASCII);

    /**
     * RDF 1.2's {@code versionDirective ::= 'VERSION' versionSpecifier} (case-sensitive, no '.'),
     * with {@code versionSpecifier ::= STRING_LITERAL_QUOTE}, then white space and a comment at
     * most. The announced version is a hint the grammar leaves to the parser; it is checked only
     * as a string literal, and the line holds no triple (canonical N-Triples has no directive).
     */
    private void version(byte[] b, int i, int end) {
        for (int k = 0; k < VERSION.length; k++) {
            if (i + k == end || b[i + k] != VERSION[k]) {
                throw err(i, "expected '<' or '_:' to start the subject, or the directive VERSION \"...\"");
            }
        }
        int k = ws(b, i + VERSION.length, end);
        if (k == end || b[k] != '"') {
            throw err(k, "expected a string literal (the version, e.g. \"1.2\") after VERSION");
        }
        k = ws(b, quoted(b, k, end), end);
        if (k < end) {
            if (b[k] != '#') {
                throw err(k, "unexpected text after the VERSION directive (it takes no '.')");
            }
            comment(b, k, end);
        }
        w = 0;
    }

    /**
     * STRING_LITERAL_QUOTE at {@code b[i]} (a '"'): its canonical form goes to canon from w on
     * (w is left after it); @return the index after the closing quote
     */
    private int quoted(byte[] b, int i, int end) {
        final int start = i;
        final int c0 = w;
        int c = c0;
        canon[c++] = '"';
        i++;
        while (true) {
            int j = Swar.literalPlainEnd(b, i, end);
            while (j < end && LIT_PLAIN[b[j] & 0xFF]) {
                j++;
            }
            System.arraycopy(b, i, canon, c, j - i);
            c += j - i;
            i = j;
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
                c = putLiteralChar(c, x); // a raw control character or DEL
                i++;
            } else {
                int at = i;
                i = utf8(b, i, end);
                if (cp >= 0xFFFE && cp <= 0xFFFF) {
                    c = putUchar(c, cp);
                } else {
                    System.arraycopy(b, at, canon, c, i - at);
                    c += i - at;
                }
            }
        }
        canon[c++] = '"';
        w = c;
        return i + 1;
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

    /** Subtags of a language tag are 1 to 8 characters (BCP 47). */
    static final int MAX_SUBTAG = 8;

    /** LANG_DIR at b[i] == '@', appended at w: lower-cased tag, then an optional --ltr / --rtl. */
    private int langTag(byte[] b, int i, int end) {
        final int start = i;
        int c = w;
        canon[c++] = '@';
        i++;
        int partLen = 0;
        boolean first = true;
        while (i < end) {
            int x = b[i];
            boolean letter = (x >= 'a' && x <= 'z') || (x >= 'A' && x <= 'Z');
            boolean digit = x >= '0' && x <= '9';
            if (letter || (digit && !first)) {
                if (++partLen > MAX_SUBTAG) {
                    throw err(start, "language subtag longer than the maximum of " + MAX_SUBTAG + " characters");
                }
                canon[c++] = (byte) (x >= 'A' && x <= 'Z' ? x + 32 : x);
            } else if (x == '-' && partLen > 0) {
                if (i + 1 < end && b[i + 1] == '-') {
                    w = c;
                    return direction(b, i, end);
                }
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
        w = c;
        return i;
    }

    /** Base direction at b[i] == b[i + 1] == '-': exactly {@code --ltr} or {@code --rtl}. */
    private int direction(byte[] b, int i, int end) {
        int j = i + 2;
        while (j < end && isLetter(b[j])) {
            j++;
        }
        if (j - i != 5 || !(isDir(b, i + 2, 'l', 't', 'r') || isDir(b, i + 2, 'r', 't', 'l'))) {
            throw err(i, "base direction must be --ltr or --rtl (lower case)");
        }
        System.arraycopy(b, i, canon, w, 5);
        w += 5;
        return j;
    }

    private static boolean isDir(byte[] b, int k, char x, char y, char z) {
        return b[k] == x && b[k + 1] == y && b[k + 2] == z;
    }

    private int putLiteralChar(int c, int ch) {
        if (ch < 0x80) {
            byte e = LIT_ESCAPE[ch];
            if (e == 0) {
                canon[c] = (byte) ch;
                return c + 1;
            }
            if (e == 'u') {
                return putUchar(c, ch);
            }
            canon[c] = '\\';
            canon[c + 1] = e;
            return c + 2;
        }
        if (ch == 0xFFFE || ch == 0xFFFF) {
            return putUchar(c, ch);
        }
        return putUtf8(c, ch);
    }

    /** {@code \\uXXXX} with upper-case hex, for a code point below U+10000. */
    private int putUchar(int c, int ch) {
        canon[c] = '\\';
        canon[c + 1] = 'u';
        canon[c + 2] = HEX_UPPER[ch >>> 12 & 0xF];
        canon[c + 3] = HEX_UPPER[ch >>> 8 & 0xF];
        canon[c + 4] = HEX_UPPER[ch >>> 4 & 0xF];
        canon[c + 5] = HEX_UPPER[ch & 0xF];
        return c + 6;
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
