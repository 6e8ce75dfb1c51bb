package io.github.hotpool.triples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.testing.Gen;
import io.github.hotpool.core.testing.PropertyRunner;
import io.github.hotpool.core.testing.Show;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Generated documents: each term is written with random escapes and spacing, and the expected
 * id comes from the term's canonical text built independently here. Inputs come from
 * {@link PropertyRunner}: fixed edge cases first, then seeded random tries; a failure prints the
 * document and the seed that replays it ({@code -Dhotpool.seed=...}).
 */
class NTriplesPropertiesTest {

    /** A term as written in the document and its canonical text. */
    record Term(String written, String canonical) {
    }

    record Line(Term s, Term p, Term o, String gap, String eol) {
        String text() {
            return s.written() + gap + p.written() + gap + o.written() + gap + "." + eol;
        }
    }

    /** Literal characters: plain, non-ASCII, one outside the BMP, and every one with an escape. */
    private static final String CHARS = "aZ09 -_/é€\uD83D\uDE00\"\\\n\r\t'\b\f\u0001\u001F\u007F\uFFFE\uFFFF";
    private static final String IRI_CHARS = "az09/#é€";
    private static final String BNODE_CHARS = "abcXYZ019_";
    private static final String[] GAPS = {" ", "\t", "  ", " \t "};
    private static final String[] EOLS = {"\n", "\r\n", "\r", " # comment é\n"};

    /** 0 to 6 lines. */
    static List<Line> document(Gen g) {
        return document(g, 6);
    }

    static List<Line> document(Gen g, int maxLines) {
        return g.listOf(0, maxLines, NTriplesPropertiesTest::line);
    }

    private static Line line(Gen g) {
        Term s = g.oneOfGenerators(NTriplesPropertiesTest::iri, NTriplesPropertiesTest::bnode);
        Term p = iri(g);
        Term o = g.oneOfGenerators(NTriplesPropertiesTest::iri, NTriplesPropertiesTest::bnode,
                NTriplesPropertiesTest::literal);
        return new Line(s, p, o, g.oneOf(GAPS), g.oneOf(EOLS));
    }

    private static Term bnode(Gen g) {
        return bnode(g.string(BNODE_CHARS, 1, 5));
    }

    private static Term bnode(String label) {
        return new Term("_:" + label, "_:" + label);
    }

    private static Term iri(Gen g) {
        return iri(g.string(IRI_CHARS, 0, 6), g.intBetween(0, 2));
    }

    /** @param escape 0 writes the path as it is, 1 as \\u escapes where they fit, 2 as \\U escapes */
    private static Term iri(String path, int escape) {
        StringBuilder w = new StringBuilder("<http://ex/");
        path.codePoints().forEach(cp -> w.append(escape == 0 ? new String(Character.toChars(cp)) : uchar(cp, escape)));
        return new Term(w + ">", "<http://ex/" + path + ">");
    }

    private static Term literal(Gen g) {
        // drawn by code point, so the pair outside the BMP is never split into lone surrogates
        return literal(g.string(CHARS, 0, 6), g.intBetween(0, 3), g.bool());
    }

    /**
     * @param suffix 0 none, 1 a language tag, 2 ^^xsd:string (the same term as none), 3 another datatype
     * @param escapeAll every character as a \\u or \\U escape, else only those that need one (and ')
     */
    private static Term literal(String lex, int suffix, boolean escapeAll) {
        StringBuilder w = new StringBuilder("\"");
        StringBuilder c = new StringBuilder("\"");
        lex.codePoints().forEach(cp -> {
            w.append(writeChar(cp, escapeAll));
            c.append(canonicalChar(cp));
        });
        w.append('"');
        c.append('"');
        switch (suffix) {
            case 1: w.append("@En-gB"); c.append("@en-gb"); break;
            case 2: w.append("^^<http://www.w3.org/2001/XMLSchema#string>"); break;
            case 3: w.append("^^<http://ex/dt>"); c.append("^^<http://ex/dt>"); break;
            default: break;
        }
        return new Term(w.toString(), c.toString());
    }

    /**
     * Documents checked on every run, at the edges of the generator: none at all; the emptiest
     * terms under every gap and line end; every literal character in one literal, under every
     * suffix and both escapings, with IRIs in each escape form; the shortest and longest blank
     * node labels; and a document of the most lines.
     */
    static List<List<Line>> edgeDocuments() {
        List<List<Line>> out = new ArrayList<>();
        out.add(List.of());
        for (String gap : GAPS) {
            for (String eol : EOLS) {
                out.add(List.of(new Line(iri("", 0), iri("", 0), literal("", 0, false), gap, eol)));
            }
        }
        List<Line> longest = new ArrayList<>();
        for (int suffix = 0; suffix <= 3; suffix++) {
            for (boolean escapeAll : new boolean[] {false, true}) {
                Line l = new Line(iri(IRI_CHARS, suffix % 3), iri(IRI_CHARS, (suffix + 1) % 3),
                        literal(CHARS, suffix, escapeAll), " ", "\n");
                out.add(List.of(l));
                if (longest.size() < 6) {
                    longest.add(l);
                }
            }
        }
        out.add(List.of(new Line(bnode("0"), iri("#", 1), bnode("_____"), "\t", "\r\n")));
        out.add(longest);
        return out;
    }

