package io.github.hotpool.triples;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test-side reference: FNV-1a 64 written out again, over canonical text given by the test. */
final class Ref {

    private Ref() {
    }

    static long id(String canonical) {
        long h = 0xcbf29ce484222325L;
        for (byte b : canonical.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        return h == 0 ? 1 : h;
    }

    /** Collects triples as {s, p, o} arrays (allocating: tests only). */
    static final class Collect implements TripleSink {
        final List<long[]> triples = new ArrayList<>();

        @Override
        public void accept(long s, long p, long o) {
            triples.add(new long[] {s, p, o});
        }
    }

    static List<long[]> parse(String doc) {
        return parse(doc.getBytes(StandardCharsets.UTF_8));
    }

    static List<long[]> parse(byte[] doc) {
        Collect c = new Collect();
        NTriplesParser parser = new NTriplesParser();
        parser.feed(doc, 0, doc.length, c);
        parser.finish(c);
        return c.triples;
    }
}
