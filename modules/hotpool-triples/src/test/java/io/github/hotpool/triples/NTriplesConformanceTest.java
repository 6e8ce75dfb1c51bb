package io.github.hotpool.triples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Runs every test listed in the W3C RDF 1.1 N-Triples manifest (test resources). */
class NTriplesConformanceTest {

    private static final String DIR = "/rdf11-n-triples/";
    private static final Pattern ENTRY = Pattern.compile(
            "<#([^>]+)>\\s+rdf:type\\s+rdft:(TestNTriples(?:Positive|Negative)Syntax)\\s*;(.*?)\\n\\s*\\.",
            Pattern.DOTALL);
    private static final Pattern ACTION = Pattern.compile("mf:action\\s+<([^>]+)>");
    private static final Pattern ENTRIES = Pattern.compile("mf:entries\\s*\\((.*?)\\)", Pattern.DOTALL);

    record Case(String name, boolean positive, String file) {
    }

    static List<Case> cases() throws IOException {
        String manifest = read("manifest.ttl");
        List<Case> cases = new ArrayList<>();
        Matcher m = ENTRY.matcher(manifest);
        while (m.find()) {
            Matcher a = ACTION.matcher(m.group(3));
            if (!a.find()) {
                throw new IllegalStateException("test " + m.group(1) + " has no mf:action");
            }
            cases.add(new Case(m.group(1), m.group(2).contains("Positive"), a.group(1)));
        }
        return cases;
    }

    @Test
    void manifest_everyListedEntryHasATestDescription() throws IOException {
        Matcher m = ENTRIES.matcher(read("manifest.ttl"));
        assertThat(m.find()).isTrue();
        List<String> listed = new ArrayList<>();
        Matcher e = Pattern.compile("<#([^>]+)>").matcher(m.group(1));
        while (e.find()) {
            listed.add(e.group(1));
        }
        assertThat(listed).hasSize(58);
        assertThat(cases()).extracting(Case::name).containsExactlyInAnyOrderElementsOf(listed);
    }

    @TestFactory
    Stream<DynamicTest> everyManifestTest_passes() throws IOException {
        return cases().stream().map(c -> DynamicTest.dynamicTest(
                c.name() + (c.positive() ? " parses" : " is rejected"), () -> {
                    byte[] doc = bytes(c.file());
                    if (c.positive()) {
                        Ref.parse(doc);
                    } else {
                        assertThatThrownBy(() -> Ref.parse(doc)).isInstanceOf(NTriplesException.class);
                    }
                }));
    }

    private static String read(String file) throws IOException {
        return new String(bytes(file), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String file) throws IOException {
        try (InputStream in = NTriplesConformanceTest.class.getResourceAsStream(DIR + file)) {
            if (in == null) {
                throw new IOException("missing test resource " + DIR + file);
            }
            return in.readAllBytes();
        }
    }
}
