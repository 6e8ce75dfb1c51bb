package io.github.hotpool.triples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What RDF 1.2 adds to N-Triples: triple terms as objects, and base directions on language tags. */
class Rdf12SyntaxTest {

    private static final String S = "<http://ex/s>";
    private static final String P = "<http://ex/p>";

    private static long objectId(String objectText) {
        List<long[]> t = Ref.parse(S + " " + P + " " + objectText + " .\n");
        assertThat(t).hasSize(1);
        return t.get(0)[2];
    }

    private static NTriplesException error(String line) {
        try {
            Ref.parse(line);
        } catch (NTriplesException e) {
            return e;
        }
        throw new AssertionError("accepted: " + line);
    }

    /** {@code depth} triple terms nested inside each other, innermost object {@code <http://ex/o>}. */
    private static String nested(int depth, String space) {
        String t = "<http://ex/o>";
        for (int k = 0; k < depth; k++) {
            t = "<<(" + space + "<http://ex/a>" + space + "<http://ex/b>" + space + t + space + ")>>";
        }
        return t;
    }

    @Test
    void tripleTermObject_getsTheIdOfItsCanonicalForm_whateverTheWhiteSpace() {
        long id = Ref.id("<<( <http://ex/a> <http://ex/b> \"x\"@en )>>");
        assertThat(objectId("<<( <http://ex/a> <http://ex/b> \"x\"@EN )>>")).isEqualTo(id);
        assertThat(objectId("<<(<http://ex/a><http://ex/b>\"x\"@en)>>")).isEqualTo(id);
        assertThat(objectId("<<(\t<http://ex/\\u0061>  <http://ex/b>\t\"x\"@en )>>")).isEqualTo(id);
    }

    @Test
    void tripleTerm_differsFromItsParts_andFromTheSameTermsInAnotherOrder() {
        long t = objectId("<<( <http://ex/a> <http://ex/b> <http://ex/c> )>>");
        assertThat(t).isNotEqualTo(objectId("<<( <http://ex/c> <http://ex/b> <http://ex/a> )>>"))
                .isNotEqualTo(objectId("<http://ex/a>")).isNotEqualTo(objectId("\"<<( <http://ex/a> <http://ex/b> <http://ex/c> )>>\""));
    }

