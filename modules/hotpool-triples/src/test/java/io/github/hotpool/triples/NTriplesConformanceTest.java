package io.github.hotpool.triples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every test the W3C RDF 1.2 N-Triples manifest lists (test resources), following its
 * includes: the canonicalization tests (output compared as text), the RDF 1.2 syntax tests and
 * the RDF 1.1 suite.
 */
class NTriplesConformanceTest {

    private static final String TOP = "/rdf12-n-triples/manifest.ttl";
    /** The top manifest includes the RDF 1.1 suite by its place in w3c/rdf-tests; here it is a sibling. */
    private static final Map<String, String> MOVED = Map.of(
            "/rdf12-n-triples/../../rdf11/rdf-n-triples/manifest.ttl", "/rdf11-n-triples/manifest.ttl");
    private static final Pattern INCLUDES = Pattern.compile("mf:include\\s*\\((.*?)\\)", Pattern.DOTALL);
    private static final Pattern ENTRIES = Pattern.compile("mf:entries\\s*\\((.*?)\\)", Pattern.DOTALL);
    private static final Pattern IRI = Pattern.compile("<([^>]+)>");
    private static final Pattern NAME = Pattern.compile("<#[^>]+>|[A-Za-z]*:[\\w.-]+");
    private static final Pattern ACTION = Pattern.compile("mf:action\\s+<([^>]+)>");
    private static final Pattern RESULT = Pattern.compile("mf:result\\s+<([^>]+)>");

    enum Kind { POSITIVE, NEGATIVE, C14N }

    record Case(String manifest, String name, Kind kind, String action, String result) {
    }

    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        collect(TOP, cases);
        return cases;
    }

    private static void collect(String manifestPath, List<Case> into) throws IOException {
        String text = withoutCommentLines(read(manifestPath));
        String dir = manifestPath.substring(0, manifestPath.lastIndexOf('/') + 1);
        Matcher inc = INCLUDES.matcher(text);
        if (inc.find()) {
            Matcher iri = IRI.matcher(inc.group(1));
            while (iri.find()) {
                String path = dir + iri.group(1);
                collect(MOVED.getOrDefault(path, path), into);
            }
        }
        Matcher list = ENTRIES.matcher(text);
        if (!list.find()) {
            return;
        }
        Matcher name = NAME.matcher(list.group(1));
        while (name.find()) {
            into.add(describe(manifestPath, dir, text, name.group()));
        }
    }

    private static Case describe(String manifest, String dir, String text, String name) {
        Matcher d = Pattern.compile("(?m)^" + Pattern.quote(name)
                + "\\s+(?:rdf:type|a)\\s+rdft:(\\w+)\\s*;(.*?)\\n\\s*\\.\\s*$", Pattern.DOTALL).matcher(text);
        if (!d.find()) {
            throw new IllegalStateException(manifest + ": entry " + name + " has no description");
        }
        Kind kind = switch (d.group(1)) {
            case "TestNTriplesPositiveSyntax" -> Kind.POSITIVE;
            case "TestNTriplesNegativeSyntax" -> Kind.NEGATIVE;
            case "TestNTriplesPositiveC14N" -> Kind.C14N;
            default -> throw new IllegalStateException(manifest + ": entry " + name + " of unknown type " + d.group(1));
        };
        Matcher a = ACTION.matcher(d.group(2));
        if (!a.find()) {
            throw new IllegalStateException(manifest + ": entry " + name + " has no mf:action");
        }
        Matcher r = RESULT.matcher(d.group(2));
        String result = r.find() ? dir + r.group(1) : null;
        if (kind == Kind.C14N && result == null) {
            throw new IllegalStateException(manifest + ": c14n entry " + name + " has no mf:result");
        }
        return new Case(manifest, name, kind, dir + a.group(1), result);
    }

    private static String withoutCommentLines(String manifest) {
        return manifest.lines().filter(l -> !l.stripLeading().startsWith("#")).collect(Collectors.joining("\n"));
    }

    @Test
    void manifests_listTheExpectedNumberOfTestsOfEachKind() throws IOException {
        List<Case> cases = cases();
        Map<String, Long> perManifest = cases.stream().collect(Collectors.groupingBy(Case::manifest, Collectors.counting()));
        assertThat(perManifest).containsOnly(
                Map.entry("/rdf12-n-triples/c14n/manifest.ttl", 31L),
                Map.entry("/rdf12-n-triples/syntax/manifest.ttl", 21L),
                Map.entry("/rdf11-n-triples/manifest.ttl", 58L));
        assertThat(cases.stream().filter(c -> c.kind() == Kind.C14N)).hasSize(31);
        assertThat(cases.stream().filter(c -> c.kind() == Kind.NEGATIVE)).hasSize(17 + 24);
        assertThat(cases).extracting(c -> c.manifest() + c.name()).doesNotHaveDuplicates();
    }

    @TestFactory
    Stream<DynamicTest> everyManifestTest_passes() throws IOException {
        return cases().stream().map(c -> DynamicTest.dynamicTest(title(c), () -> {
            byte[] doc = bytes(c.action());
            switch (c.kind()) {
                case POSITIVE -> Ref.parse(doc);
                case NEGATIVE -> assertThatThrownBy(() -> Ref.parse(doc)).isInstanceOf(NTriplesException.class);
                case C14N -> {
                    byte[] expected = bytes(c.result());
                    assertThat(canonical(doc)).isEqualTo(new String(expected, StandardCharsets.UTF_8));
                    // the expected text is canonical already, and its terms have the input's ids
                    assertThat(canonical(expected)).isEqualTo(new String(expected, StandardCharsets.UTF_8));
                    assertThat(Ref.parse(expected))
                            .containsExactlyElementsOf(Ref.parse(doc));
                }
                default -> throw new AssertionError(c.kind());
            }
        }));
    }

    private static String title(Case c) {
        String where = c.manifest().substring(1, c.manifest().lastIndexOf('/'));
        return where + " " + c.name() + switch (c.kind()) {
            case POSITIVE -> " parses";
            case NEGATIVE -> " is rejected";
            case C14N -> " gives the canonical text";
        };
    }

    static String canonical(byte[] doc) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NTriplesParser parser = new NTriplesParser().canonicalLines(out::write);
        parser.feed(doc, 0, doc.length, (s, p, o) -> { });
        parser.finish((s, p, o) -> { });
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String read(String path) throws IOException {
        return new String(bytes(path), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String path) throws IOException {
        try (InputStream in = NTriplesConformanceTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing test resource " + path);
            }
            return in.readAllBytes();
        }
    }
}
