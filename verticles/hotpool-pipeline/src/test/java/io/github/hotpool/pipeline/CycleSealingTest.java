package io.github.hotpool.pipeline;

import static io.github.hotpool.pipeline.TestData.await;
import static io.github.hotpool.pipeline.TestData.edit;
import static io.github.hotpool.pipeline.TestData.awaitFailure;
import static io.github.hotpool.pipeline.TestData.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.pipeline.store.ReceiptStore;
import io.github.hotpool.pipeline.store.StoreVerifier;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** When Emit seals a cycle: idle seal, and a restart after a crash that left receipts unsealed. */
@Timeout(60)
class CycleSealingTest extends VertxTestBase {

    /** The first {@code n} lines of the schema.org data after skipping {@code from}. */
    static byte[] slice(int from, int n) {
        String[] lines = new String(TestData.schemaOrg(), StandardCharsets.UTF_8).split("\n");
        return (String.join("\n", Arrays.copyOfRange(lines, from, from + n)) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    PipelineOptions options(Path out, int cycleReceipts) {
        return new PipelineOptions().setHooks(TestData.hooksJson()).setLockchain(new LockchainOptions().setCycleReceipts(cycleReceipts).setOutDir(out.toString()));
    }

    static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Seal lines of a lockchain file (its first line is the format header). */
    static List<String> seals(Path out) {
        List<String> all = lines(out.resolve(ReceiptStore.LOCKCHAIN));
        return all.isEmpty() ? all : all.subList(1, all.size());
    }

    @Test
    void idleSeal_sealsAnOpenCycleOnceItsOldestReceiptIsOld_withoutFlush() throws Exception {
        Path out = dir.resolve("out");
        Path file = TestData.write(dir, "in.nt", slice(0, 40));
        Pipeline p = await(Pipeline.deploy(vertx, edit(options(out, 1024), o -> o.getLockchain().setCycleIdleMillis(40))));
        await(p.ingestFile(file.toString()));
        long receipts = p.stats().receipts();
        // wait on the verdict, not the seal line: a seal line lands before the checkpoint that
        // acknowledges it. On a loaded machine a 40 ms stall mid-input can seal an early cycle too.
        until("idle seals cover every receipt, checkpointed", 10_000, () -> {
            StoreVerifier.Verdict now = verdict(out);
            return now.cycles() >= 1 && now.unsealed() == 0 && now.receipts() == receipts;
        });
        StoreVerifier.Verdict v = StoreVerifier.verify(out, null);
        List<String> sealed = seals(out);
        await(p.undeploy());

        assertThat(receipts).isPositive().isLessThan(1024);
        assertThat(sealed.stream().mapToLong(l -> new JsonObject(l).getLong("receipts")).sum()).isEqualTo(receipts);
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.cycles()).isEqualTo(sealed.size());
        assertThat(v.unsealed()).isZero();
    }

    @Test
    void idleSealDue_onlyForAnOpenCycleWhoseOldestReceiptIsOldEnough() {
        long idle = 1_000;
        assertThat(EmitVerticle.idleSealDue(0, 0, 5_000, idle)).as("empty cycle").isFalse();
        assertThat(EmitVerticle.idleSealDue(3, 1_000, 1_999, idle)).as("younger than the limit").isFalse();
        assertThat(EmitVerticle.idleSealDue(3, 1_000, 2_000, idle)).as("exactly the limit").isTrue();
        assertThat(EmitVerticle.idleSealDue(1, -5_000, 2_000, idle)).as("older").isTrue();
    }

    @Test
    void cycleIdleMillisAndWriteQueueBytes_roundTripThroughJson() {
        PipelineOptions o = new PipelineOptions().setLockchain(new LockchainOptions().setCycleIdleMillis(1234).setReceiptsWriteQueueBytes(77));
        PipelineOptions back = new PipelineOptions(new JsonObject(o.toJson().encode()));
        assertThat(back.getLockchain().getCycleIdleMillis()).isEqualTo(1234);
        assertThat(back.getLockchain().getReceiptsWriteQueueBytes()).isEqualTo(77);
        assertThat(new PipelineOptions().getLockchain().getCycleIdleMillis()).isEqualTo(LockchainOptions.DEFAULT_CYCLE_IDLE_MILLIS);
        assertThat(new PipelineOptions(new JsonObject()).getLockchain().getReceiptsWriteQueueBytes())
            .isEqualTo(LockchainOptions.DEFAULT_RECEIPTS_WRITE_QUEUE_BYTES);
    }

    @Test
    void cycleIdleMillis_negative_isRefusedNamingTheLimit() {
        Throwable t = awaitFailure(Pipeline.deploy(vertx, new PipelineOptions().setLockchain(new LockchainOptions().setCycleIdleMillis(-1))));
        assertThat(t.getMessage()).isEqualTo("lockchain.cycleIdleMillis -1 outside [0, 86400000]");
    }

    /**
     * A crash after Emit made receipts durable but before it sealed them leaves an unsealed tail.
     * The restart seals the tail into the next cycle together with the receipts that follow, so
     * the chain is the one a single uninterrupted run over both inputs gives.
     */
    @Test
    void restartAfterCrash_sealsTheUnsealedTailIntoTheNextCycle() throws Exception {
        int k = 64;
        byte[] first = slice(0, 800);
        byte[] second = slice(800, 400);
        Path out = dir.resolve("out");
        Pipeline p1 = await(Pipeline.deploy(vertx, options(out, k)));
        await(p1.ingestFile(TestData.write(dir, "a.nt", first).toString()));
        p1.runtime().crashOnStop = true;
        await(p1.undeploy());
        StoreVerifier.Verdict crashed = StoreVerifier.verify(out, null);

        Pipeline p2 = await(Pipeline.deploy(vertx, options(out, k)));
        ReceiptStore.Recovery recovery = p2.runtime().recovery;
        await(p2.ingestFile(TestData.write(dir, "b.nt", second).toString()));
        JsonObject chain = await(p2.flush());
        await(p2.undeploy());

        ReceiptStore reference = ReceiptStore.inMemory(k);
        Direct d1 = Direct.run(first, TestData.hooks(), reference);
        Direct d2 = Direct.run(second, TestData.hooks(), reference);
        reference.seal();
        StoreVerifier.Verdict v = StoreVerifier.verify(out, null);

        assertThat(crashed.ok()).as(crashed.reason()).isTrue();
        assertThat(crashed.unsealed()).isPositive().isLessThan(k);
        assertThat(recovery.tailReceipts()).isEqualTo(crashed.unsealed());
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.unsealed()).isZero();
        assertThat(v.receipts()).isEqualTo(d1.receipts + d2.receipts);
        assertThat(chain.getString("head")).isEqualTo(v.head()).isEqualTo(HexFormat.of().formatHex(reference.head()));
    }

