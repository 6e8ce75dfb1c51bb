package io.github.hotpool.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.testing.DocSnippets;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** examples/sample-data/README.md's way to read the bundled file: the same code, run here. */
@Timeout(30)
class DocsSampleDataSnippetTest {

    @Test
    void theReadmeShowsThisCode_andItReadsTheBundledFile() throws Exception {
        assertThat(DocSnippets.block("examples/sample-data/README.md", "read-data")).isEqualTo(DocSnippets.region(
            "verticles/hotpool-pipeline/src/test/java/io/github/hotpool/pipeline/DocsSampleDataSnippetTest.java", "read-data"));
        // --8<-- [start:read-data]
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        byte[] nt;
        try (InputStream in = cl.getResourceAsStream("io/github/hotpool/data/schemaorg-30.0-all-https.nt")) {
            nt = in.readAllBytes();                              // 2.4 MB of N-Triples: 18,061 triples
        }
        // --8<-- [end:read-data]
        assertThat(nt.length).isGreaterThan(2_000_000);
        assertThat(new String(nt, StandardCharsets.UTF_8).lines().filter(l -> l.endsWith(" .")).count())
            .isEqualTo(18_061);
    }
}