    @Test
    void nestedTripleTerms_upToTheBound_parse_oneMoreLevelIsAnErrorAtItsColumn() {
        int max = StatementScanner.MAX_TRIPLE_TERM_DEPTH;
        assertThat(objectId(nested(max, ""))).isEqualTo(Ref.id(nested(max, " ")));
        String line = S + " " + P + " " + nested(max + 1, "") + " .\n";
        NTriplesException e = error(line);
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.reason()).isEqualTo("triple term nested deeper than the maximum of " + max + " levels");
        // the innermost '<<(' is the one too deep: it opens after max complete '<<(<a><b>' prefixes
        int prefix = "<<(<http://ex/a><http://ex/b>".length();
        assertThat(e.column()).isEqualTo(S.length() + 1 + P.length() + 1 + max * prefix + 1);
    }

    @Test
    void tripleTermWithABlankNodeOrLiteralInside_andBlankNodeSubject_parse() {
        assertThat(objectId("<<( _:b0 <http://ex/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> )>>"))
                .isEqualTo(Ref.id("<<( _:b0 <http://ex/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> )>>"));
        assertThat(Ref.parse("_:r <http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies> <<( _:b0 <http://ex/p> <http://ex/o> )>> .\n"))
                .hasSize(1);
    }

    @Test
    void tripleTermOutsideTheObject_orMalformed_isAnErrorNamingWhereAndWhy() {
        assertThat(error("<<( <http://ex/a> <http://ex/b> <http://ex/c> )>> <http://ex/p> <http://ex/o> .").reason())
                .contains("cannot be a subject");
        assertThat(error("<http://ex/s> <<( <http://ex/a> <http://ex/b> <http://ex/c> )>> <http://ex/o> .").column()).isEqualTo(15);
        assertThat(error("<http://ex/s> <http://ex/p> << <http://ex/a> <http://ex/b> <http://ex/c> >> .").reason())
                .contains("'<<('");
        assertThat(error("<http://ex/s> <http://ex/p> <<( \"lit\" <http://ex/b> <http://ex/c> )>> .").column()).isEqualTo(33);
        assertThat(error("<http://ex/s> <http://ex/p> <<( <http://ex/a> <http://ex/b> <http://ex/c> .").reason())
                .contains("')>>'");
        assertThat(error("<http://ex/s> <http://ex/p> <<( <http://ex/a> <http://ex/b> <http://ex/c> )> .").reason())
                .contains("')>>'");
        assertThat(error("<http://ex/s> <http://ex/p> <<( <http://ex/a> <http://ex/b>").reason()).isEqualTo("expected the object");
    }

    @Test
    void directionalLanguageTag_isPartOfTheTerm_withTheTagLowerCased() {
        assertThat(objectId("\"Hello\"@en--ltr")).isEqualTo(Ref.id("\"Hello\"@en--ltr"))
                .isNotEqualTo(objectId("\"Hello\"@en")).isNotEqualTo(objectId("\"Hello\"@en--rtl"));
        assertThat(objectId("\"Hi\"@EN-GB--rtl")).isEqualTo(Ref.id("\"Hi\"@en-gb--rtl"));
    }

    @Test
    void badDirection_overlongSubtag_orDirLangStringDatatype_areErrors() {
        assertThat(error(S + " " + P + " \"x\"@en--LTR .").reason()).contains("--ltr or --rtl");
        assertThat(error(S + " " + P + " \"x\"@en--unk .").column()).isEqualTo(35);
        assertThat(error(S + " " + P + " \"x\"@en--ltrx .").reason()).contains("--ltr or --rtl");
        assertThat(error(S + " " + P + " \"x\"@en-- .").reason()).contains("--ltr or --rtl");
        assertThat(error(S + " " + P + " \"x\"@cantbethislong .").reason()).contains("maximum of 8");
        assertThat(objectId("\"x\"@abcdefgh-12345678")).isEqualTo(Ref.id("\"x\"@abcdefgh-12345678"));
        assertThat(error(S + " " + P + " \"x\"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString> .").reason())
                .contains("dirLangString");
        // the same for rdf:langString (the W3C RDF 1.2 test ntriples-langdir-bad-3), spelled out or escaped
        assertThat(error(S + " " + P + " \"x\"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> .").reason())
                .contains("rdf:langString cannot be written as a datatype");
        assertThat(error(S + " " + P + " \"x\"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#lang\\u0053tring> .")
                .column()).isEqualTo(S.length() + P.length() + 6);
        assertThat(objectId("\"x\"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#langStringX>"))
                .isEqualTo(Ref.id("\"x\"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#langStringX>"));
    }

    @Test
    void whiteSpaceBetweenALiteralAndItsDatatypeOrTag_isAllowedAndDropped() {
        assertThat(objectId("\"2\"  ^^  <http://www.w3.org/2001/XMLSchema#integer>"))
                .isEqualTo(Ref.id("\"2\"^^<http://www.w3.org/2001/XMLSchema#integer>"));
        assertThat(objectId("\"x\" @en")).isEqualTo(Ref.id("\"x\"@en"));
        assertThat(error(S + " " + P + " \"2\" ^ ^<http://ex/t> .").reason()).contains("'^^'");
    }

    @Test
    void termTable_namesATripleTerm_byItsCanonicalText() {
        TermTable table = new TermTable(1024, 256);
        byte[] doc = (S + " " + P + " <<(<http://ex/a> <http://ex/b>\t\"c\"@EN--ltr)>> .\n").getBytes(StandardCharsets.UTF_8);
        Ref.Collect c = new Ref.Collect();
        NTriplesParser parser = new NTriplesParser().termTable(table);
        parser.feed(doc, 0, doc.length, c);
        assertThat(table.name(c.triples.get(0)[2])).isEqualTo("<<( <http://ex/a> <http://ex/b> \"c\"@en--ltr )>>");
        assertThat(TermIds.canonical("<<(<http://ex/a> <http://ex/b> \"c\"@EN--ltr)>>"))
                .isEqualTo("<<( <http://ex/a> <http://ex/b> \"c\"@en--ltr )>>");
        assertThat(TermIds.of("<<(<http://ex/a> <http://ex/b> \"c\"@EN--ltr)>>")).isEqualTo(c.triples.get(0)[2]);
    }

    @Test
    void versionDirective_anywhere_holdsNoTriple_andIsLeftOutOfTheCanonicalLines() {
        String t1 = S + " " + P + " <http://ex/o1> .\n";
        String t2 = S + " " + P + " <http://ex/o2> .\n";
        String doc = "VERSION \"1.2\"\n" + t1 + "  VERSION\t\"1.2-basic\"  # announced again\n" + "VERSION\"1.1\"\n" + t2
                + "VERSION \"any \\u0041 string\"";
        List<long[]> got = Ref.parse(doc);
        List<long[]> want = Ref.parse(t1 + t2);
        assertThat(got).hasSize(2);
        assertThat(got.get(0)).isEqualTo(want.get(0));
        assertThat(got.get(1)).isEqualTo(want.get(1));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NTriplesParser parser = new NTriplesParser().canonicalLines(out::write);
        byte[] b = doc.getBytes(StandardCharsets.UTF_8);
        parser.feed(b, 0, b.length, (s, p, o) -> { });
        parser.finish((s, p, o) -> { });
        assertThat(out.toString(StandardCharsets.UTF_8)).as("canonical N-Triples has no directive").isEqualTo(t1 + t2);
    }

    @Test
    void versionDirective_isCaseSensitive_takesOneStringLiteral_andNoDot() {
        assertThat(error("version \"1.2\"\n").reason()).contains("to start the subject");
        assertThat(error("VERSIONS \"1.2\"\n").reason()).contains("expected a string literal");
        assertThat(error("VERS \"1.2\"\n").reason()).contains("or the directive VERSION");
        assertThat(error("VERSION 1.2\n").column()).isEqualTo(9);
        assertThat(error("VERSION '1.2'\n").reason()).contains("expected a string literal");
        NTriplesException dot = error("VERSION \"1.2\" .\n");
        assertThat(dot.column()).isEqualTo(15);
        assertThat(dot.reason()).contains("takes no '.'");
        assertThat(error("VERSION \"1.2\n").reason()).contains("unterminated string literal");
        assertThat(error("VERSION \"1.2\"@en\n").column()).isEqualTo(14);
        assertThat(error("VERSION \"1.2\" <http://ex/o> .\n").column()).isEqualTo(15);
    }

    @Test
    void canonicalLines_areTheCanonicalTermsSingleSpacedWithDotAndLf_inInputOrder() {
        String doc = "# c\n<http://ex/\\u0073>\t<http://ex/p>   \"a\\u0009\u0001\"@EN  . # c\r\n"
                + "_:x<http://ex/p><<(_:y<http://ex/q>\"\\U0001F600\")>>.";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NTriplesParser parser = new NTriplesParser().canonicalLines(out::write);
        byte[] b = doc.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i += 7) {
            parser.feed(b, i, Math.min(7, b.length - i), (s, p, o) -> { });
        }
        parser.finish((s, p, o) -> { });
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                "<http://ex/s> <http://ex/p> \"a\\t\\u0001\"@en .\n"
                + "_:x <http://ex/p> <<( _:y <http://ex/q> \"\uD83D\uDE00\" )>> .\n");
    }

    @Test
    void longestCanonicalExpansion_fitsTheParsersBuffers() {
        // every raw control byte becomes six canonical bytes: a line of them at the length limit
        int max = 64;
        String lit = "\u0001".repeat(max - "<a:s> <a:p> \"\" .".length());
        String line = "<a:s> <a:p> \"" + lit + "\" .";
        assertThat(line.length()).isEqualTo(max);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NTriplesParser parser = new NTriplesParser(max, NTriplesParser.ErrorPolicy.FAIL).canonicalLines(out::write);
        byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
        parser.feed(b, 0, b.length, (s, p, o) -> { });
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("<a:s> <a:p> \"" + "\\u0001".repeat(lit.length()) + "\" .\n");
    }
}
