package io.github.hotpool.triples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TermTableTest {

    @Test
    void parsedTerms_canBeNamedAgainInCanonicalForm() {
        TermTable table = new TermTable(1024, 64);
        byte[] doc = "<http://ex/s> <http://ex/p> \"caf\\u00E9\"@EN .\n".getBytes(StandardCharsets.US_ASCII);
        Ref.Collect c = new Ref.Collect();
        new NTriplesParser().termTable(table).feed(doc, 0, doc.length, c);
        long[] t = c.triples.get(0);
        assertThat(table.name(t[0])).isEqualTo("<http://ex/s>");
        assertThat(table.name(t[1])).isEqualTo("<http://ex/p>");
        assertThat(table.name(t[2])).isEqualTo("\"café\"@en");
    }

    @Test
    void unknownOrEvictedIds_giveNull() {
        TermTable table = new TermTable(1, 32);
        record(table, "<http://ex/a>");
        record(table, "<http://ex/b>");
        assertThat(table.name(Ref.id("<http://ex/a>"))).isNull();
        assertThat(table.name(Ref.id("<http://ex/b>"))).isEqualTo("<http://ex/b>");
        assertThat(table.name(12345)).isNull();
    }

    @Test
    void longTerms_keepTheirPrefix_andMemoryIsFixed() {
        TermTable table = new TermTable(4, 8);
        record(table, "<http://example.org/long>");
        assertThat(table.name(Ref.id("<http://example.org/long>"))).isEqualTo("<http://…");
        assertThat(table.memoryBytes()).isEqualTo(4 * 8 + 4 * 8 + 4 * 4 + 4 * 8);
    }

    @Test
    void badSizes_areRejectedNamingTheValue() {
        assertThatThrownBy(() -> new TermTable(3, 64)).hasMessage("slots must be a positive power of 2: slots=3");
        assertThatThrownBy(() -> new TermTable(4, 2)).hasMessageContaining("maxTermBytes 2");
    }

    @Test
    void concurrentReader_neverSeesATornTerm() throws Exception {
        TermTable table = new TermTable(1, 32);
        String a = "<http://ex/aaaaaaaaaaaaaaaa>";
        String b = "<http://ex/bbbbbbbbbbbbbbbb>";
        long ida = Ref.id(a);
        long idb = Ref.id(b);
        byte[] ba = a.getBytes(StandardCharsets.US_ASCII);
        byte[] bb = b.getBytes(StandardCharsets.US_ASCII);
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 200_000; i++) {
                table.record(ida, ba, 0, ba.length);
                table.record(idb, bb, 0, bb.length);
            }
        });
        writer.start();
        int seen = 0;
        while (writer.isAlive()) {
            String na = table.name(ida);
            String nb = table.name(idb);
            assertThat(na).isIn(null, a);
            assertThat(nb).isIn(null, b);
            seen += na != null || nb != null ? 1 : 0;
        }
        writer.join();
        assertThat(seen).isPositive();
    }

    private static void record(TermTable table, String term) {
        byte[] b = term.getBytes(StandardCharsets.UTF_8);
        table.record(Ref.id(term), b, 0, b.length);
    }

    @Test
    void name_ofASlotWhoseWriteNeverEnds_isUnknown_notAnEndlessWait() throws Exception {
        TermTable t = new TermTable(16, 64);
        byte[] term = "<http://ex/a>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long id = 0x10;
        t.record(id, term, 0, term.length);
        // a writer that died mid-write leaves the slot's version odd
        java.lang.reflect.Field f = TermTable.class.getDeclaredField("versions");
        f.setAccessible(true);
        long[] versions = (long[]) f.get(t);
        versions[(int) id & 15] |= 1;
        assertThat(t.name(id)).isNull();
    }
}
