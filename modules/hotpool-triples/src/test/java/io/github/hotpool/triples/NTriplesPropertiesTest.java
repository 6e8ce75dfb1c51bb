package io.github.hotpool.triples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Generated documents: each term is written with random escapes and spacing, and the expected
 * id comes from the term's canonical text built independently here.
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

    private static final String CHARS = "aZ09 -_/é€\uD83D\uDE00\"\\\n\r\t'";

    @Provide
    Arbitrary<List<Line>> documents() {
        return line().list().ofMinSize(0).ofMaxSize(6);
    }

    private Arbitrary<Line> line() {
        Arbitrary<String> gap = Arbitraries.of(" ", "\t", "  ", " \t ");
        Arbitrary<String> eol = Arbitraries.of("\n", "\r\n", "\r", " # comment é\n");
        return Combinators.combine(subject(), iri(), object(), gap, eol).as(Line::new);
    }

    private Arbitrary<Term> subject() {
        return Arbitraries.oneOf(iri(), bnode());
    }

    private Arbitrary<Term> object() {
        return Arbitraries.oneOf(iri(), bnode(), literal());
    }

    private Arbitrary<Term> bnode() {
        return Arbitraries.strings().withChars("abcXYZ019_").ofMinLength(1).ofMaxLength(5)
                .map(l -> new Term("_:" + l, "_:" + l));
    }

    private Arbitrary<Term> iri() {
        return Combinators.combine(Arbitraries.strings().withChars("az09/#é€").ofMaxLength(6),
                        Arbitraries.integers().between(0, 2))
                .as((path, escape) -> {
                    StringBuilder w = new StringBuilder("<http://ex/");
                    path.codePoints().forEach(cp -> w.append(escape == 0 ? new String(Character.toChars(cp)) : uchar(cp, escape)));
                    return new Term(w + ">", "<http://ex/" + path + ">");
                });
    }

    private Arbitrary<Term> literal() {
        Arbitrary<String> lexical = Arbitraries.strings().withChars(CHARS.toCharArray()).ofMaxLength(6)
                .filter(s -> s.codePoints().allMatch(Character::isValidCodePoint) && !hasLoneSurrogate(s));
        Arbitrary<Integer> suffix = Arbitraries.integers().between(0, 3);
        Arbitrary<Integer> escaping = Arbitraries.integers().between(0, 1);
        return Combinators.combine(lexical, suffix, escaping).as((lex, sfx, esc) -> {
            StringBuilder w = new StringBuilder("\"");
            StringBuilder c = new StringBuilder("\"");
            lex.codePoints().forEach(cp -> {
                w.append(writeChar(cp, esc == 1));
                c.append(canonicalChar(cp));
            });
            w.append('"');
            c.append('"');
            switch (sfx) {
                case 1: w.append("@En-gB"); c.append("@en-gb"); break;
                case 2: w.append("^^<http://www.w3.org/2001/XMLSchema#string>"); break;
                case 3: w.append("^^<http://ex/dt>"); c.append("^^<http://ex/dt>"); break;
                default: break;
            }
            return new Term(w.toString(), c.toString());
        });
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isHighSurrogate(ch)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(ch)) {
                return true;
            }
        }
        return false;
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

    private static String canonicalChar(int cp) {
        switch (cp) {
            case '"': return "\\\"";
            case '\\': return "\\\\";
            case '\n': return "\\n";
            case '\r': return "\\r";
            default: return new String(Character.toChars(cp));
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

    @Property(tries = 300)
    void generatedDocuments_parseToTheReferenceIds(@ForAll("documents") List<Line> doc) {
        assertThat(Ref.parse(text(doc))).usingRecursiveComparison().isEqualTo(expected(doc));
    }

    @Property(tries = 60)
    void everyChunkBoundary_givesTheSameIds(@ForAll("documents") @Size(max = 3) List<Line> doc) {
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
                assertThat(c.triples).as("cuts at %d and %d", cut1, cut2).usingRecursiveComparison().isEqualTo(want);
            }
        }
    }

    @Property(tries = 300)
    void randomBytes_onlyEverRaiseTheParsersOwnError(@ForAll byte[] junk, @ForAll boolean skip) {
        NTriplesParser parser = new NTriplesParser(64,
                skip ? NTriplesParser.ErrorPolicy.SKIP : NTriplesParser.ErrorPolicy.FAIL);
        try {
            parser.feed(junk, 0, junk.length, (s, p, o) -> assertThat(s).isNotZero());
            parser.finish((s, p, o) -> { });
        } catch (NTriplesException expected) {
            assertThat(expected.line()).isPositive();
            assertThat(expected.column()).isPositive();
        }
    }

    @Property(tries = 200)
    void randomBytesAroundValidTriples_neverHang_andSkipKeepsTheValidOnes(@ForAll("documents") List<Line> doc,
                                                                          @ForAll byte[] junk) {
        String valid = text(doc);
        byte[] j = junk.clone();
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
        NTriplesParser parser = new NTriplesParser(NTriplesParser.DEFAULT_MAX_LINE_LENGTH, NTriplesParser.ErrorPolicy.SKIP);
        Ref.Collect c = new Ref.Collect();
        parser.feed(all, 0, all.length, c);
        parser.finish(c);
        assertThat(c.triples.size()).isBetween(doc.size(), doc.size() + 1);
        assertThat(c.triples.subList(c.triples.size() - doc.size(), c.triples.size()))
                .usingRecursiveComparison().isEqualTo(expected(doc));
    }
}
