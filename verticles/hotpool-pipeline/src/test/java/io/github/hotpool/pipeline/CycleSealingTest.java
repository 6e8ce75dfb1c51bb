package io.github.hotpool.pipeline;

import static io.github.hotpool.pipeline.TestData.await;
import static io.github.hotpool.pipeline.TestData.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.triples.Lockchain;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When Emit seals a cycle: idle seal, and a restart after a crash that left receipts unsealed. */
class CycleSealingTest extends VertxTestBase {

    /** The first {@code n} lines of the schema.org data after skipping {@code from}. */
    static byte[] slice(int from, int n) {
        String[] lines = new String(TestData.schemaOrg(), StandardCharsets.UTF_8).split("\n");
        return (String.join("\n", Arrays.copyOfRange(lines, from, from + n)) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    PipelineOptions options(Path out, int cycleReceipts) {
        return new PipelineOptions().setHooks(TestData.hooksJson()).setCycleReceipts(cycleReceipts)
            .setOutDir(out.toString());
    }

    static List<String> lines(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    static void waitFor(java.util.function.BooleanSupplier done) throws Exception {
        long deadline = System.nanoTime() + 4_000_000_000L;
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Test
    void idleSeal_sealsAnOpenCycleOnceItsOldestReceiptIsOld_withoutFlush() throws Exception {
        Path out = dir.resolve("out");
        Path chainFile = out.resolve(ReceiptLog.LOCKCHAIN);
        Path file = TestData.write(dir, "in.nt", slice(0, 40));
        Pipeline p = await(Pipeline.deploy(vertx, options(out, 1024).setCycleIdleMillis(40)));
        await(p.ingestFile(file.toString()));
        long receipts = p.stats().receipts();
        waitFor(() -> {
            try {
                return lines(chainFile).size() == 1;
            } catch (Exception e) {
                return false;
            }
        });
        List<String> seals = lines(chainFile);
        ReceiptLog.Verdict v = ReceiptLog.verify(out);
        await(p.undeploy());

        assertThat(receipts).isPositive().isLessThan(1024);
        assertThat(seals).hasSize(1);
        assertThat(new JsonObject(seals.get(0)).getLong("receipts")).isEqualTo(receipts);
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.unsealed()).isZero();
    }

    @Test
    void idleSeal_leavesACycleYoungerThanTheLimitOpen() throws Exception {
        Path out = dir.resolve("out");
        Path file = TestData.write(dir, "in.nt", slice(0, 40));
        Pipeline p = await(Pipeline.deploy(vertx, options(out, 1024).setCycleIdleMillis(60_000)));
        await(p.ingestFile(file.toString()));
        Thread.sleep(100); // many checks (every 15 s) cannot run; a seal ignoring the age would show up here
        ReceiptLog.Verdict open = ReceiptLog.verify(out);
        await(p.undeploy());

        assertThat(open.cycles()).isZero();
        assertThat(open.unsealed()).isEqualTo(open.receipts()).isPositive();
    }

    @Test
    void cycleIdleMillisAndWriteQueueBytes_roundTripThroughJson() {
        PipelineOptions o = new PipelineOptions().setCycleIdleMillis(1234).setReceiptsWriteQueueBytes(77);
        PipelineOptions back = new PipelineOptions(new JsonObject(o.toJson().encode()));
        assertThat(back.getCycleIdleMillis()).isEqualTo(1234);
        assertThat(back.getReceiptsWriteQueueBytes()).isEqualTo(77);
        assertThat(new PipelineOptions().getCycleIdleMillis()).isEqualTo(PipelineOptions.DEFAULT_CYCLE_IDLE_MILLIS);
        assertThat(new PipelineOptions(new JsonObject()).getReceiptsWriteQueueBytes())
            .isEqualTo(PipelineOptions.DEFAULT_RECEIPTS_WRITE_QUEUE_BYTES);
    }

    @Test
    void cycleIdleMillis_negative_isRefusedNamingTheLimit() {
        Throwable t = awaitFailure(Pipeline.deploy(vertx, new PipelineOptions().setCycleIdleMillis(-1)));
        assertThat(t.getMessage()).isEqualTo("cycleIdleMillis -1 outside [0, 86400000]");
    }

    /**
     * A crash after Emit wrote receipts but before it sealed them leaves an unsealed tail. The
     * restart seals the tail into the next cycle together with the receipts that follow, so the
     * chain is the one a single uninterrupted run over both inputs would give.
     */
    @Test
    void restartAfterCrash_sealsTheUnsealedTailIntoTheNextCycle() throws Exception {
        int k = 64;
        byte[] first = slice(0, 800);
        byte[] second = slice(800, 400);
        Path out = dir.resolve("out");
        runOnce(out, k, "a.nt", first);
        Path chainFile = out.resolve(ReceiptLog.LOCKCHAIN);
        List<String> seals = lines(chainFile);
        // the crash: the last seal never reached the disk
        Files.write(chainFile, seals.subList(0, seals.size() - 1));
        long tail = new JsonObject(seals.get(seals.size() - 1)).getLong("receipts");

        Pipeline p2 = await(Pipeline.deploy(vertx, options(out, k)));
        await(p2.ingestFile(TestData.write(dir, "b.nt", second).toString()));
        JsonObject chain = await(p2.flush());
        await(p2.undeploy());

        List<byte[]> records = new ArrayList<>();
        Direct.run(first, TestData.hooks(), k).bySeq.entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
            .forEach(e -> records.addAll(e.getValue()));
        Direct.run(second, TestData.hooks(), k).bySeq.entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
            .forEach(e -> records.addAll(e.getValue()));
        ReceiptLog.Verdict v = ReceiptLog.verify(out);

        assertThat(tail).isPositive();
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.unsealed()).isZero();
        assertThat(v.receipts()).isEqualTo(records.size());
        assertThat(chain.getString("head")).isEqualTo(v.head()).isEqualTo(head(records, k));
    }

    @Test
    void restart_withATailClaimingAFarCycle_isRefusedNamingTheLine_andTouchesNothing() throws Exception {
        Path out = dir.resolve("out");
        runOnce(out, 64, "a.nt", slice(0, 200));
        Path receipts = out.resolve(ReceiptLog.RECEIPTS);
        List<String> lines = new ArrayList<>(lines(receipts));
        int cycles = lines(out.resolve(ReceiptLog.LOCKCHAIN)).size();
        lines.add(new JsonObject(lines.get(0)).put("chainCycle", cycles + 5).encode());
        Files.write(receipts, lines);
        byte[] before = Files.readAllBytes(receipts);

        Throwable t = awaitFailure(Pipeline.deploy(vertx, options(out, 64)));

        assertThat(t.getMessage()).contains(ReceiptLog.RECEIPTS + " line " + lines.size())
            .contains("chainCycle " + (cycles + 5)).contains("next cycle is " + cycles);
        assertThat(Files.readAllBytes(receipts)).isEqualTo(before);
    }

    @Test
    void restart_withATornLastLine_isRefusedNamingTheLine() throws Exception {
        Path out = dir.resolve("out");
        runOnce(out, 64, "a.nt", slice(0, 200));
        Path receipts = out.resolve(ReceiptLog.RECEIPTS);
        List<String> lines = lines(receipts);
        String torn = lines.get(0).substring(0, 40);
        Files.writeString(receipts, torn, java.nio.file.StandardOpenOption.APPEND);

        Throwable t = awaitFailure(Pipeline.deploy(vertx, options(out, 64)));

        assertThat(t.getMessage()).contains(ReceiptLog.RECEIPTS + " line " + (lines.size() + 1) + ": not a receipt");
    }

    @Test
    void restart_withSmallerCycleReceipts_replaysLargerCyclesAndKeepsVerifying() throws Exception {
        Path out = dir.resolve("out");
        runOnce(out, 256, "a.nt", slice(0, 400));
        runOnce(out, 16, "b.nt", slice(400, 200));

        ReceiptLog.Verdict v = ReceiptLog.verify(out);
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.unsealed()).isZero();
    }

    /** Deploys a pipeline writing to {@code out}, streams {@code data} through it and undeploys it (sealing). */
    void runOnce(Path out, int cycleReceipts, String name, byte[] data) {
        Pipeline p = await(Pipeline.deploy(vertx, options(out, cycleReceipts)));
        await(p.ingestFile(TestData.write(dir, name, data).toString()));
        await(p.undeploy());
    }

    /** Chains {@code records} in cycles of {@code k}, the last one partial, as the design says. */
    static String head(List<byte[]> records, int k) {
        Lockchain chain = new Lockchain(k);
        long cycle = 0;
        for (byte[] r : records) {
            chain.add(r, 0);
            if (chain.pending() == k) {
                chain.seal(cycle++);
            }
        }
        if (chain.pending() > 0) {
            chain.seal(cycle);
        }
        return ReceiptLog.hex(chain.head());
    }
}
