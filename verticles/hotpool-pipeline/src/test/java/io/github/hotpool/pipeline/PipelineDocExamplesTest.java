package io.github.hotpool.pipeline;

import static io.github.hotpool.pipeline.TestData.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.testing.DocSnippets;
import io.github.hotpool.pipeline.stage.RowSource;
import io.github.hotpool.pipeline.stage.RowStage;
import io.github.hotpool.pipeline.stage.SpanStage;
import io.github.hotpool.pipeline.stage.StagePipeline;
import io.github.hotpool.pipeline.stage.StagePipelineStats;
import io.github.hotpool.vertx.Span;
import io.github.hotpool.vertx.SpanOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Java and JSON blocks of docs/pipeline.md: each Java block is a region of this file,
 * compiled and run here, and {@link DocSnippets} checks that the page shows exactly that code;
 * each JSON options block is read by the options classes, strictly, and validated.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipelineDocExamplesTest extends VertxTestBase {

    private static final Path DOC = Path.of("../../docs/pipeline.md");

    /** The RowSource the stage-framework block pulls from: rows 0..n-1, subject = i. */
    static final class Numbers implements RowSource {
        final long n;
        long i;

        Numbers(long n) {
            this.n = n;
        }

        @Override
        public boolean hasNext() {
            return i < n;
        }

        @Override
        public void write(DeltaRing.Row row) {
            row.set(0, i++, 1, 0).length(1);
        }
    }

    // --8<-- [start:square-total]
    static class Square extends RowStage {                         // per row: an exception fails this row only
        protected void process(DeltaRing.Row row) { row.setObject(0, row.subject(0) * row.subject(0)); }
    }
    static class Total extends SpanStage {                         // per span: the stage ends it, now or later on its context
        long sum;
        protected void process(Span span) {
            DeltaRing.Row r = rows();
            for (long s = span.first(); s < span.end(); s++) { if (!r.at(s).isFailed()) sum += r.object(0); }
            complete(span);                                 // or fail(span, reason); fail(row, reason) for one row
        }
    }
    // --8<-- [end:square-total]

    @Test
    void theHandlePipelineBlock_runs() throws Exception {
        JsonArray hooks = TestData.hooksJson();
        String file = TestData.write(dir, "data.nt", TestData.schemaOrg()).toString();
        String out = dir.resolve("out").toString();
        String printed = capturingOut(() -> {
            // --8<-- [start:handle-pipeline]
            Future<JsonObject> done = Pipeline.deploy(vertx, new PipelineOptions().setHooks(hooks) // hooks: a JsonArray (docs/hooks.md)
                    .setLockchain(new LockchainOptions().setOutDir(out))          // out, file: path strings
                    .setListeners(new ListenerOptions().setHttpPort(0)))          // any free port: p.httpPort() says which
                .compose(p -> p.ingestFile(file)               // summary: source, lines, triples, batches, failedBatches, badLines
                    .compose(summary -> p.flush())              // seals the open cycle: head, cycles, receipts, heldForFile
                    .onSuccess(chain -> System.out.println(chain.getString("head") + " " + p.stats().toJson()))
                    .eventually(() -> p.undeploy()));           // drains, then undeploys Ingest ... Emit
            // --8<-- [end:handle-pipeline]
            await(done);
        });
        assertThat(printed).matches("[0-9a-f]{64} \\{.*\\}\\s*");
        assertThat(Files.size(dir.resolve("out").resolve("lockchain.jsonl"))).isPositive();
        assertShown("handle-pipeline");
    }

    @Test
    void theRingPipelineBlock_runs() throws Exception {
        JsonArray hooks = TestData.hooksJson();
        String file = TestData.write(dir, "data.nt", TestData.schemaOrg()).toString();
        String out = dir.resolve("out").toString();
        String printed = capturingOut(() -> {
            // --8<-- [start:ring-pipeline]
            Future<JsonObject> done = GuardPipeline.deploy(vertx, new PipelineOptions().setHooks(hooks)
                    .setLockchain(new LockchainOptions().setOutDir(out)))     // ring 1024, 64-row spans
                .compose(p -> p.ingestFile(file)                   // summary once every row of the file is durable
                    .compose(summary -> p.flush())                  // seal: head, cycles, receipts, heldForFile
                    .onSuccess(chain -> System.out.println(chain.getString("head") + " " + p.stats().toJson()))
                    .eventually(p::undeploy));
            // --8<-- [end:ring-pipeline]
            await(done);
        });
        assertThat(printed).matches("[0-9a-f]{64} \\{.*\\}\\s*");
        assertShown("ring-pipeline");
    }

    @Test
    void theStageFrameworkBlock_runsInJavaAndFromJson() throws Exception {
        // --8<-- [start:stage-pipeline]
        Future<StagePipelineStats> done = StagePipeline.builder().name("squares")
            .source("numbers", () -> new Numbers(1_000))        // RowSource: hasNext(), write(row) on the source's context
            .stage("square", Square::new, 2)                    // name, factory (a new verticle per call), instances
            .stage("total", Total::new, 1)
            .ringCapacity(1024).span(new SpanOptions())         // 64-row spans, 1 ms linger
            .stageTimeoutMillis(5_000).drainTimeoutMillis(10_000)
            .deploy(vertx)                                      // Future<StagePipeline>: source, then stages in order, then go
            .compose(p -> p.finished().compose(v -> p.undeploy()));   // Future<StagePipelineStats>

        // the same declaration as JSON (StagePipelineOptions; names refer to factories registered on the builder)
        JsonObject json = new JsonObject("""
            {"name": "squares", "source": "numbers", "ringCapacity": 1024, "span": {"maxSpanRows": 64, "lingerMillis": 1},
             "stageTimeoutMillis": 5000, "drainTimeoutMillis": 10000,
             "stages": [{"name": "square", "instances": 2}, {"name": "total", "context": "tail"}]}""");
        Future<StagePipelineStats> again = StagePipeline.builder().sourceFactory("numbers", () -> new Numbers(1_000))
            .factory("square", Square::new).factory("total", Total::new)
            .options(json).deploy(vertx)
            .compose(p -> p.finished().compose(v -> p.undeploy()));
        // --8<-- [end:stage-pipeline]
        for (StagePipelineStats st : List.of(await(done), await(again))) {
            assertThat(st.stage("square").rows()).isEqualTo(1_000);
            assertThat(st.stage("total").rows()).isEqualTo(1_000);
        }
        assertShown("square-total");
        assertShown("stage-pipeline");
    }

    @Test
    void everyJsonOptionsBlock_isReadStrictly_andValidates() throws IOException {
        List<String> blocks = blocks("json");
        assertThat(blocks).as("the page has its options JSON").isNotEmpty();
        for (String b : blocks) {
            PipelineOptions o = new PipelineOptions(new JsonObject(b)).validate();
            assertThat(new PipelineOptions(o.toJson())).isEqualTo(o);
        }
    }

    /** Runs {@code body} with System.out captured; @return what it printed. */
    private static String capturingOut(ThrowingRunnable body) throws Exception {
        PrintStream was = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(was);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Fails unless the page's block after {@code <!-- snippet: region -->} is this test's region of that name. */
    private static void assertShown(String region) throws IOException {
        assertThat(DocSnippets.block("docs/pipeline.md", region))
            .isEqualTo(DocSnippets.region("verticles/hotpool-pipeline/src/test/java/io/github/hotpool/pipeline/"
                + "PipelineDocExamplesTest.java", region));
    }

    private static List<String> blocks(String lang) throws IOException {
        Matcher m = Pattern.compile("```" + lang + "\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