    private static String writeChar(int cp, boolean escapeAll) {
        if (escapeAll) {
            return uchar(cp, cp > 0xFFFF ? 2 : 1);
        }
        switch (cp) {
            case '"': return "\\\"";
            case '\\': return "\\\\";
            case '\n': return "\\n";
            case '\r': return "\\r";
            case '\t': return "\\t";
            case '\'': return "\\'";
            default: return new String(Character.toChars(cp));
        }
    }

    /** RDF 1.2 canonical N-Triples: seven ECHARs, \\u00XX for other controls and DEL, \\uFFFE/F. */
    private static String canonicalChar(int cp) {
        switch (cp) {
            case '"': return "\\\"";
            case '\\': return "\\\\";
            case '\n': return "\\n";
            case '\r': return "\\r";
            case '\t': return "\\t";
            case '\b': return "\\b";
            case '\f': return "\\f";
            default:
                if (cp < 0x20 || cp == 0x7F || cp == 0xFFFE || cp == 0xFFFF) {
                    return String.format("\\u%04X", cp);
                }
                return new String(Character.toChars(cp));
        }
    }

    private static String uchar(int cp, int form) {
        return form == 1 && cp <= 0xFFFF ? String.format("\\u%04x", cp) : String.format("\\U%08X", cp);
    }

    private static String text(List<Line> doc) {
        StringBuilder sb = new StringBuilder();
        doc.forEach(l -> sb.append(l.text()));
        return sb.toString();
    }

    private static List<long[]> expected(List<Line> doc) {
        List<long[]> out = new ArrayList<>();
        for (Line l : doc) {
            out.add(new long[] {Ref.id(l.s().canonical()), Ref.id(l.p().canonical()), Ref.id(l.o().canonical())});
        }
        return out;
    }

    private static String show(List<Line> doc) {
        return doc.size() + " lines " + Show.text(text(doc));
    }

    @Test
    void generatedDocuments_parseToTheReferenceIds() {
        PropertyRunner.forAll(NTriplesPropertiesTest::document).tries(300).edgeCases(edgeDocuments())
                .describedBy(NTriplesPropertiesTest::show)
                .check(doc -> assertThat(Ref.parse(text(doc))).usingRecursiveComparison().isEqualTo(expected(doc)));
    }

    @Test
    void everyChunkBoundary_givesTheSameIds() {
        // up to 3 lines: every first cut times about 8 second cuts is a parse each
        List<List<Line>> edges = edgeDocuments().stream().filter(d -> d.size() <= 3).toList();
        PropertyRunner.forAll(g -> document(g, 3)).tries(60).edgeCases(edges)
                .describedBy(NTriplesPropertiesTest::show).check(doc -> {
                    byte[] b = text(doc).getBytes(StandardCharsets.UTF_8);
                    List<long[]> want = expected(doc);
                    for (int cut1 = 0; cut1 <= b.length; cut1++) {
                        for (int cut2 = cut1; cut2 <= b.length; cut2 += Math.max(1, b.length / 8)) {
                            Ref.Collect c = new Ref.Collect();
                            NTriplesParser parser = new NTriplesParser();
                            parser.feed(b, 0, cut1, c);
                            parser.feed(b, cut1, cut2 - cut1, c);
                            parser.feed(b, cut2, b.length - cut2, c);
                            parser.finish(c);
                            assertThat(c.triples).as("cuts at %d and %d", cut1, cut2).usingRecursiveComparison()
                                    .isEqualTo(want);
                        }
                    }
                });
    }

    /** Bytes fed to a parser with a 64-byte line limit, skipping bad lines or failing at the first. */
    record Junk(byte[] bytes, boolean skip) {
        static Junk draw(Gen g) {
            return new Junk(g.bytes(255), g.bool());
        }

        String show() {
            return Show.bytes(bytes) + (skip ? " with SKIP" : " with FAIL");
        }
    }

    /** A valid triple line of exactly {@code length} bytes, without its line break. */
    private static String lineOfLength(int length) {
        String head = "<http://ex/s> <http://ex/p> \"";
        String end = "\" .";
        return head + "a".repeat(length - head.length() - end.length()) + end;
    }

