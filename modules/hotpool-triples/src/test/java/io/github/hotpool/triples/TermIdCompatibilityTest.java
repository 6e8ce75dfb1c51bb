package io.github.hotpool.triples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Term ids of RDF 1.1 input under the RDF 1.2 canonical rule, against the ids the previous rule
 * gave the bundled schema.org file.
 *
 * <p>{@link #SHA256_OF_RDF11_RULE_IDS} is the SHA-256 of every triple's (s, p, o) ids, 8 bytes
 * big-endian each, in file order, as the parser before RDF 1.2 computed them (commit 0cde5ef,
 * whose rule kept TAB, BS, FF and other control characters raw inside a literal's canonical
 * form). The test rebuilds that stream from today's parser: every id must be unchanged except
 * those whose canonical text now holds one of the RDF 1.2 escapes, and those, hashed by the old
 * rule (the escape turned back into the raw character), must give the old ids.
 */
class TermIdCompatibilityTest {

    private static final String SCHEMA_ORG = "/io/github/hotpool/data/schemaorg-30.0-all-https.nt";
    static final String SHA256_OF_RDF11_RULE_IDS = "ed2c73a62925cd5ad633c24f33e9d6bdb762d21fd1e64e380fa5be5fb09abcda";

    @Test
    void bundledFile_keepsEveryIdButTheFiveLiteralsWithARawTab() throws IOException, NoSuchAlgorithmException {
        byte[] doc;
        try (InputStream in = TermIdCompatibilityTest.class.getResourceAsStream(SCHEMA_ORG)) {
            doc = in.readAllBytes();
        }
        List<long[]> ids = new ArrayList<>();
        List<String> objects = new ArrayList<>();
        NTriplesParser parser = new NTriplesParser().canonicalLines((b, off, len) -> {
            String line = new String(b, off, len, StandardCharsets.UTF_8);
            objects.add(line); // canonical line: the object is what follows "<s> <p> "
        });
        Ref.Collect collect = new Ref.Collect();
        parser.feed(doc, 0, doc.length, collect);
        parser.finish(collect);
        ids.addAll(collect.triples);

        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        ByteBuffer row = ByteBuffer.allocate(24);
        int changed = 0;
        for (int t = 0; t < ids.size(); t++) {
            long[] spo = ids.get(t);
            String line = objects.get(t);
            long o = spo[2];
            if (line.contains("\\t") || line.contains("\\b") || line.contains("\\f") || line.contains("\\u")) {
                String object = objectOf(line);
                String oldCanonical = object.replace("\\t", "\t").replace("\\b", "\b").replace("\\f", "\f");
                assertThat(oldCanonical).as("only TAB escapes occur in the bundled file").doesNotContain("\\u");
                assertThat(Ref.id(object)).isEqualTo(o);
                o = Ref.id(oldCanonical);
                assertThat(o).isNotEqualTo(spo[2]);
                changed++;
            }
            row.clear();
            row.putLong(spo[0]).putLong(spo[1]).putLong(o);
            sha.update(row.array());
        }
        assertThat(ids).hasSize(18_061);
        assertThat(changed).isEqualTo(5);
        assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(SHA256_OF_RDF11_RULE_IDS);
    }

    /** The object of a canonical line {@code <s> <p> OBJECT .\n} whose subject and predicate are IRIs. */
    private static String objectOf(String line) {
        int afterS = line.indexOf("> ") + 2;
        int afterP = line.indexOf("> ", afterS) + 2;
        return line.substring(afterP, line.length() - " .\n".length());
    }
}