    @Test
    void restart_cutsBytesPastTheCheckpoint_tornLinesAndNulHoles_andGoesOn() throws Exception {
        Path out = dir.resolve("out");
        runOnce(out, 64, "a.nt", slice(0, 200));
        Path receipts = out.resolve(ReceiptStore.RECEIPTS);
        Path chain = out.resolve(ReceiptStore.LOCKCHAIN);
        long receiptsSize = Files.size(receipts);
        long chainSize = Files.size(chain);
        String torn = lines(receipts).get(0).substring(0, 40);
        Files.writeString(receipts, torn, StandardOpenOption.APPEND); // a write the crash tore
        Files.write(chain, new byte[300], StandardOpenOption.APPEND); // NUL hole: size grew, data never came
        StoreVerifier.Verdict before = StoreVerifier.verify(out, null);

        Pipeline p = await(Pipeline.deploy(vertx, options(out, 64)));
        ReceiptStore.Recovery recovery = p.runtime().recovery;
        await(p.undeploy());

        assertThat(before.ok()).as(before.reason()).isTrue();
        assertThat(before.uncommittedBytes()).isEqualTo(40 + 300);
        assertThat(recovery.cutReceiptBytes()).isEqualTo(40);
        assertThat(recovery.cutChainBytes()).isEqualTo(300);
        assertThat(Files.size(receipts)).isEqualTo(receiptsSize);
        assertThat(Files.size(chain)).isEqualTo(chainSize);
        StoreVerifier.Verdict v = StoreVerifier.verify(out, null);
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.uncommittedBytes()).isZero();
    }

    @Test
    void restart_withAcknowledgedReceiptsMissing_isRefusedNamingTheFiles_andTouchesNothing() throws Exception {
        Path out = dir.resolve("out");
        runOnce(out, 64, "a.nt", slice(0, 200));
        Path receipts = out.resolve(ReceiptStore.RECEIPTS);
        List<String> lines = lines(receipts);
        Files.write(receipts, lines.subList(0, lines.size() - 3)); // the last 3 receipts lost
        byte[] left = Files.readAllBytes(receipts);

        Throwable t = awaitFailure(Pipeline.deploy(vertx, options(out, 64)));
        StoreVerifier.Verdict v = StoreVerifier.verify(out, null);

        assertThat(t.getMessage()).contains("acknowledged receipts or seals are missing").contains(ReceiptStore.RECEIPTS);
        assertThat(Files.readAllBytes(receipts)).isEqualTo(left);
        assertThat(v.ok()).isFalse();
        assertThat(v.exitCode(false)).isEqualTo(StoreVerifier.EXIT_TAMPERED);
    }

    @Test
    void restart_withATamperedUnsealedReceipt_isRefusedNamingItsByte() throws Exception {
        Path out = dir.resolve("out");
        Pipeline p1 = await(Pipeline.deploy(vertx, options(out, 1024)));
        await(p1.ingestFile(TestData.write(dir, "a.nt", slice(0, 200)).toString()));
        p1.runtime().crashOnStop = true;
        await(p1.undeploy());
        Path receipts = out.resolve(ReceiptStore.RECEIPTS);
        String text = Files.readString(receipts);
        Files.writeString(receipts, text.replaceFirst("\"chainCycle\":0", "\"chainCycle\":7"));

        Throwable t = awaitFailure(Pipeline.deploy(vertx, options(out, 1024)));

        assertThat(t.getMessage()).contains(ReceiptStore.RECEIPTS + " byte 0").contains("chainCycle 7")
            .contains("open cycle is 0");
    }

    @Test
    void restart_withSmallerCycleReceipts_sealsALargerTailAndKeepsVerifying() throws Exception {
        Path out = dir.resolve("out");
        Pipeline p1 = await(Pipeline.deploy(vertx, options(out, 1024)));
        await(p1.ingestFile(TestData.write(dir, "a.nt", slice(0, 400)).toString()));
        p1.runtime().crashOnStop = true;
        await(p1.undeploy());
        long tail = StoreVerifier.verify(out, null).unsealed();

        Pipeline p2 = await(Pipeline.deploy(vertx, options(out, 16)));
        ReceiptStore.Recovery recovery = p2.runtime().recovery;
        await(p2.ingestFile(TestData.write(dir, "b.nt", slice(400, 200)).toString()));
        await(p2.undeploy());

        StoreVerifier.Verdict v = StoreVerifier.verify(out, null);
        assertThat(tail).isGreaterThan(16);
        assertThat(recovery.sealedTail()).isTrue();
        assertThat(new JsonObject(seals(out).get(0)).getLong("receipts")).isEqualTo(tail);
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.unsealed()).isZero();
    }

    @Test
    void secondPipelineOnTheSameDirectory_isRefusedNamingTheHolder() {
        Path out = dir.resolve("out");
        Pipeline p1 = await(Pipeline.deploy(vertx, options(out, 64)));
        try {
            Throwable t = awaitFailure(Pipeline.deploy(vertx, options(out, 64)));
            assertThat(t.getMessage()).contains(out + " is in use by another run (pid "
                + ProcessHandle.current().pid());
        } finally {
            await(p1.undeploy());
        }
        Pipeline again = await(Pipeline.deploy(vertx, options(out, 64))); // the lock went with the first
        await(again.undeploy());
    }

    static StoreVerifier.Verdict verdict(Path out) {
        try {
            return StoreVerifier.verify(out, null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Deploys a pipeline writing to {@code out}, streams {@code data} through it and undeploys it (sealing). */
    void runOnce(Path out, int cycleReceipts, String name, byte[] data) {
        Pipeline p = await(Pipeline.deploy(vertx, options(out, cycleReceipts)));
        await(p.ingestFile(TestData.write(dir, name, data).toString()));
        await(p.undeploy());
    }

    /**
     * The checkpoint is the only record of what was acknowledged. With it deleted, emptied, or
     * both slots damaged, while receipts and seals are there, the store refuses the directory and
     * changes neither file; it used to fall back to the initial checkpoint and cut every receipt and
     * seal as "unacknowledged", after which verify called the empty chain intact.
     */
    @ParameterizedTest(name = "checkpoint {0}")
    @ValueSource(strings = {"deleted", "emptied", "both slots damaged"})
    void restart_withTheCheckpointLost_whileReceiptsExist_isRefused_andTouchesNothing(String damage) throws Exception {
        Path out = dir.resolve("out");
        runOnce(out, 64, "a.nt", slice(0, 200));
        Path receipts = out.resolve(ReceiptStore.RECEIPTS);
        Path chain = out.resolve(ReceiptStore.LOCKCHAIN);
        Path checkpoint = out.resolve(ReceiptStore.CHECKPOINT);
        byte[] receiptsBefore = Files.readAllBytes(receipts);
        byte[] chainBefore = Files.readAllBytes(chain);
        Path names = out.resolve(ReceiptStore.NAMES);
        Files.delete(names); // informational: a refused open must not create it either
        switch (damage) {
            case "deleted" -> Files.delete(checkpoint);
            case "emptied" -> Files.write(checkpoint, new byte[0]);
            default -> {
                byte[] cp = Files.readAllBytes(checkpoint);
                for (int at = 20; at < cp.length; at += 4096) {
                    cp[at] ^= 0x55; // one byte inside each slot: both fail their checksum
                }
                Files.write(checkpoint, cp);
            }
        }

        Throwable t = awaitFailure(Pipeline.deploy(vertx, options(out, 64)));

        assertThat(t.getMessage()).contains(ReceiptStore.CHECKPOINT + " is missing or unreadable")
            .contains("holds " + receiptsBefore.length + " bytes").contains("nothing is cut or extended");
        assertThat(Files.readAllBytes(receipts)).as("no receipt cut").isEqualTo(receiptsBefore);
        assertThat(Files.readAllBytes(chain)).as("no seal cut").isEqualTo(chainBefore);
        assertThat(names).as("no names file created").doesNotExist();
        if (damage.equals("deleted")) {
            assertThat(checkpoint).as("no empty checkpoint left behind").doesNotExist();
        }
        assertThat(StoreVerifier.verify(out, null).ok()).as("verify still reports the damage").isFalse();
    }

    /**
     * The "crash while creating" rule re-creates a lockchain only when it is a header or a prefix
     * of one (NULs after it allowed). Seals whose receipts and checkpoint are gone, or a file that
     * is no lockchain, are refused and kept as they are.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"seals without receipts", "not a lockchain"})
    void noReceiptsNoCheckpoint_butALockchainThatIsNoTornHeader_isRefused_andKept(String what) throws Exception {
        Path out = dir.resolve("out");
        Path chain = out.resolve(ReceiptStore.LOCKCHAIN);
        if (what.equals("seals without receipts")) {
            runOnce(out, 64, "a.nt", slice(0, 200));
            Files.delete(out.resolve(ReceiptStore.RECEIPTS));
            Files.delete(out.resolve(ReceiptStore.CHECKPOINT));
        } else {
            Files.createDirectories(out);
            Files.writeString(chain, "hello world\n");
        }
        byte[] chainBefore = Files.readAllBytes(chain);

        Throwable t = awaitFailure(Pipeline.deploy(vertx, options(out, 64)));

        assertThat(t.getMessage()).contains(ReceiptStore.LOCKCHAIN).contains("another directory");
        assertThat(Files.readAllBytes(chain)).isEqualTo(chainBefore);
    }

    @Test
    void crashWhileCreatingTheDirectory_headerWithANulTail_isCreatedAgain() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        byte[] torn = "{\"format\":\"hotpool-lockchain\",\"ver".getBytes(StandardCharsets.UTF_8);
        Files.write(out.resolve(ReceiptStore.LOCKCHAIN), Arrays.copyOf(torn, torn.length + 40));
        Pipeline p = await(Pipeline.deploy(vertx, options(out, 64)));
        await(p.ingestFile(TestData.write(dir, "a.nt", slice(0, 100)).toString()));
        await(p.undeploy());
        StoreVerifier.Verdict v = StoreVerifier.verify(out, null);
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.receipts()).isPositive();
    }

    @Test
    void crashWhileCreatingTheDirectory_tornHeaderAndNoCheckpoint_isCreatedAgain() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve(ReceiptStore.LOCKCHAIN), "{\"format\":\"hotpool-lo"); // torn, never acknowledged
        Pipeline p = await(Pipeline.deploy(vertx, options(out, 64)));
        await(p.ingestFile(TestData.write(dir, "a.nt", slice(0, 100)).toString()));
        await(p.undeploy());
        StoreVerifier.Verdict v = StoreVerifier.verify(out, null);
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.format()).isEqualTo(2);
        assertThat(v.receipts()).isPositive();
    }
}