    /**
     * Junk checked on every run under both policies: nothing; each boundary byte alone; lines of
     * exactly the 64-byte limit and one byte over it, with and without a line break (a valid
     * triple and filler); and the longest junk of 0xFF bytes, never valid UTF-8.
     */
    static List<Junk> edgeJunk() {
        List<byte[]> bytes = new ArrayList<>();
        bytes.add(new byte[0]);
        for (byte b : new byte[] {0, 1, -1, Byte.MIN_VALUE, Byte.MAX_VALUE, '\n', '\r'}) {
            bytes.add(new byte[] {b});
        }
        for (int length : new int[] {64, 65}) {
            String x = "x".repeat(length);
            for (String line : new String[] {x, x + "\n", lineOfLength(length), lineOfLength(length) + "\n"}) {
                bytes.add(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] ff = new byte[255];
        Arrays.fill(ff, (byte) 0xFF);
        bytes.add(ff);
        List<Junk> out = new ArrayList<>();
        for (byte[] b : bytes) {
            out.add(new Junk(b, false));
            out.add(new Junk(b, true));
        }
        return out;
    }

    @Test
    void randomBytes_onlyEverRaiseTheParsersOwnError() {
        PropertyRunner.forAll(Junk::draw).tries(300).edgeCases(edgeJunk()).describedBy(Junk::show).check(junk -> {
            NTriplesParser parser = new NTriplesParser(64,
                    junk.skip() ? NTriplesParser.ErrorPolicy.SKIP : NTriplesParser.ErrorPolicy.FAIL);
            try {
                parser.feed(junk.bytes(), 0, junk.bytes().length, (s, p, o) -> assertThat(s).isNotZero());
                parser.finish((s, p, o) -> { });
            } catch (NTriplesException expected) {
                assertThat(expected.line()).isPositive();
                assertThat(expected.column()).isPositive();
            }
        });
    }

    /** One line of junk (its line breaks made 'x'), a line break, then a valid document. */
    record Surrounded(List<Line> doc, byte[] junk) {
        static Surrounded draw(Gen g) {
            return new Surrounded(document(g), g.bytes(255));
        }

        String show() {
            return "junk " + Show.bytes(junk) + " then " + NTriplesPropertiesTest.show(doc);
        }
    }

    /**
     * The longest junk around no document, no junk around each edge document, and junk that is
     * itself a valid triple (the one extra triple the property allows).
     */
    static List<Surrounded> edgeSurrounded() {
        List<Surrounded> out = new ArrayList<>();
        byte[] longest = new byte[255];
        for (int i = 0; i < longest.length; i++) {
            // 255 different byte values (37 is odd, so i * 37 repeats mod 256 only after 256 steps),
            // line breaks among them
            longest[i] = (byte) (i * 37);
        }
        out.add(new Surrounded(List.of(), longest));
        for (List<Line> doc : edgeDocuments()) {
            out.add(new Surrounded(doc, new byte[0]));
        }
        byte[] triple = "<http://ex/s> <http://ex/p> <http://ex/o> .".getBytes(StandardCharsets.UTF_8);
        out.add(new Surrounded(edgeDocuments().get(1), triple));
        return out;
    }

    @Test
    void randomBytesAroundValidTriples_neverHang_andSkipKeepsTheValidOnes() {
        PropertyRunner.forAll(Surrounded::draw).tries(200).edgeCases(edgeSurrounded()).describedBy(Surrounded::show)
                .check(input -> {
                    List<Line> doc = input.doc();
                    String valid = text(doc);
                    byte[] j = input.junk().clone();
                    for (int i = 0; i < j.length; i++) {
                        if (j[i] == '\n' || j[i] == '\r') {
                            j[i] = 'x'; // junk stays one bad line
                        }
                    }
                    byte[] v = valid.getBytes(StandardCharsets.UTF_8);
                    byte[] all = new byte[j.length + 1 + v.length];
                    System.arraycopy(j, 0, all, 0, j.length);
                    all[j.length] = '\n';
                    System.arraycopy(v, 0, all, j.length + 1, v.length);
                    NTriplesParser parser = new NTriplesParser(NTriplesParser.DEFAULT_MAX_LINE_LENGTH,
                            NTriplesParser.ErrorPolicy.SKIP);
                    Ref.Collect c = new Ref.Collect();
                    parser.feed(all, 0, all.length, c);
                    parser.finish(c);
                    assertThat(c.triples.size()).isBetween(doc.size(), doc.size() + 1);
                    assertThat(c.triples.subList(c.triples.size() - doc.size(), c.triples.size()))
                            .usingRecursiveComparison().isEqualTo(expected(doc));
                });
    }
}
