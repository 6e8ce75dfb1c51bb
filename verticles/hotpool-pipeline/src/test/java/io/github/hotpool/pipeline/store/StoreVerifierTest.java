package io.github.hotpool.pipeline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hotpool.triples.TermIds;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StoreVerifier} over real chains written by {@link ReceiptStore} (and a format-1
 * directory written by hand): what it accepts, what it refuses and the exit code of each.
 *
 * <p>The standard chain: {@value #K} receipts per cycle, {@value #N} receipts, sealed and flushed,
 * so cycles 0..3 hold 8, 8, 8 and 6 receipts; {@code receipts.jsonl} lines 1-8 are cycle 0, 9-16
 * cycle 1, and so on; {@code lockchain.jsonl} line 1 is the header and lines 2-5 the seals. Receipt
 * {@code x} is on line {@code x + 1}; odd receipts fired and show subjects.
 */
@Timeout(60)
class StoreVerifierTest {

    static final int K = 8;
    static final int N = 30;

    @TempDir
    Path dir;
    Path receipts;
    Path chain;
    Path checkpoint;

    @BeforeEach
    void paths() {
        receipts = dir.resolve(ReceiptStore.RECEIPTS);
        chain = dir.resolve(ReceiptStore.LOCKCHAIN);
        checkpoint = dir.resolve(ReceiptStore.CHECKPOINT);
    }

    /** Writes the standard chain; returns the head of each sealed cycle, in order. */
    List<byte[]> standardChain() throws IOException {
        List<byte[]> heads = new ArrayList<>();
        try (ChainWriter w = ChainWriter.open(dir, K)) {
            for (int i = 0; i < N; i++) {
                w.receipts(1);
                if (w.store.pending() == 0) {
                    heads.add(w.store.head());
                }
            }
            w.seal().flush();
            heads.add(w.store.head());
        }
        return heads;
    }

    StoreVerifier.Verdict verify() throws IOException {
        return StoreVerifier.verify(dir, null);
    }

    static List<String> lines(Path f) throws IOException {
        return new ArrayList<>(Files.readAllLines(f, StandardCharsets.UTF_8));
    }

    static void write(Path f, List<String> lines) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(l).append('\n');
        }
        Files.writeString(f, b, StandardCharsets.UTF_8);
    }

    /** Rewrites line {@code n} (from 1) of {@code f}; fails the test if the edit changes nothing. */
    static void edit(Path f, int n, UnaryOperator<String> change) throws IOException {
        List<String> all = lines(f);
        String before = all.get(n - 1);
        String after = change.apply(before);
        assertThat(after).as("the edit of %s line %d", f.getFileName(), n).isNotEqualTo(before);
        all.set(n - 1, after);
        write(f, all);
    }

    /** {@code s} with its first {@code target} replaced; the target must occur. */
    static String replaceFirst(String s, String target, String replacement) {
        int at = s.indexOf(target);
        assertThat(at).as("'%s' in %s", target, s).isNotNegative();
        return s.substring(0, at) + replacement + s.substring(at + target.length());
    }

    static void assertTampered(StoreVerifier.Verdict v, String... reasonParts) {
        assertThat(v.ok()).as("verdict").isFalse();
        assertThat(v.exitCode(false)).isEqualTo(StoreVerifier.EXIT_TAMPERED);
        assertThat(v.exitCode(true)).isEqualTo(StoreVerifier.EXIT_TAMPERED);
        assertThat(v.reason()).contains(reasonParts);
    }

    // ---- intact ---------------------------------------------------------------------------------

    @Test
    void intactChain_exitsZero_withItsCountsAndHead() throws IOException {
        List<byte[]> heads = standardChain();

        StoreVerifier.Verdict v = verify();

        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.format()).isEqualTo(2);
        assertThat(v.receipts()).isEqualTo(N);
        assertThat(v.cycles()).isEqualTo(4);
        assertThat(v.unsealed()).isZero();
        assertThat(v.uncommittedBytes()).isZero();
        assertThat(v.head()).isEqualTo(HexFormat.of().formatHex(heads.get(3)));
        assertThat(v.headGiven()).isFalse();
        assertThat(v.exitCode(false)).isEqualTo(StoreVerifier.EXIT_INTACT);
        assertThat(v.exitCode(true)).as("unanchored").isEqualTo(StoreVerifier.EXIT_LOOSE);
        assertThat(lines(chain).get(0)).startsWith("{\"format\":\"hotpool-lockchain\",\"version\":2,");
    }

    // ---- every field a line shows is covered ----------------------------------------------------

    @Test
    void oneCharacterChangedInSubjects_isTampered_namingTheLine() throws IOException {
        standardChain();
        edit(receipts, 10, l -> { // receipt 9: cycle 1, fired
            int at = l.indexOf("\"subjects\":[\"") + "\"subjects\":[\"".length();
            char c = l.charAt(at);
            return l.substring(0, at) + (c == '0' ? '1' : '0') + l.substring(at + 1);
        });

        assertTampered(verify(), ReceiptStore.RECEIPTS + " line 10 (cycle 1, receipt 1)",
            "does not match the sealed leaf hash");
    }

    /**
     * One hex digit of a seal's leaves changed: the seal is what was changed, so the verdict names
     * lockchain.jsonl and its line (it used to name the first receipt whose leaf the seal no
     * longer held, as if receipts.jsonl had been changed).
     */
    @Test
    void oneDigitChangedInASealsLeaves_isTampered_namingTheSealsLine_notAReceipt() throws IOException {
        standardChain();
        edit(chain, 3, l -> { // the second seal (line 1 is the header)
            int at = l.indexOf("\"leaves\":\"") + "\"leaves\":\"".length() + 70;
            char c = l.charAt(at);
            return l.substring(0, at) + (c == '0' ? '1' : '0') + l.substring(at + 1);
        });

        StoreVerifier.Verdict v = verify();
        assertTampered(v, ReceiptStore.LOCKCHAIN + " line 3 (cycle 1)", "Merkle root does not match the sealed leaves");
        assertThat(v.reason()).doesNotContain(ReceiptStore.RECEIPTS);
    }

    @Test
    void aSealWhoseLeavesDoNotFitItsCount_isCorrupt_namingWholeHashesOrDigits() throws IOException {
        standardChain();
        String seal = lines(chain).get(1); // the first seal: 8 receipts, 8 leaves
        assertThat(seal).contains("\"receipts\":8,");
        byte[] oneMore = seal.replace("\"receipts\":8,", "\"receipts\":9,").getBytes(StandardCharsets.UTF_8);
        byte[] digitShort = seal.replaceFirst("[0-9a-f]\"}$", "\"}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> StoreVerifier.seal(oneMore, oneMore.length))
            .hasMessage("leaves hold 8 hashes for 9 receipts");
        assertThatThrownBy(() -> StoreVerifier.seal(digitShort, digitShort.length))
            .hasMessage("leaves hold 511 hex digits, not a whole number of 64-digit hashes, for 8 receipts");
    }

    @Test
    void oneCharacterChangedInTheHookName_isTampered_namingTheLine() throws IOException {
        standardChain();
        edit(receipts, 11, l -> replaceFirst(l, "\"hook\":\"hook-2\"", "\"hook\":\"hook-7\""));

        assertTampered(verify(), ReceiptStore.RECEIPTS + " line 11 (cycle 1, receipt 2)",
            "does not match the sealed leaf hash");
    }

    /**
     * Rewrites receipt line {@code n} with {@code change} and re-seals every cycle from the files, as
     * a forger with the tools would: leaves, roots and links all consistent, the checkpoint untouched.
     */
    void rewriteConsistently(int n, UnaryOperator<String> change) throws IOException {
        edit(receipts, n, change);
        List<String> lines = lines(receipts);
        List<String> seals = lines(chain);
        io.github.hotpool.triples.Lockchain forged = new io.github.hotpool.triples.Lockchain(K);
        List<String> out = new ArrayList<>(List.of(seals.get(0)));
        int next = 0;
        for (String seal : seals.subList(1, seals.size())) {
            JsonObject j = new JsonObject(seal);
            for (int r = 0; r < j.getInteger("receipts"); r++) {
                byte[] line = lines.get(next++).getBytes(StandardCharsets.UTF_8);
                forged.addLine(line, 0, line.length);
            }
            out.add(ReceiptStore.sealJson(forged.seal(j.getLong("cycle"))).encode());
        }
        write(chain, out);
    }

    /**
     * The checkpoint is not an anchor (anyone can rewrite it, CRC and all), but one left alone still
     * records the head the run acknowledged, which a consistently re-sealed chain no longer ends at.
     * A forger who rewrites the checkpoint too gets past verify without --head (only --strict's 3
     * says it is unanchored); the head the run published still catches it.
     */
    @Test
    void consistentlyResealedChain_failsOnTheCheckpointsHead_andOnTheRunsHeadWhenTheCheckpointIsForgedToo()
        throws IOException {
        List<byte[]> heads = standardChain();
        long chainBytes = Files.size(chain);
        long receiptsBytes = Files.size(receipts);
        rewriteConsistently(11, l -> replaceFirst(l, "\"hook\":\"hook-2\"", "\"hook\":\"hook-7\""));

        assertThat(Files.size(chain)).as("byte counts the checkpoint checks").isEqualTo(chainBytes);
        assertThat(Files.size(receipts)).isEqualTo(receiptsBytes);
        assertTampered(verify(), "the checkpoint records head " + HexFormat.of().formatHex(heads.get(3))
            + " after 4 cycles but the chain's last link is ", "seals rewritten");

        byte[] forgedHead = HexFormat.of().parseHex(new JsonObject(lines(chain).get(4)).getString("link"));
        try (var ch = java.nio.channels.FileChannel.open(checkpoint, StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
            Checkpoint cp = Checkpoint.read(ch);
            cp.next(cp.receipts(), cp.receiptsBytes(), cp.cycles(), cp.chainBytes(), cp.openCycleBytes(), forgedHead,
                cp.input()).write(ch, false);
        }
        StoreVerifier.Verdict unanchored = verify();
        assertThat(unanchored.ok()).as(unanchored.reason()).isTrue();
        assertThat(unanchored.exitCode(true)).isEqualTo(StoreVerifier.EXIT_LOOSE);
        assertTampered(StoreVerifier.verify(dir, heads.get(3)), "is not the link of any of the 4 cycles");
    }

    // ---- seals gone ------------------------------------------------------------------------------

    @Test
    void emptiedLockchain_withReceiptsPresent_isTampered() throws IOException {
        standardChain();
        Files.write(chain, new byte[0]);

        assertTampered(verify(), ReceiptStore.LOCKCHAIN + " is empty", "seals removed");
    }

    @Test
    void missingLockchain_withReceiptsPresent_isTampered() throws IOException {
        standardChain();
        Files.delete(chain);

        assertTampered(verify(), ReceiptStore.LOCKCHAIN + " is missing", "seals removed");
    }

    /** Both files emptied or deleted: the checkpoint still says what was acknowledged. */
    @Test
    void bothFilesEmptiedOrDeleted_withACheckpointRecordingReceipts_isTampered() throws IOException {
        standardChain();
        Files.write(chain, new byte[0]);
        Files.write(receipts, new byte[0]);

        assertTampered(verify(), ReceiptStore.LOCKCHAIN + " is empty", "the checkpoint records " + N
            + " receipts in 4 sealed cycles");
        Files.delete(chain);
        Files.delete(receipts);
        assertThat(StoreVerifier.holdsChain(dir)).as("a directory with only a checkpoint held a chain").isTrue();
        assertTampered(verify(), ReceiptStore.LOCKCHAIN + " is missing", "the checkpoint records " + N + " receipts");
    }

    @Test
    void lastSealRemoved_isCaughtByTheCheckpoint() throws IOException {
        standardChain();
        List<String> seals = lines(chain);
        write(chain, seals.subList(0, seals.size() - 1));

        assertTampered(verify(), "checkpoint records", "acknowledged receipts or seals removed");
    }

    @Test
    void lastSealRemoved_andTheCheckpointDeleted_isTampered() throws IOException {
        standardChain();
        List<String> seals = lines(chain);
        write(chain, seals.subList(0, seals.size() - 1));
        Files.delete(checkpoint);

        assertTampered(verify(), ReceiptStore.CHECKPOINT + " is missing");
    }

    /**
     * The checkpoint is a crash record, not an anchor: whoever rewrites it along with the files
     * turns the last cycle into an unsealed tail. The verifier then passes it only as unsealed
     * (exit 3 with --strict), and the head the run published still catches it.
     */
    @Test
    void lastSealRemoved_andTheCheckpointRewrittenToMatch_isOnlyLoose_andTheRunsHeadCatchesIt() throws IOException {
        List<byte[]> heads = standardChain();
        List<String> seals = lines(chain);
        write(chain, seals.subList(0, seals.size() - 1));
        Checkpoint cp;
        try (var ch = java.nio.channels.FileChannel.open(checkpoint, StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
            cp = Checkpoint.read(ch);
            cp.next(cp.receipts(), cp.receiptsBytes(), cp.cycles() - 1, Files.size(chain), cp.openCycleBytes(),
                heads.get(2), cp.input()).write(ch, false);
        }

        StoreVerifier.Verdict loose = verify();
        StoreVerifier.Verdict anchored = StoreVerifier.verify(dir, heads.get(3));

        assertThat(loose.ok()).as(loose.reason()).isTrue();
        assertThat(loose.unsealed()).isEqualTo(6);
        assertThat(loose.exitCode(false)).isEqualTo(StoreVerifier.EXIT_INTACT);
        assertThat(loose.exitCode(true)).isEqualTo(StoreVerifier.EXIT_LOOSE);
        assertTampered(anchored, "published head", "is not the link of any of the 3 cycles");
    }

    @Test
    void last50ReceiptsRemoved_isCaughtByTheCheckpoint() throws IOException {
        try (ChainWriter w = ChainWriter.open(dir, K)) {
            w.receipts(200).seal().flush();
        }
        List<String> all = lines(receipts);
        write(receipts, all.subList(0, all.size() - 50));

        assertTampered(verify(), "checkpoint records", ReceiptStore.RECEIPTS, "acknowledged receipts or seals removed");
    }

    // ---- stray receipts --------------------------------------------------------------------------

    @Test
    void strayReceiptInASealedCycle_isTampered_namingItsLineAndCycle() throws IOException {
        standardChain();
        List<String> all = lines(receipts);
        all.add(4, all.get(12)); // a receipt of cycle 1 slipped into cycle 0, as line 5
        write(receipts, all);

        assertTampered(verify(), ReceiptStore.RECEIPTS + " line 5", "claims chainCycle 1",
            "where cycle 0 belongs");
    }

    @Test
    void strayReceiptInTheUnsealedTail_isTampered() throws IOException {
        try (ChainWriter w = ChainWriter.open(dir, K)) {
            w.receipts(20).flush(); // cycles 0, 1 sealed; 4 receipts of cycle 2 unsealed
        }
        List<String> all = lines(receipts);
        all.add(17, all.get(3)); // a receipt of sealed cycle 0 among the unsealed ones, as line 18
        write(receipts, all);

        assertTampered(verify(), ReceiptStore.RECEIPTS + " line 18", "claims chainCycle 0",
            "where cycle 2 belongs");
    }

    // ---- strict reading: duplicate keys, numbers, unknown fields ---------------------------------

    @Test
    void duplicateKeyInAReceiptLine_isCorrupt_namingTheKey() throws IOException {
        standardChain();
        edit(receipts, 3, l -> replaceFirst(l, "\"flags\":", "\"lanes\":")); // same length: lanes twice

        assertTampered(verify(), ReceiptStore.RECEIPTS + " line 3: not a receipt", "Duplicate field 'lanes'");
    }

    @Test
    void duplicateKeyInASealLine_isCorrupt_namingTheKey() throws IOException {
        standardChain();
        edit(chain, 3, l -> replaceFirst(l, "\"link\":", "\"root\":"));

        assertTampered(verify(), ReceiptStore.LOCKCHAIN + " line 3: not a seal", "Duplicate field 'root'");
    }

    @Test
    void nonIntegralNumber_isCorrupt_notRounded() throws IOException {
        standardChain();
        edit(receipts, 4, l -> replaceFirst(l, "\"lanes\":2,", "\"lanes\":1.0,"));

        assertTampered(verify(), ReceiptStore.RECEIPTS + " line 4: not a receipt", "\"lanes\" is 1.0, not an integer");
    }

    @Test
    void nonIntegralNumberInASeal_isCorrupt() throws IOException {
        standardChain();
        edit(chain, 2, l -> replaceFirst(l, "\"receipts\":8,", "\"receipts\":8.0,"));

        assertTampered(verify(), ReceiptStore.LOCKCHAIN + " line 2: not a seal", "\"receipts\" is 8.0");
    }

    @Test
    void int32FieldOutOfRange_isCorrupt_notNarrowed() throws IOException {
        standardChain();
        // 4294967298 = 2^32 + 2: narrowed to an int it would read as the 2 that was hashed
        edit(receipts, 4, l -> replaceFirst(l, "\"lanes\":2,", "\"lanes\":4294967298,"));

        assertTampered(verify(), ReceiptStore.RECEIPTS + " line 4: not a receipt",
            "\"lanes\" is 4294967298, outside 32 bits");
    }

    @Test
    void numberBeyond64Bits_isCorrupt_notNarrowed() throws IOException {
        standardChain();
        // 2^64: narrowed to a long it would read as the 0 that was hashed
        edit(receipts, 4, l -> replaceFirst(l, "\"ticks\":0,", "\"ticks\":18446744073709551616,"));

        assertTampered(verify(), ReceiptStore.RECEIPTS + " line 4: not a receipt",
            "\"ticks\" is 18446744073709551616, outside 64 bits");
    }

    @Test
    void sealCountOutOfRange_isCorrupt_namingTheLimit() throws IOException {
        standardChain();
        edit(chain, 2, l -> replaceFirst(l, "\"receipts\":8,", "\"receipts\":4294967304,"));

        assertTampered(verify(), ReceiptStore.LOCKCHAIN + " line 2: not a seal",
            "\"receipts\" is 4294967304, not an integer in [0, " + ReceiptStore.MAX_CYCLE_RECEIPTS + "]");
    }

    @Test
    void unknownFieldInAReceiptLine_isCorrupt() throws IOException {
        standardChain();
        edit(receipts, 6, l -> replaceFirst(l, "\"flags\":", "\"flagz\":"));

        assertTampered(verify(), ReceiptStore.RECEIPTS + " line 6: not a receipt", "unknown field \"flagz\"");
    }

    @Test
    void unknownFieldInASealLine_isCorrupt() throws IOException {
        standardChain();
        edit(chain, 4, l -> replaceFirst(l, "{\"cycle\":", "{\"note\":\"x\",\"cycle\":"));

        assertTampered(verify(), ReceiptStore.LOCKCHAIN + " line 4: not a seal", "unknown field \"note\"");
    }

    /**
     * The header's version decides how every leaf is hashed, so it is read as strictly as a seal:
     * 2^32 + 2 or 2.0 must not pass for 2, nor a repeated key or an unknown field, and a version
     * this verifier does not know must not be verified by format-1 rules.
     */
    @Test
    void headerWithANarrowingRepeatedUnknownOrUnsupportedVersion_isCorrupt_andTheStoreWillNotExtendIt()
        throws IOException {
        standardChain();
        List<String> original = lines(chain);
        String[][] cases = {
            {"\"version\":4294967298", "\"version\" is 4294967298, not an integer in [1, 2147483647]"},
            {"\"version\":2.0", "\"version\" is 2.0, not an integer in [1, 2147483647]"},
            {"\"version\":1,\"version\":2", "Duplicate field 'version'"},
            {"\"version\":2,\"signer\":\"x\"", "unknown field \"signer\""},
            {"\"version\":7", "lockchain format version 7 is not one this verifier reads"},
        };
        for (String[] c : cases) {
            List<String> edited = new ArrayList<>(original);
            edited.set(0, replaceFirst(original.get(0), "\"version\":2", c[0]));
            write(chain, edited);

            assertTampered(verify(), ReceiptStore.LOCKCHAIN + " line 1", c[1]);
            try (ReceiptStore unexpected = ReceiptStore.open(dir, K, Durability.NONE)) {
                throw new AssertionError("the store opened a chain whose header is " + edited.get(0) + " (in " + unexpected.dir() + ")");
            } catch (StoreException e) {
                assertThat(e.getMessage()).contains(ReceiptStore.LOCKCHAIN).contains(c[1]);
            }
        }
    }

    /** A format-1 chain with a header of an unknown version prepended is not passed off as intact. */
    @Test
    void format1ChainUnderAHeaderOfAnUnknownVersion_isCorrupt() throws IOException {
        ChainWriter.writeFormat1(dir, K, N);
        List<String> all = lines(chain);
        all.add(0, "{\"format\":\"hotpool-lockchain\",\"version\":7,\"created\":\"2026-01-01T00:00:00Z\"}");
        write(chain, all);

        StoreVerifier.Verdict v = verify();
        assertTampered(v, ReceiptStore.LOCKCHAIN + " line 1: lockchain format version 7 is not one this verifier reads");
        assertThat(v.format()).isZero();
    }

    /**
     * The checkpoint records where the durable bytes end, always at a line end. A byte inserted
     * below it (here a space inside seal 2, harmless to the JSON) moves the last seal across that
     * end: verify must call the file changed, not count a seal's last byte as never acknowledged;
     * and a restart must refuse, not cut the last seal's line break and glue the next seal to it.
     */
    @Test
    void byteInsertedIntoASealBelowTheCheckpoint_isCorrupt_andTheStoreRefusesToCutMidLine() throws IOException {
        standardChain();
        long durable = Files.size(chain);
        edit(chain, 3, l -> replaceFirst(l, "{\"cycle\":", "{ \"cycle\":"));
        byte[] edited = Files.readAllBytes(chain);

        assertTampered(verify(), ReceiptStore.LOCKCHAIN + " line 5 ends at byte " + (durable + 1),
            "past the " + durable + " bytes the checkpoint records");
        try (ReceiptStore unexpected = ReceiptStore.open(dir, K, Durability.NONE)) {
            throw new AssertionError("the store opened a lockchain changed below its checkpoint" + " (in " + unexpected.dir() + ")");
        } catch (StoreException e) {
            assertThat(e.getMessage()).contains(chain.toString()).contains("byte " + (durable - 1))
                .contains("not a line end");
        }
        assertThat(Files.readAllBytes(chain)).isEqualTo(edited);
    }

    @Test
    void byteInsertedIntoTheUnsealedTailBelowTheCheckpoint_isCorrupt_andTheStoreRefuses() throws IOException {
        try (ChainWriter w = ChainWriter.open(dir, K)) {
            w.receipts(20).flush(); // cycles 0, 1 sealed; lines 17-20 unsealed
        }
        edit(receipts, 17, l -> replaceFirst(l, "{\"chainCycle\":", "{ \"chainCycle\":"));

        assertTampered(verify(), ReceiptStore.RECEIPTS + " line 20", "without line break inside the checkpointed bytes");
        try (ReceiptStore unexpected = ReceiptStore.open(dir, K, Durability.NONE)) {
            throw new AssertionError("the store opened receipts changed below its checkpoint" + " (in " + unexpected.dir() + ")");
        } catch (StoreException e) {
            assertThat(e.getMessage()).contains(receipts.toString());
        }
    }

    /** Replaces the JSON of the checkpoint's newest slot, with a CRC that matches it, as a hand edit would. */
    void editNewestCheckpointSlot(UnaryOperator<String> change) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(checkpoint, StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
            long slot = (Checkpoint.read(ch).generation() & 1) * Checkpoint.SLOT;
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(Checkpoint.SLOT);
            ch.read(b, slot);
            String text = new String(b.array(), StandardCharsets.UTF_8);
            String json = change.apply(text.substring(0, text.indexOf('\n')));
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            byte[] j = json.getBytes(StandardCharsets.UTF_8);
            crc.update(j);
            String slotText = json + "\n" + String.format("%08x", crc.getValue()) + "\n";
            ch.write(java.nio.ByteBuffer.wrap((slotText + " ".repeat(Checkpoint.SLOT - slotText.length()))
                .getBytes(StandardCharsets.UTF_8)), slot);
        }
    }

    /**
     * The checkpoint's counts decide what verify reads and what a restart cuts, so a slot whose CRC
     * matches is read as strictly as a receipt: 30.0 or 2^64 + 30 must not pass for 30, nor a
     * repeated or unknown key. Verify fails naming the slot; the store will not open it.
     */
    @Test
    void checkpointWithANarrowingRepeatedOrUnknownField_isCorrupt_andTheStoreWillNotOpenIt() throws IOException {
        standardChain();
        byte[] original = Files.readAllBytes(checkpoint);
        String[][] cases = {
            {"\"receipts\":30,", "\"receipts\":30.0,", "field \"receipts\" is 30.0, not an integer in [0, "},
            {"\"receipts\":30,", "\"receipts\":18446744073709551646,",
                "field \"receipts\" is 18446744073709551646, not an integer in [0, "},
            {"\"cycles\":4,", "\"cycles\":9,\"cycles\":4,", "Duplicate field 'cycles'"},
            {"\"cycles\":4,", "\"cycles\":4,\"note\":1,", "unknown field \"note\""},
        };
        for (String[] c : cases) {
            Files.write(checkpoint, original);
            editNewestCheckpointSlot(json -> replaceFirst(json, c[0], c[1]));

            assertTampered(verify(), ReceiptStore.CHECKPOINT + " slot ", c[2]);
            try (ReceiptStore unexpected = ReceiptStore.open(dir, K, Durability.NONE)) {
                throw new AssertionError("the store opened a checkpoint holding " + c[1] + " (in " + unexpected.dir() + ")");
            } catch (StoreException e) {
                assertThat(e.getMessage()).contains(checkpoint.toString()).contains(c[2]);
            }
        }
    }

    @Test
    void checkpoint_roundTripsItsInputMarkThroughTheStrictReader() throws IOException {
        InputMark file = InputMark.start("/data/in.nt", 4096, "ab".repeat(32)).at(1200, 31, false);
        InputMark stdin = InputMark.start("stdin", -1, null).at(77, 3, true);
        InputMark hooked = InputMark.start("/data/h.nt", 10, "cd".repeat(32)).withHooks("ef".repeat(32)).at(5, 1, false);
        assertThat(hooked.hooks()).as("at() keeps the hooks identity").isEqualTo("ef".repeat(32));
        for (InputMark mark : List.of(file, stdin, hooked)) {
            Path d = dir.resolve(mark.name().replace('/', '_'));
            try (ChainWriter w = ChainWriter.open(d, K)) {
                w.receipts(3);
                w.store.input(mark);
                w.flush();
            }
            try (ReceiptStore s = ReceiptStore.open(d, K, Durability.NONE)) {
                assertThat(s.recovery().lastInput()).isEqualTo(mark);
                assertThat(s.receipts()).isEqualTo(3);
            }
        }
    }

    /** A line longer than any the store writes is a verdict naming the file, line and limit, not an exception. */
    @Test
    void overlongLine_isCorrupt_namingTheFileLineAndLimit() throws IOException {
        String huge = "{\"leaves\":\"" + "a".repeat(ReceiptStore.MAX_LINE) + "\"}";
        standardChain();
        edit(chain, 3, l -> huge);
        Path format1 = dir.resolve("format1");
        ChainWriter.writeFormat1(format1, K, N);
        edit(format1.resolve(ReceiptStore.RECEIPTS), 4, l -> huge);

        assertTampered(verify(), ReceiptStore.LOCKCHAIN + " line 3", "longer than " + ReceiptStore.MAX_LINE + " bytes");
        assertTampered(StoreVerifier.verify(format1, null), ReceiptStore.RECEIPTS + " line 4",
            "longer than " + ReceiptStore.MAX_LINE + " bytes");
    }

    // ---- what lies past the last seal ------------------------------------------------------------

    @Test
    void tornLinePastTheCheckpoint_isUncommitted_exitZero_strictThree() throws IOException {
        List<byte[]> heads = standardChain();
        String torn = lines(receipts).get(0).substring(0, 37); // a crash tore the next write
        Files.writeString(receipts, torn, StandardOpenOption.APPEND);

        StoreVerifier.Verdict v = StoreVerifier.verify(dir, heads.get(3));

        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.uncommittedBytes()).isEqualTo(37);
        assertThat(v.receipts()).isEqualTo(N);
        assertThat(v.unsealed()).isZero();
        assertThat(v.anchoredAt()).isEqualTo(3);
        assertThat(v.exitCode(false)).isEqualTo(StoreVerifier.EXIT_INTACT);
        assertThat(v.exitCode(true)).isEqualTo(StoreVerifier.EXIT_LOOSE);
    }

    @Test
    void unsealedTailWithinTheCheckpoint_exitZero_strictThree() throws IOException {
        byte[] head;
        try (ChainWriter w = ChainWriter.open(dir, K)) {
            w.receipts(20).flush(); // a run that stopped without sealing its last 4 receipts
            head = w.store.head();
        }

        StoreVerifier.Verdict v = StoreVerifier.verify(dir, head);

        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.receipts()).isEqualTo(20);
        assertThat(v.cycles()).isEqualTo(2);
        assertThat(v.unsealed()).isEqualTo(4);
        assertThat(v.uncommittedBytes()).isZero();
        assertThat(v.anchoredAt()).isEqualTo(1);
        assertThat(v.cyclesPastAnchor()).isZero();
        assertThat(v.exitCode(false)).isEqualTo(StoreVerifier.EXIT_INTACT);
        assertThat(v.exitCode(true)).isEqualTo(StoreVerifier.EXIT_LOOSE);
    }

    // ---- a directory a run is writing -------------------------------------------------------------

    /**
     * verify does not take the directory's lock, so a run may flush while it reads. Whatever lands
     * between its reads of the checkpoint and of the file sizes must not look like removed
     * receipts: the verdict is the chain as of the checkpoint, and later bytes are uncommitted.
     */
    @Test
    void flushLandingWhileVerifyReadsTheDirectory_isNotTakenForRemovedReceipts() throws IOException {
        try (ChainWriter w = ChainWriter.open(dir, K)) {
            w.receipts(20).flush();
            long before = Files.size(receipts);

            StoreVerifier.Verdict v = StoreVerifier.verify(dir, null, () -> {
                try {
                    w.receipts(5).flush(); // seals cycle 2 and writes a new checkpoint
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });

            assertThat(Files.size(receipts)).isGreaterThan(before);
            assertThat(v.ok()).as(v.reason()).isTrue();
            assertThat(v.receipts()).isEqualTo(20);
            assertThat(v.cycles()).isEqualTo(2);
            assertThat(v.unsealed()).isEqualTo(4);
            assertThat(v.uncommittedBytes()).isEqualTo(Files.size(receipts) - before + Files.size(chain)
                - lines(chain).subList(0, 3).stream().mapToLong(l -> l.length() + 1).sum());
        }
    }

    // ---- anchoring -------------------------------------------------------------------------------

    @Test
    void headOfTheLastCycle_isAnchoredThere_strictZero() throws IOException {
        List<byte[]> heads = standardChain();

        StoreVerifier.Verdict v = StoreVerifier.verify(dir, heads.get(3));

        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.anchored()).isTrue();
        assertThat(v.anchoredAt()).isEqualTo(3);
        assertThat(v.cyclesPastAnchor()).isZero();
        assertThat(v.exitCode(true)).isEqualTo(StoreVerifier.EXIT_INTACT);
    }

    @Test
    void headOfAnEarlierCycle_isFound_withTheCyclesPastIt_strictThree() throws IOException {
        List<byte[]> heads = standardChain();

        StoreVerifier.Verdict v = StoreVerifier.verify(dir, heads.get(1));

        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.anchoredAt()).isEqualTo(1);
        assertThat(v.cyclesPastAnchor()).isEqualTo(2);
        assertThat(v.head()).isEqualTo(HexFormat.of().formatHex(heads.get(3)));
        assertThat(v.exitCode(false)).isEqualTo(StoreVerifier.EXIT_INTACT);
        assertThat(v.exitCode(true)).isEqualTo(StoreVerifier.EXIT_LOOSE);
    }

    @Test
    void headNotInTheChain_isTampered() throws IOException {
        standardChain();
        byte[] other = new byte[32];
        other[0] = 1;

        assertTampered(StoreVerifier.verify(dir, other), "published head " + HexFormat.of().formatHex(other),
            "is not the link of any of the 4 cycles");
    }

    // ---- docs/lockchain.md, byte by byte ---------------------------------------------------------

    static byte[] sha256(byte[]... parts) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** RFC 6962's Merkle tree hash, split at the largest power of two below n (the docs' shape). */
    static byte[] mth(List<byte[]> leaves) {
        if (leaves.isEmpty()) {
            return sha256();
        }
        if (leaves.size() == 1) {
            return leaves.get(0);
        }
        int k = Integer.highestOneBit(leaves.size() - 1);
        return sha256(new byte[] {1}, mth(leaves.subList(0, k)), mth(leaves.subList(k, leaves.size())));
    }

    /**
     * The format-2 rules as docs/lockchain.md writes them, with the JDK's SHA-256 and nothing of
     * the store: leaf = H(0x03 || line bytes), RFC 6962 root, link = H(0x02 || prev || cycle (8, BE)
     * || count (4, BE) || root). Recomputed from the files, they give every sealed leaf, root and
     * link, and the head verify reports.
     */
    @Test
    void docsRecipe_recomputesEveryLeafRootAndLink_fromTheFilesAlone() throws IOException {
        standardChain();
        byte[] all = Files.readAllBytes(receipts);
        List<byte[]> lines = new ArrayList<>();
        for (int from = 0, i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                lines.add(java.util.Arrays.copyOfRange(all, from, i));
                from = i + 1;
            }
        }
        List<String> seals = lines(chain);
        byte[] prev = new byte[32];
        int next = 0;
        for (String sealLine : seals.subList(1, seals.size())) {
            JsonObject seal = new JsonObject(sealLine);
            int n = seal.getInteger("receipts");
            List<byte[]> leaves = new ArrayList<>();
            StringBuilder hex = new StringBuilder();
            for (int r = 0; r < n; r++) {
                byte[] leaf = sha256(new byte[] {3}, lines.get(next++));
                leaves.add(leaf);
                hex.append(HexFormat.of().formatHex(leaf));
            }
            byte[] root = mth(leaves);
            java.nio.ByteBuffer fixed = java.nio.ByteBuffer.allocate(12).putLong(seal.getLong("cycle")).putInt(n);
            byte[] link = sha256(new byte[] {2}, prev, fixed.array(), root);

            assertThat(hex.toString()).isEqualTo(seal.getString("leaves"));
            assertThat(HexFormat.of().formatHex(root)).isEqualTo(seal.getString("root"));
            assertThat(HexFormat.of().formatHex(link)).isEqualTo(seal.getString("link"));
            prev = link;
        }
        assertThat(next).isEqualTo(N);
        assertThat(HexFormat.of().formatHex(prev)).isEqualTo(verify().head());
    }

    // ---- the names file ---------------------------------------------------------------------------

    /**
     * Names are beside the chain, not in it: changing one leaves the verdict intact, but the name's
     * term id (FNV-1a of its canonical text, {@link TermIds#of}) no longer equals the covered id.
     */
    @Test
    void namesFile_isNotCovered_butAChangedNameNoLongerHashesToItsCoveredId() throws IOException {
        standardChain();
        Path names = dir.resolve(ReceiptStore.NAMES);
        List<String> all = lines(names);
        assertThat(all).hasSize(2 * (N / 2)); // two subjects per fired (odd) receipt
        JsonObject first = new JsonObject(all.get(0));
        long covered = HexFormat.fromHexDigitsToLong(first.getString("id"));
        assertThat(lines(receipts).get(1)).contains("\"subjects\":[\"" + first.getString("id") + "\"");
        assertThat(TermIds.of(first.getString("name"))).isEqualTo(covered);

        String forged = "<https://example.org/forged>";
        all.set(0, first.copy().put("name", forged).encode());
        write(names, all);

        StoreVerifier.Verdict v = verify();
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(TermIds.of(forged)).isNotEqualTo(covered);
    }

    // ---- format 1 --------------------------------------------------------------------------------

    @Test
    void format1Directory_verifiesAsFormat1() throws IOException {
        byte[] head = ChainWriter.writeFormat1(dir, K, N); // 3 sealed cycles, 6 receipts unsealed

        StoreVerifier.Verdict v = StoreVerifier.verify(dir, head);

        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.format()).isEqualTo(1);
        assertThat(v.receipts()).isEqualTo(N);
        assertThat(v.cycles()).isEqualTo(3);
        assertThat(v.unsealed()).isEqualTo(6);
        assertThat(v.uncommittedBytes()).isZero();
        assertThat(v.anchoredAt()).isEqualTo(2);
        assertThat(v.head()).isEqualTo(HexFormat.of().formatHex(head));
        assertThat(v.exitCode(true)).as("unsealed receipts").isEqualTo(StoreVerifier.EXIT_LOOSE);
    }

    @Test
    void format1_aChangedRecordField_isTampered() throws IOException {
        ChainWriter.writeFormat1(dir, K, N);
        edit(receipts, 12, l -> replaceFirst(l, "\"lanes\":2,", "\"lanes\":3,"));

        assertTampered(verify(), ReceiptStore.RECEIPTS + " line 12 (cycle 1, receipt 3)",
            "does not match the sealed leaf hash");
    }

    /** What format 2 fixed: a format-1 leaf hashes the 64-byte record only, not the hook name. */
    @Test
    void format1_theHookNameIsNotCovered() throws IOException {
        ChainWriter.writeFormat1(dir, K, N);
        edit(receipts, 11, l -> replaceFirst(l, "\"hook\":\"hook-2\"", "\"hook\":\"hook-7\""));

        StoreVerifier.Verdict v = verify();
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.format()).isEqualTo(1);
    }

    /**
     * In format 1 only the record is hashed, so a reader that narrowed numbers or let a repeated key
     * win would rebuild the very record that was sealed: strict reading is the only defence there.
     */
    @Test
    void format1_valuesThatWouldNarrowToTheSealedRecord_areRefused() throws IOException {
        ChainWriter.writeFormat1(dir, K, N);
        List<String> original = lines(receipts);
        String[][] cases = {
            {"\"lanes\":2,", "\"lanes\":4294967298,", "\"lanes\" is 4294967298, outside 32 bits"},
            {"\"lanes\":2,", "\"lanes\":2.0,", "\"lanes\" is 2.0, not an integer"},
            {"\"ticks\":0,", "\"ticks\":18446744073709551616,", "\"ticks\" is 18446744073709551616, outside 64 bits"},
            {"\"lanes\":2,", "\"lanes\":9,\"lanes\":2,", "Duplicate field 'lanes'"},
        };
        for (String[] c : cases) {
            write(receipts, original);
            edit(receipts, 5, l -> replaceFirst(l, c[0], c[1]));

            assertTampered(verify(), ReceiptStore.RECEIPTS + " line 5: not a receipt", c[2]);
        }
    }
}
