package io.github.hotpool.pipeline;

import static io.github.hotpool.pipeline.TestData.await;
import static io.github.hotpool.pipeline.TestData.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hotpool.pipeline.store.InputMark;
import io.github.hotpool.pipeline.store.StoreVerifier;
import io.github.hotpool.vertx.SpanOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GuardPipelineTest extends VertxTestBase {

    private PipelineOptions options(Path out) {
        return new PipelineOptions().setHooks(TestData.hooksJson()).setLockchain(new LockchainOptions().setCycleReceipts(256).setOutDir(out == null ? null : out.toString()));
    }

    @Test
    void schemaOrgFile_givesTheReceiptsAndHeadOfTheKernelCalledDirectly() throws Exception {
        byte[] data = TestData.schemaOrg();
        Path file = TestData.write(dir, "schemaorg.nt", data);
        Path out = dir.resolve("out");
        Direct direct = Direct.run(data, TestData.hooks(), 256);

        GuardPipeline p = await(GuardPipeline.deploy(vertx, options(out)));
        JsonObject summary = await(p.ingestFile(file.toString()));
        JsonObject chain = await(p.flush());
        GuardStats stats = p.stats();
        await(p.undeploy());

        assertThat(direct.triples).isEqualTo(18_061);
        assertThat(summary.getLong("triples")).isEqualTo(direct.triples);
        assertThat(summary.getLong("batches")).isEqualTo(direct.bySeq.size());
        assertThat(summary.getLong("failedBatches")).isZero();
        assertThat(stats.triples()).isEqualTo(direct.triples);
        assertThat(stats.failedRows()).isZero();
        assertThat(stats.rowsEmitted()).isEqualTo(stats.rows()).isEqualTo(direct.bySeq.size());
        assertThat(stats.receipts()).isEqualTo(direct.receipts).isPositive();
        assertThat(stats.rowsInFlight()).isZero();
        assertThat(PipelineEndToEndTest.aHashXor(out)).isEqualTo(direct.aHashXor);
        assertThat(chain.getString("head")).isEqualTo(direct.head);
        StoreVerifier.Verdict v = StoreVerifier.verify(out, java.util.HexFormat.of().parseHex(chain.getString("head")));
        assertThat(v.ok()).as(v.reason()).isTrue();
    }

    @ParameterizedTest(name = "ring {0}, spans of {1} rows, linger {2} ms")
    @CsvSource({"16, 1, 1", "64, 7, 1", "1024, 64, 1", "1024, 64, 50", "256, 256, 1"})
    void head_doesNotDependOnRingSpanSizeOrLinger(int ring, int spanRows, long linger) throws Exception {
        byte[] data = TestData.schemaOrg();
        Direct direct = Direct.run(data, TestData.hooks(), 256);
        GuardPipeline p = await(GuardPipeline.deploy(vertx, options(null).setRings(new RingsOptions().setRingCapacity(ring)
            .setSpan(new SpanOptions().setMaxSpanRows(spanRows).setLingerMillis(linger)))));
        await(p.ingest(Buffer.buffer(data), "mem", null));
        JsonObject chain = await(p.flush());
        await(p.undeploy());
        assertThat(chain.getString("head")).isEqualTo(direct.head);
        assertThat(chain.getLong("receipts")).isEqualTo(direct.receipts);
    }

    @ParameterizedTest(name = "load x{0}, reflex x{1}")
    @CsvSource({"1, 1", "2, 1", "1, 3", "3, 2"})
    void head_doesNotDependOnLoadAndReflexInstances(int load, int reflex) throws Exception {
        byte[] data = TestData.schemaOrg();
        Direct direct = Direct.run(data, TestData.hooks(), 256);
        JsonObject one = threeInputs(data, 1, 1);
        JsonObject many = threeInputs(data, load, reflex);
        assertThat(many.getLong("receipts")).isEqualTo(3 * direct.receipts);
        assertThat(many.getString("head")).isEqualTo(one.getString("head"));
        assertThat(many.getLong("rowsEmitted")).isEqualTo(3L * direct.bySeq.size());
        assertThat(many.getLong("reflexRows")).as("every row once, across instances").isEqualTo(3L * direct.bySeq.size());
        assertThat(many.getLong("failedRows")).isZero();
    }

    @Test
    void loadReflexAndEmitOnOneSharedContext_giveTheSameHead() throws Exception {
        byte[] data = TestData.schemaOrg();
        Direct direct = Direct.run(data, TestData.hooks(), 256);
        PipelineOptions o = options(null);
        o.getStages().getLoad().setContext("work");
        o.getStages().getReflex().setContext("work");
        o.getStages().getEmit().setContext("work");
        GuardPipeline p = await(GuardPipeline.deploy(vertx, o));
        assertThat(p.stages().options().getStages()).extracting(s -> s.context()).containsExactly("work", "work", "work");
        await(p.ingest(Buffer.buffer(data), "mem", null));
        JsonObject chain = await(p.flush());
        await(p.undeploy());
        assertThat(chain.getString("head")).isEqualTo(direct.head);
        assertThatThrownBy(() -> new PipelineOptions().setStages(new StagesOptions()
            .setReflex(new StageOptions().setInstances(2).setContext("work"))).validate())
            .hasMessage("reflex context 'work': a stage on a shared context has one instance, not 2");
        assertThatThrownBy(() -> new PipelineOptions(new JsonObject().put("stages", new JsonObject()
            .put("load", new JsonObject().put("contxt", "w")))))
            .hasMessageStartingWith("unknown pipeline option 'stages.load.contxt'");
    }

    @ParameterizedTest(name = "load x{0}, reflex x{1}")
    @CsvSource({"1, 1", "2, 3"})
    void adaptiveRing_growsUnderIngest_andGivesTheSameHead(int load, int reflex) throws Exception {
        byte[] data = TestData.schemaOrg();
        Direct direct = Direct.run(data, TestData.hooks(), 256);
        PipelineOptions o = options(null).setRings(new RingsOptions().setRingCapacity(16).setRingMaxCapacity(256)
            .setSpan(new SpanOptions().setMaxSpanRows(4)));
        o.getStages().setLoad(new StageOptions().setInstances(load)).setReflex(new StageOptions().setInstances(reflex));
        GuardPipeline p = await(GuardPipeline.deploy(vertx, o));
        assertThat(p.stages().spanRing().ring().isAdaptive()).isTrue();
        await(p.ingest(Buffer.buffer(data), "mem", null));
        JsonObject chain = await(p.flush());
        GuardStats stats = p.stats();
        await(p.undeploy());
        assertThat(chain.getString("head")).isEqualTo(direct.head);
        assertThat(stats.rowsEmitted()).isEqualTo(direct.bySeq.size());
        assertThat(stats.failedRows()).isZero();
        // 16 rows cannot hold a schema.org file in flight: ingest found the ring full and it grew
        assertThat(stats.stages().ring().grows()).as("%s", stats.stages().ring()).isPositive();
        assertThat(stats.stages().ring().maxCapacity()).isEqualTo(256);
        assertThat(stats.stages().ring().capacity()).isBetween(16, 256);
    }

    /** The same file three times into one pipeline (the instances' interleaving differs each time): chain and counts. */
    private JsonObject threeInputs(byte[] data, int load, int reflex) throws Exception {
        PipelineOptions o = options(null).setRings(new RingsOptions().setRingCapacity(64)
            .setSpan(new SpanOptions().setMaxSpanRows(4)));
        o.getStages().setLoad(new StageOptions().setInstances(load)).setReflex(new StageOptions().setInstances(reflex));
        GuardPipeline p = await(GuardPipeline.deploy(vertx, o));
        assertThat(p.stages().instances("load")).hasSize(load);
        assertThat(p.stages().instances("reflex")).hasSize(reflex);
        for (int i = 0; i < 3; i++) {
            await(p.ingest(Buffer.buffer(data), "mem" + i, null));
        }
        JsonObject chain = await(p.flush());
        GuardStats stats = p.stats();
        await(p.undeploy());
        return chain.put("rowsEmitted", stats.rowsEmitted()).put("failedRows", stats.failedRows())
            .put("reflexRows", stats.stages().stage("reflex").rows());
    }

    @Test
    void badLines_areReportedWithTheirLineAndColumn_andSkipped() throws Exception {
        String nt = "<http://a> <http://p> <http://b> .\r\n"
            + "<http://a> <http://p> oops .\r"
            + "# a comment\n"
            + "<http://c> <http://p> \"x\" .\n";
        GuardPipeline p = await(GuardPipeline.deploy(vertx, options(null)));
        JsonObject summary = await(p.ingest(Buffer.buffer(nt), "doc", null));
        GuardStats stats = p.stats();
        await(p.undeploy());
        assertThat(summary.getLong("triples")).isEqualTo(2);
        assertThat(summary.getLong("badLines")).isEqualTo(1);
        assertThat(summary.getLong("lines")).isEqualTo(4);
        assertThat(stats.recentErrors()).hasSize(1);
        assertThat(stats.recentErrors().get(0)).startsWith("doc:2:23: ");
    }

    @Test
    void badLine_underFail_failsTheInputNamingTheLine() throws Exception {
        String nt = "<http://a> <http://p> <http://b> .\n" + "<http://a> <http://p> .\n";
        GuardPipeline p = await(GuardPipeline.deploy(vertx, options(null).setBadLinePolicy(BadLinePolicy.FAIL)));
        Throwable t = awaitFailure(p.ingest(Buffer.buffer(nt), "doc", null));
        await(p.undeploy());
        assertThat(t).hasMessageStartingWith("doc:2:").hasMessageEndingWith("; nothing of it was chained");
    }

    /**
     * Under FAIL the input is chained up to the row that holds its first bad line and no further:
     * that row and the rows after it are cut, not chained, and the resume mark stays before the bad
     * line, so that a run again meets it again (both pipelines used to chain rows after it and move
     * the mark past it, and the next run over the same input then resumed after it with exit 0).
     */
    @ParameterizedTest(name = "{0} pipeline, bad line {1}: {2}")
    @CsvSource({"ring, 4002, 'not a triple'", "ring, 4008, 'not a triple'", "ring, 4009, 'not a triple'",
        "ring, 4002, LONG", "handles, 4002, 'not a triple'", "handles, 4008, 'not a triple'",
        "handles, 4009, 'not a triple'", "handles, 4002, LONG"})
    void badLine_underFail_chainsNothingFromItsRowOn_andTheMarkStaysBeforeIt(String engine, int badLine, String kind)
            throws Exception {
        byte[] good = TestData.schemaOrg();
        int at = offsetAfterLines(good, badLine - 1);
        String bad = kind.equals("LONG") ? "<http://a> <http://p> \"" + "x".repeat(70_000) + "\" .\n" : "<http://a> <http://p> .\n";
        byte[] data = new byte[good.length + bad.length()];
        System.arraycopy(good, 0, data, 0, at);
        System.arraycopy(bad.getBytes(StandardCharsets.UTF_8), 0, data, at, bad.length());
        System.arraycopy(good, at, data, at + bad.length(), good.length - at);
        int rowStartLine = (badLine - 1) / 8 * 8; // the lines before the bad line's row: whole rows of 8
        Direct before = Direct.run(java.util.Arrays.copyOf(good, offsetAfterLines(good, rowStartLine)), TestData.hooks(), 256);
        Path out = dir.resolve("out");
        InputMark identity = InputMark.start("mem", data.length, "d");
        for (int attempt = 1; attempt <= 2; attempt++) {
            PipelineOptions o = options(out).setBadLinePolicy(BadLinePolicy.FAIL);
            ReceiptPipeline p = engine.equals("ring") ? await(GuardPipeline.deploy(vertx, o)) : await(Pipeline.deploy(vertx, o));
            InputMark mark = attempt == 1 ? identity : p.recovery().lastInput();
            if (attempt == 2) {
                assertThat(mark.sameInput(identity)).isTrue();
                assertThat(mark.complete()).isFalse();
                assertThat(mark.line()).as("the mark stays before the bad line's row").isEqualTo(rowStartLine);
                assertThat(mark.offset()).isEqualTo(offsetAfterLines(data, rowStartLine));
            }
            Throwable t = awaitFailure(p.ingest(Buffer.buffer(data), "mem", mark));
            await(p.undeploy());
            assertThat(t).as("attempt " + attempt).hasMessageStartingWith("mem:" + badLine + ":");
            if (engine.equals("ring")) {
                long rows = (rowStartLine - mark.line()) / 8;
                assertThat(t).hasMessageEndingWith(rows > 0 ? "; chained before it failed: " + rows + " rows, through line "
                    + rowStartLine : "; nothing of it was chained");
            }
            StoreVerifier.Verdict v = StoreVerifier.verify(out, null);
            assertThat(v.ok()).as(v.reason()).isTrue();
            assertThat(v.receipts()).as("attempt " + attempt + ": only the rows before the bad line's row are chained")
                .isEqualTo(before.receipts).isPositive();
        }
    }

    @Test
    void missingFile_failsThatInput_andTheNextOneStillRuns() throws Exception {
        GuardPipeline p = await(GuardPipeline.deploy(vertx, options(null)));
        Throwable t = awaitFailure(p.ingestFile(dir.resolve("nope.nt").toString()));
        JsonObject next = await(p.ingest(Buffer.buffer("<http://a> <http://p> <http://b> .\n"), "doc", null));
        await(p.undeploy());
        assertThat(t).hasMessageContaining("cannot open");
        assertThat(next.getLong("triples")).isEqualTo(1);
    }

    @Test
    void emptyInput_completesWithNoRows() throws Exception {
        GuardPipeline p = await(GuardPipeline.deploy(vertx, options(null)));
        JsonObject s = await(p.ingest(Buffer.buffer("# nothing\n\n"), "empty", null));
        await(p.undeploy());
        assertThat(s.getLong("batches")).isZero();
        assertThat(s.getLong("lines")).isEqualTo(2);
    }

    @Test
    void resume_fromTheCheckpointsMark_chainsTheRestOnce() throws Exception {
        byte[] data = TestData.schemaOrg();
        Direct direct = Direct.run(data, TestData.hooks(), 256);
        Path out = dir.resolve("out");
        InputMark identity = InputMark.start("mem", data.length, "d");
        // first run: the first 8000 lines (1000 whole rows), as if the process had died once their
        // receipts were durable: a crash leaves only whole rows durable, the rows one run makes
        int half = offsetAfterLines(data, 8000);
        byte[] first = java.util.Arrays.copyOf(data, half);
        GuardPipeline p1 = await(GuardPipeline.deploy(vertx, options(out)));
        await(p1.ingest(Buffer.buffer(first), "mem", identity));
        await(p1.undeploy());
        // what the checkpoint says is chained of the real input: its rows up to the half
        InputMark mark = identity.at(half, countLines(data, half), false);
        GuardPipeline p2 = await(GuardPipeline.deploy(vertx, options(out)));
        JsonObject s = await(p2.ingest(Buffer.buffer(data), "mem", mark));
        await(p2.undeploy());
        StoreVerifier.Verdict v = StoreVerifier.verify(out, null);
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(s.getLong("failedBatches")).isZero();
        assertThat(v.receipts()).isEqualTo(direct.receipts);
    }

    /**
     * A resumed run numbers its batches on from the chain's last one (the checkpoint's
     * {@code batches}), so the resumed chain holds the receipts of one uninterrupted run exactly,
     * batch numbers ({@code cycle}) and the {@code spanId} derived from them included; and a run
     * that extends the chain with another input numbers on too, never reusing a number.
     */
    @Test
    void resumedAndExtendingRuns_numberTheirBatchesOnFromTheChainsLast() throws Exception {
        byte[] data = TestData.schemaOrg();
        Path clean = dir.resolve("clean");
        GuardPipeline c = await(GuardPipeline.deploy(vertx, options(clean)));
        JsonObject whole = await(c.ingest(Buffer.buffer(data), "mem", null));
        await(c.undeploy());

        Path out = dir.resolve("out");
        InputMark identity = InputMark.start("mem", data.length, "d");
        int half = offsetAfterLines(data, 8000);
        GuardPipeline p1 = await(GuardPipeline.deploy(vertx, options(out)));
        JsonObject firstPart = await(p1.ingest(Buffer.buffer(java.util.Arrays.copyOf(data, half)), "mem", identity));
        await(p1.undeploy());
        GuardPipeline p2 = await(GuardPipeline.deploy(vertx, options(out)));
        assertThat(p2.recovery().nextBatch()).as("batches the first run numbered").isEqualTo(firstPart.getLong("batches"));
        await(p2.ingest(Buffer.buffer(data), "mem", identity.at(half, countLines(data, half), false)));
        await(p2.undeploy());
        assertThat(receiptsWithoutChainCycle(out)).isEqualTo(receiptsWithoutChainCycle(clean));

        // another input extends the chain: its batches come after every batch already numbered
        GuardPipeline p3 = await(GuardPipeline.deploy(vertx, options(out)));
        assertThat(p3.recovery().nextBatch()).isEqualTo(whole.getLong("batches"));
        await(p3.ingest(Buffer.buffer(data), "again", null));
        await(p3.undeploy());
        long last = -1;
        for (String line : java.nio.file.Files.readAllLines(out.resolve("receipts.jsonl"))) {
            long cycle = new JsonObject(line).getLong("cycle");
            assertThat(cycle).as("batch numbers never go back").isGreaterThanOrEqualTo(last);
            last = cycle;
        }
        assertThat(last).isLessThan(2 * whole.getLong("batches")).isGreaterThanOrEqualTo(whole.getLong("batches"));
        StoreVerifier.Verdict v = StoreVerifier.verify(out, null);
        assertThat(v.ok()).as(v.reason()).isTrue();
    }

    private static java.util.List<String> receiptsWithoutChainCycle(Path out) throws java.io.IOException {
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(out.resolve("receipts.jsonl"))) {
            JsonObject r = new JsonObject(line);
            r.remove("chainCycle");
            lines.add(r.encode());
        }
        return lines;
    }

    private static int offsetAfterLines(byte[] d, int lines) {
        int n = 0;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == '\n' && ++n == lines) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("fewer than " + lines + " lines");
    }

    private static long countLines(byte[] d, int upTo) {
        long n = 0;
        for (int i = 0; i < upTo; i++) {
            if (d[i] == '\n') {
                n++;
            }
        }
        return n;
    }

    @Test
    void undeployMidStream_failsTheInput_drainsEveryRow_andLeavesAVerifiableChain() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            sb.append("<http://s").append(i).append("> <https://schema.org/name> \"n\" .\n");
        }
        Path out = dir.resolve("out");
        GuardPipeline p = await(GuardPipeline.deploy(vertx, options(out)));
        EndlessStream endless = new EndlessStream(p.sourceContext(), Buffer.buffer(sb.toString()));
        var f = p.ingest(endless, "endless");
        TestData.until("rows emitted", 10_000, () -> p.stats().rowsEmitted() > 10_000);
        await(p.undeploy());
        Throwable t = awaitFailure(f);
        assertThat(t).hasMessageContaining("pipeline stopped");
        GuardStats st = p.stats();
        assertThat(st.rowsInFlight()).isZero();
        assertThat(st.rowsEmitted() + st.failedRows() + st.cutRows()).isEqualTo(st.rows());
        assertThat(st.failedRows()).isZero();
        assertThat(st.cutRows()).as("the row the source had begun when it was stopped").isLessThanOrEqualTo(1);
        StoreVerifier.Verdict v = StoreVerifier.verify(out, null);
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.receipts()).isEqualTo(st.receipts());
        assertThat(v.unsealed()).isZero();
    }

    @Test
    void slowDisk_holdsSpans_pausesTheInput_boundsTheRing_andLosesNothing() throws Exception {
        byte[] data = java.util.Arrays.copyOf(TestData.schemaOrg(), offsetAfterLines(TestData.schemaOrg(), 2400));
        Direct direct = Direct.run(data, TestData.hooks(), 256);
        Path out = dir.resolve("out");
        // a write queue of 2 bytes: every span waits for the flush before it; each flush takes 300 ms,
        // three times the stage timeout, which the watchdog must not take for a stuck stage
        PipelineOptions o = options(out);
        o.getLockchain().setReceiptsWriteQueueBytes(2);
        o.getStages().setStageTimeoutMillis(100);
        o.setRings(new RingsOptions().setRingCapacity(64).setSpan(new SpanOptions().setMaxSpanRows(16)));
        GuardPipeline p = await(GuardPipeline.deploy(vertx, o));
        p.slowDisk(300);
        JsonObject summary = await(p.ingestFile(TestData.write(dir, "s.nt", data).toString()));
        JsonObject chain = await(p.flush());
        GuardStats st = p.stats();
        await(p.undeploy());
        assertThat(chain.getLong("heldForFile")).as("spans held for the disk").isPositive();
        assertThat(st.stages().ring().fullAnswers()).as("the source found the ring full and waited").isPositive();
        assertThat(st.stages().ring().highestOccupancy()).isLessThanOrEqualTo(64);
        assertThat(st.failedRows()).isZero();
        assertThat(st.stages().stages()).allSatisfy(s -> assertThat(s.stuckSpans()).isZero());
        assertThat(summary.getLong("failedBatches")).isZero();
        assertThat(chain.getString("head")).isEqualTo(direct.head);
        StoreVerifier.Verdict v = StoreVerifier.verify(out, null);
        assertThat(v.ok()).as(v.reason()).isTrue();
    }

    @Test
    void aStageThatThrows_failsOnlyItsRow_countsIt_andTheChainStillVerifies() throws Exception {
        // a hook config whose CONSTRUCT8-free kernels cannot throw; a row that Load cannot take cannot
        // come from the framer either, so the fault is injected: every 97th row's Reflex throws
        Path out = dir.resolve("out");
        GuardPipeline p = await(GuardPipeline.deploy(vertx, options(out)));
        p.failRows(97);
        JsonObject summary = await(p.ingest(Buffer.buffer(TestData.schemaOrg()), "mem", null));
        JsonObject chain = await(p.flush());
        GuardStats st = p.stats();
        await(p.undeploy());
        long rows = st.rows();
        long expectedFailed = (rows + 96) / 97; // rows 0, 97, 194, ...
        assertThat(st.failedRows()).isEqualTo(expectedFailed);
        assertThat(st.stages().stage("reflex").failedRows()).containsEntry("row-threw", expectedFailed);
        assertThat(summary.getLong("failedBatches")).isEqualTo(expectedFailed);
        assertThat(st.rowsEmitted()).isEqualTo(rows - expectedFailed);
        StoreVerifier.Verdict v = StoreVerifier.verify(out, java.util.HexFormat.of().parseHex(chain.getString("head")));
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.receipts()).isEqualTo(st.receipts());
    }

    @Test
    void twoGuardPipelinesInOneVertx_keepTheirSpansApart() throws Exception {
        byte[] data = TestData.schemaOrg();
        Direct direct = Direct.run(data, TestData.hooks(), 256);
        GuardPipeline a = await(GuardPipeline.deploy(vertx, options(null)));
        GuardPipeline b = await(GuardPipeline.deploy(vertx, options(null)));
        var fa = a.ingest(Buffer.buffer(data), "a", null);
        var fb = b.ingest(Buffer.buffer(data), "b", null);
        await(fa);
        await(fb);
        JsonObject ca = await(a.flush());
        JsonObject cb = await(b.flush());
        GuardStats sa = a.stats();
        GuardStats sb = b.stats();
        await(a.undeploy());
        await(b.undeploy());
        assertThat(ca.getString("head")).isEqualTo(direct.head);
        assertThat(cb.getString("head")).isEqualTo(direct.head);
        assertThat(sa.stages().staleMessages() + sb.stages().staleMessages()).isZero();
        assertThat(sa.failedRows() + sb.failedRows()).isZero();
    }
}
