package io.github.hotpool.triples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.testing.DocSnippets;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The code blocks of docs/ntriples.md: the same code, run here. */
@Timeout(30)
class DocsNTriplesSnippetsTest {

    private static final String SELF =
        "modules/hotpool-triples/src/test/java/io/github/hotpool/triples/DocsNTriplesSnippetsTest.java";
    private static final String INPUT = "<http://ex/a> <http://ex/p> <http://ex/b> .\n"
        + "<http://ex/a> <http://ex/q> \"x\"@en--ltr .\n"
        + "<http://ex/c> <http://ex/p> <<( <http://ex/a> <http://ex/p> <http://ex/b> )>> .\n"
        + "not a triple\n"
        + "<http://ex/d> <http://ex/p> \"last\" ."; // no line break at the end

    private final List<Integer> loaded = new ArrayList<>();

    private void work(SoaBuffer buf) {
        loaded.add(buf.length());
    }

    @Test
    void theDocsShowThisCode() throws Exception {
        assertThat(DocSnippets.block("docs/ntriples.md", "parse")).isEqualTo(DocSnippets.region(SELF, "parse"));
        assertThat(DocSnippets.block("docs/ntriples.md", "canon")).isEqualTo(DocSnippets.region(SELF, "canon"));
    }

    @Test
    void theParseBlock_loadsEveryGoodTripleIntoPooledBuffers() {
        BufferPool pool = new BufferPool(new PoolOptions().setName("doc"));
        byte[] bytes = INPUT.getBytes(StandardCharsets.UTF_8);
        int off = 0;
        int len = bytes.length;
        // --8<-- [start:parse]
        NTriplesParser parser = new NTriplesParser(64 * 1024, NTriplesParser.ErrorPolicy.SKIP)
                .termTable(new TermTable(4096, 128));           // optional: ids -> text
        Batcher batcher = new Batcher(batch -> {                 // cuts the stream into batches of <= 8
            try (SoaBuffer buf = pool.acquire(8)) {               // a pooled buffer (BufferPool, hotpool-core)
                Loader.loadInto(batch, buf);                      // predicate runs {pred, off, len}
                work(buf);                                        // reflex, emit; the buffer goes back here
            }
        });
        parser.feed(bytes, off, len, batcher);                    // any chunking, repeatedly
        parser.finish(batcher);                                   // a last line without a line break
        batcher.flush();
        // --8<-- [end:parse]
        assertThat(loaded).as("one batch: the 4 good triples, the last one without a line break").containsExactly(4);
        assertThat(pool.soaInUse()).isZero();
        assertThat(pool.close()).isZero();
    }

    @Test
    void theCanonBlock_writesCanonicalLines_andReportsTheBadOne(@TempDir Path dir) throws Exception {
        Path in = Files.writeString(dir.resolve("in.nt"), INPUT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.io.PrintStream was = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            // --8<-- [start:canon]
            ParallelNTriples canon = new ParallelNTriples();            // every core, 64 KiB lines, 256 KiB blocks
            ParallelNTriples.Summary s = canon.canonicalize(in, out,   // in: a Path; out: an OutputStream
                    e -> System.err.println(e.line() + ":" + e.column() + ": " + e.reason()));
            // --8<-- [end:canon]
            assertThat(s.triples()).isEqualTo(4);
            assertThat(s.badLines()).isEqualTo(1);
        } finally {
            System.setErr(was);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("4:1: ");
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(4)
            .contains("<http://ex/a> <http://ex/q> \"x\"@en--ltr .");
    }
}
