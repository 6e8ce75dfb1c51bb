package io.github.hotpool.triples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NTriplesParserTest {

    private static final String S = "<http://ex/s>";
    private static final String P = "<http://ex/p>";

    private static long objectId(String objectText) {
        List<long[]> t = Ref.parse(S + " " + P + " " + objectText + " .\n");
        assertThat(t).hasSize(1);
        return t.get(0)[2];
    }

    @Test
    void iriId_isFnv1aOverTheAngleBracketedIri() {
        List<long[]> t = Ref.parse("<http://ex/s> <http://ex/p> <http://ex/o> .\n");
        assertThat(t.get(0)).containsExactly(Ref.id("<http://ex/s>"), Ref.id("<http://ex/p>"), Ref.id("<http://ex/o>"));
    }

    @Test
    void literalWithUnicodeEscape_getsTheIdOfTheLiteralCharacter() {
        assertThat(objectId("\"\\u0041\"")).isEqualTo(objectId("\"A\"")).isEqualTo(Ref.id("\"A\""));
        assertThat(objectId("\"\\U0001F600\"")).isEqualTo(Ref.id("\"\uD83D\uDE00\""));
    }

    @Test
    void iriWithEscapes_getsTheIdOfTheDecodedIri() {
        assertThat(objectId("<http://ex/\\u00E9>")).isEqualTo(objectId("<http://ex/é>")).isEqualTo(Ref.id("<http://ex/é>"));
    }

    @Test
    void iriAndLiteralWithTheSameText_differ() {
        assertThat(objectId("<http://ex/o>")).isNotEqualTo(objectId("\"http://ex/o\""));
    }

    @Test
    void stringEscapes_areCanonicalisedToTheSevenKeptEscapes() {
        assertThat(objectId("\"a\\tb\"")).isEqualTo(objectId("\"a\tb\"")).isEqualTo(objectId("\"a\\u0009b\""))
                .isEqualTo(Ref.id("\"a\\tb\""));
        assertThat(objectId("\"\\u0008\\u000C\"")).isEqualTo(Ref.id("\"\\b\\f\""));
        assertThat(objectId("\"\\u0001\u007F\\uFFFF\"")).isEqualTo(Ref.id("\"\\u0001\\u007F\\uFFFF\""));
        assertThat(objectId("\"q\\u0022\\u005C\\u000A\\u000D\"")).isEqualTo(objectId("\"q\\\"\\\\\\n\\r\""))
                .isEqualTo(Ref.id("\"q\\\"\\\\\\n\\r\""));
        assertThat(objectId("\"it\\'s\"")).isEqualTo(Ref.id("\"it's\""));
    }

    @Test
    void xsdStringDatatype_isTheSameTermAsAPlainLiteral() {
        assertThat(objectId("\"x\"^^<http://www.w3.org/2001/XMLSchema#string>")).isEqualTo(objectId("\"x\""));
        assertThat(objectId("\"1\"^^<http://www.w3.org/2001/XMLSchema#integer>"))
                .isEqualTo(Ref.id("\"1\"^^<http://www.w3.org/2001/XMLSchema#integer>"))
                .isNotEqualTo(objectId("\"1\""));
    }

    @Test
    void languageTags_compareCaseInsensitively() {
        assertThat(objectId("\"chat\"@FR-be")).isEqualTo(objectId("\"chat\"@fr-BE")).isEqualTo(Ref.id("\"chat\"@fr-be"));
        assertThat(objectId("\"chat\"@fr")).isNotEqualTo(objectId("\"chat\""));
    }

    @Test
    void blankNodes_hashTheirLabel_andTrailingDotEndsTheStatement() {
        List<long[]> t = Ref.parse("_:b.1 <http://ex/p> _:x.\n");
        assertThat(t.get(0)[0]).isEqualTo(Ref.id("_:b.1"));
        assertThat(t.get(0)[2]).isEqualTo(Ref.id("_:x"));
    }

    @Test
    void termIds_of_givesTheParserId() {
        assertThat(TermIds.of("\"\\u0041\"@EN")).isEqualTo(objectId("\"A\"@en"));
        assertThat(TermIds.canonical("\"a\\u0022\"^^<http://www.w3.org/2001/XMLSchema#string>")).isEqualTo("\"a\\\"\"");
    }

    @Test
    void termIds_loneSurrogateInTheJavaString_isAnErrorNotAQuestionMark() {
        // String.getBytes(UTF_8) turns a lone surrogate into '?', which would give a hook the id of "?"
        assertThat(TermIds.of("\"?\"")).isNotZero();
        for (String bad : new String[] {"\"a\uD800\"", "<http://ex/\uDC00>", "\"\uDE00\uD83D\""}) {
            assertThatThrownBy(() -> TermIds.of(bad)).as(bad).isInstanceOf(NTriplesException.class)
                    .hasMessageContaining("unpaired surrogate");
            assertThatThrownBy(() -> TermIds.canonical(bad)).as(bad).isInstanceOf(NTriplesException.class);
        }
        assertThatThrownBy(() -> HookConfig.fromList(java.util.List.of(java.util.Map.of("name", "a", "op", "ASK_OP",
                "predicate", "<http://ex/p>", "object", "\"\ud800\""))))
                .isInstanceOf(HookConfigException.class).hasMessageContaining("unpaired surrogate");
    }

    @Test
    void crlfCrAndLf_allEndLines_andLineNumbersCountThem() {
        String doc = "# c\r\n" + S + " " + P + " <http://ex/1> .\r" + S + " " + P + " <http://ex/2> .\n\n" + S + " " + P + " <bad> .\n";
        assertThatThrownBy(() -> Ref.parse(doc)).isInstanceOf(NTriplesException.class)
                .hasMessageStartingWith("line 5, column 29: relative IRI");
    }

    @Test
    void lastLineWithoutBreak_isParsedByFinish() {
        assertThat(Ref.parse(S + " " + P + " \"x\" .")).hasSize(1);
    }

    @Test
    void errors_nameLineColumnAndReason() {
        assertThatThrownBy(() -> Ref.parse(S + " " + P + " \"open .\n"))
                .isInstanceOfSatisfying(NTriplesException.class, e -> {
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.column()).isEqualTo(29);
                    assertThat(e.reason()).isEqualTo("unterminated string literal");
                });
        assertThatThrownBy(() -> Ref.parse("\n<http://ex/s <http://ex/p> <http://ex/o> .\n"))
                .hasMessage("line 2, column 13: character U+0020 not allowed in an IRI");
        assertThatThrownBy(() -> Ref.parse(S + " " + P + " <http://ex/o> . junk\n"))
                .hasMessage("line 1, column 45: unexpected text after '.'");
        assertThatThrownBy(() -> Ref.parse(S + " " + P + " \"x\"@ .\n"))
                .hasMessageContaining("language tag");
        assertThatThrownBy(() -> Ref.parse(S + " " + P + " \"\\uD800\" .\n"))
                .hasMessageContaining("escape U+D800 is not a Unicode scalar value");
        assertThatThrownBy(() -> Ref.parse(S + " " + P + " <http://ex/\\u0020> .\n"))
                .hasMessageContaining("not allowed in an IRI");
    }

    @Test
    void invalidUtf8_isAnErrorNamingTheByte() {
        byte[] prefix = (S + " " + P + " \"").getBytes(StandardCharsets.US_ASCII);
        for (byte[] bad : new byte[][] {{(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xF5, 1, 1, 1}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82}}) {
            byte[] doc = new byte[prefix.length + bad.length + 4];
            System.arraycopy(prefix, 0, doc, 0, prefix.length);
            System.arraycopy(bad, 0, doc, prefix.length, bad.length);
            System.arraycopy("\" .\n".getBytes(StandardCharsets.US_ASCII), 0, doc, prefix.length + bad.length, 4);
            assertThatThrownBy(() -> Ref.parse(doc)).isInstanceOf(NTriplesException.class)
                    .hasMessageContaining("UTF-8");
        }
        assertThatThrownBy(() -> Ref.parse(new byte[] {'#', (byte) 0xFF, '\n'})).hasMessageContaining("UTF-8 lead byte 0xFF");
    }

    @Test
    void aByteOrderMarkBeforeTheFirstSubject_isNamedAsSuch() {
        byte[] line = (S + " " + P + " " + S + " .\n").getBytes(StandardCharsets.US_ASCII);
        byte[] doc = new byte[line.length + 3];
        doc[0] = (byte) 0xEF;
        doc[1] = (byte) 0xBB;
        doc[2] = (byte) 0xBF;
        System.arraycopy(line, 0, doc, 3, line.length);
        NTriplesParser p = new NTriplesParser(1 << 16, NTriplesParser.ErrorPolicy.FAIL);
        assertThatThrownBy(() -> p.feed(doc, 0, doc.length, (s, pr, o) -> { }))
                .hasMessageStartingWith("line 1, column 1: a UTF-8 byte order mark (EF BB BF) before the subject");
    }

    @Test
    void lineLongerThanTheMaximum_isRejectedWithTheLimit_whetherWholeOrAcrossChunks() {
        String longLine = S + " " + P + " \"" + "x".repeat(100) + "\" .\n";
        NTriplesParser whole = new NTriplesParser(64, NTriplesParser.ErrorPolicy.FAIL);
        byte[] b = longLine.getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> whole.feed(b, 0, b.length, (s, p, o) -> { }))
                .hasMessage("line 1, column 65: line longer than the maximum of 64 bytes");
        NTriplesParser chunked = new NTriplesParser(64, NTriplesParser.ErrorPolicy.FAIL);
        chunked.feed(b, 0, 40, (s, p, o) -> { });
        assertThatThrownBy(() -> chunked.feed(b, 40, b.length - 40, (s, p, o) -> { }))
                .hasMessageContaining("line longer than the maximum of 64 bytes");
    }

    @Test
    void skipPolicy_dropsBadLinesAndKeepsGoing_evenAfterAnOverlongLine() {
        String good = S + " " + P + " <http://ex/o> .\n";
        String doc = good + "garbage\n" + S + " " + P + " \"" + "y".repeat(200) + "\" .\n" + good;
        byte[] b = doc.getBytes(StandardCharsets.US_ASCII);
        NTriplesParser parser = new NTriplesParser(64, NTriplesParser.ErrorPolicy.SKIP);
        Ref.Collect c = new Ref.Collect();
        for (int i = 0; i < b.length; i += 7) {
            parser.feed(b, i, Math.min(7, b.length - i), c);
        }
        parser.finish(c);
        assertThat(c.triples).hasSize(2);
        assertThat(parser.skippedLines()).isEqualTo(2);
        assertThat(parser.firstError().line()).isEqualTo(2);
        assertThat(parser.lastError().line()).isEqualTo(3);
        assertThat(parser.line()).isEqualTo(5);
    }

    @Test
    void errorHandler_underSkip_hearsEveryBadLineWithLineAndColumn_inOneFeed() {
        String good = S + " " + P + " <http://ex/o> .\n";
        String doc = good + "garbage\n" + good + S + " " + P + " \"" + "y".repeat(200) + "\" .\n"
                + S + " <p> <http://ex/o> .\n" + good;
        byte[] b = doc.getBytes(StandardCharsets.US_ASCII);
        List<NTriplesException> heard = new java.util.ArrayList<>();
        NTriplesParser parser = new NTriplesParser(64, NTriplesParser.ErrorPolicy.SKIP).errorHandler(heard::add);
        Ref.Collect c = new Ref.Collect();
        parser.feed(b, 0, b.length, c);
        parser.finish(c);
        assertThat(c.triples).hasSize(3);
        assertThat(heard).extracting(NTriplesException::line).containsExactly(2L, 4L, 5L);
        assertThat(heard.get(0).column()).isEqualTo(1);
        assertThat(heard.get(1).column()).isEqualTo(65);
        assertThat(heard.get(1).reason()).contains("maximum of 64 bytes");
        assertThat(heard.get(2).column()).isEqualTo(S.length() + 2);
        assertThat(parser.skippedLines()).isEqualTo(3);
    }

    @Test
    void errorHandler_survivesReset_andCanStopTheFeedByThrowing() {
        byte[] b = ("bad\n" + S + " " + P + " <http://ex/o> .\n").getBytes(StandardCharsets.US_ASCII);
        NTriplesParser parser = new NTriplesParser(64, NTriplesParser.ErrorPolicy.SKIP).errorHandler(e -> {
            throw new IllegalStateException("stop at line " + e.line());
        });
        parser.reset();
        Ref.Collect c = new Ref.Collect();
        assertThatThrownBy(() -> parser.feed(b, 0, b.length, c)).hasMessage("stop at line 1");
        assertThat(c.triples).isEmpty();
    }

    @Test
    void errorHandler_isNotCalledUnderFail_whichThrowsInstead() {
        List<NTriplesException> heard = new java.util.ArrayList<>();
        NTriplesParser parser = new NTriplesParser(64, NTriplesParser.ErrorPolicy.FAIL).errorHandler(heard::add);
        byte[] b = "bad\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> parser.feed(b, 0, b.length, new Ref.Collect())).isInstanceOf(NTriplesException.class);
        assertThat(heard).isEmpty();
    }

    @Test
    void byteBufferFeed_directAndHeap_giveTheSameIds() {
        byte[] doc = (S + " " + P + " \"d\" .\n" + S + " " + P + " _:z .\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer direct = ByteBuffer.allocateDirect(doc.length).put(doc).flip();
        Ref.Collect c = new Ref.Collect();
        NTriplesParser parser = new NTriplesParser();
        parser.feed(direct, c);
        parser.finish(c);
        assertThat(c.triples).usingRecursiveComparison().isEqualTo(Ref.parse(doc));
        assertThat(direct.hasRemaining()).isFalse();
    }

    @Test
    void constructor_rejectsTinyLineLimit() {
        assertThatThrownBy(() -> new NTriplesParser(8, NTriplesParser.ErrorPolicy.FAIL))
                .hasMessageContaining("maxLineLength 8");
    }

    @Test
    void repeatedTermsAndTermsSharingLengthAndTail_getTheirOwnHashedIds() {
        // the parser remembers recent short terms by length and last bytes: repeats, and distinct
        // terms that fall on one slot, must still get exactly the hash of their own text
        StringBuilder doc = new StringBuilder();
        List<String> objects = new java.util.ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String o = "<http://ex/" + (char) ('a' + i % 26) + (char) ('a' + i / 26 % 26) + (char) ('a' + i / 676) + "/same-tail>";
            String lit = "\"" + (i % 3 == 0 ? "short" : "v" + (i % 97) + "-0123456789") + "\"";
            objects.add(o);
            objects.add(lit);
            doc.append(S).append(' ').append(P).append(' ').append(o).append(" .\n");
            doc.append(o).append(' ').append(P).append(' ').append(lit).append(" .\n");
        }
        List<long[]> t = Ref.parse(doc.toString());
        assertThat(t).hasSize(objects.size());
        for (int k = 0; k < t.size(); k++) {
            assertThat(t.get(k)[2]).as("object %d %s", k, objects.get(k)).isEqualTo(Ref.id(objects.get(k)));
            assertThat(t.get(k)[1]).isEqualTo(Ref.id(P));
            assertThat(t.get(k)[0]).isEqualTo(Ref.id(k % 2 == 0 ? S : objects.get(k - 1)));
        }
    }
}
