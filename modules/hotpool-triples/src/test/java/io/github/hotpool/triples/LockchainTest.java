package io.github.hotpool.triples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.Receipt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LockchainTest {

    private final BufferPool pool = new BufferPool(new PoolOptions());
    private final Lockchain chain = new Lockchain(16);
    private final List<LockchainVerifier.Cycle> cycles = new ArrayList<>();

    /** Three cycles of 3, 5 and 1 receipts, emitted as 64-byte records. */
    @BeforeEach
    void emit() {
        int[] sizes = {3, 5, 1};
        for (int c = 0; c < sizes.length; c++) {
            List<byte[]> records = new ArrayList<>();
            for (int i = 0; i < sizes[c]; i++) {
                Receipt r = pool.receipt().cycleId(c).hookId(i).lanes(i + 1).aHash(31L * c + i).result(i & 1);
                chain.add(r);
                records.add(ReceiptRecord.encode(r));
            }
            cycles.add(new LockchainVerifier.Cycle(chain.seal(c), records));
            pool.resetReceipts();
        }
    }

    private LockchainVerifier.Result verify() {
        return LockchainVerifier.verify(cycles, chain.head());
    }

    @Test
    void intactChain_verifies() {
        assertThat(verify().ok()).isTrue();
    }

    @Test
    void intactChainWithItsHead_isAnchored() {
        LockchainVerifier.Result r = verify();
        assertThat(r.anchored()).isTrue();
        assertThat(r.toString()).contains("anchored by the published head");
    }

    @Test
    void withoutHead_droppedLastCycleStillVerifiesButUnanchored() {
        cycles.remove(2);
        LockchainVerifier.Result r = LockchainVerifier.verify(cycles, null);
        assertThat(r.ok()).isTrue();
        assertThat(r.anchored()).isFalse();
        assertThat(r.toString()).contains("unanchored");
    }

    @Test
    void consistentlyRewrittenLastCycle_passesUnanchored_failsAgainstTheHead() {
        // rewrite the last cycle end to end: receipts, leaves, root and link all agree again
        byte[] prevLink = cycles.get(1).seal.link();
        Lockchain forged = new Lockchain(16);
        replayLinks(forged, 2);
        List<byte[]> recs = cycles.get(2).receipts;
        recs.get(0)[40] ^= 1;
        recs.forEach(rec -> forged.add(rec, 0));
        assertThat(forged.head()).isEqualTo(prevLink);
        cycles.set(2, new LockchainVerifier.Cycle(forged.seal(2), recs));

        LockchainVerifier.Result loose = LockchainVerifier.verify(cycles, null);
        LockchainVerifier.Result anchored = verify();

        assertThat(loose.ok()).isTrue();
        assertThat(loose.anchored()).isFalse();
        assertThat(anchored.ok()).isFalse();
        assertThat(anchored.anchored()).isFalse();
        assertThat(anchored.cycleIndex()).isEqualTo(2);
        assertThat(anchored.reason()).contains("differs from the published head")
            .contains(java.util.HexFormat.of().formatHex(chain.head()));
    }

    /** Re-adds and re-seals the first {@code n} cycles into {@code into}, so its head matches theirs. */
    private void replayLinks(Lockchain into, int n) {
        for (int c = 0; c < n; c++) {
            cycles.get(c).receipts.forEach(rec -> into.add(rec, 0));
            into.seal(c);
        }
    }

    @Test
    void changedReceipt_isNamed() {
        cycles.get(1).receipts.get(3)[63] ^= 1;
        LockchainVerifier.Result r = verify();
        assertThat(r.ok()).isFalse();
        assertThat(r.cycleIndex()).isEqualTo(1);
        assertThat(r.receiptIndex()).isEqualTo(3);
        assertThat(r.toString()).isEqualTo("cycle #1 (id 1), receipt #3: receipt does not match the sealed leaf hash");
    }

    @Test
    void removedReceipt_isNamedAtItsPosition() {
        cycles.get(1).receipts.remove(2);
        LockchainVerifier.Result r = verify();
        assertThat(r.cycleIndex()).isEqualTo(1);
        assertThat(r.receiptIndex()).isEqualTo(2);
    }

    @Test
    void removedLastReceipt_isNamedByTheCount() {
        cycles.get(1).receipts.remove(4);
        LockchainVerifier.Result r = verify();
        assertThat(r.receiptIndex()).isEqualTo(4);
        assertThat(r.reason()).isEqualTo("cycle sealed 5 receipts but 4 were emitted");
    }

    @Test
    void reorderedReceipts_areFound() {
        List<byte[]> rs = cycles.get(0).receipts;
        rs.add(0, rs.remove(1));
        LockchainVerifier.Result r = verify();
        assertThat(r.cycleIndex()).isZero();
        assertThat(r.receiptIndex()).isZero();
    }

    @Test
    void insertedReceipt_isFound() {
        cycles.get(2).receipts.add(0, cycles.get(1).receipts.get(0).clone());
        LockchainVerifier.Result r = verify();
        assertThat(r.cycleIndex()).isEqualTo(2);
        assertThat(r.receiptIndex()).isZero();
    }

    @Test
    void droppedLastCycle_isCaughtByThePublishedHead() {
        cycles.remove(2);
        LockchainVerifier.Result r = verify();
        assertThat(r.ok()).isFalse();
        assertThat(r.reason()).contains("published head");
    }

    @Test
    void resealedCycle_breaksTheLinkOfTheNextCycle() {
        // an attacker rewrites cycle 0 consistently (receipt, leaves, root, link) but cannot touch cycle 1
        Lockchain forged = new Lockchain(16);
        List<byte[]> recs = cycles.get(0).receipts;
        recs.get(0)[40] ^= 1;
        recs.forEach(rec -> forged.add(rec, 0));
        cycles.set(0, new LockchainVerifier.Cycle(forged.seal(0), recs));
        LockchainVerifier.Result r = verify();
        assertThat(r.cycleIndex()).isEqualTo(1);
        assertThat(r.reason()).isEqualTo("link does not chain to the previous cycle");
    }

    @Test
    void firstLink_isTheDocumentedHashComputedIndependently() throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        List<byte[]> leaves = new ArrayList<>();
        for (byte[] rec : cycles.get(0).receipts) {
            sha.update((byte) 0);
            leaves.add(sha.digest(rec));
        }
        byte[] n01 = node(sha, leaves.get(0), leaves.get(1));
        byte[] root = node(sha, n01, leaves.get(2)); // odd last leaf moves up unchanged
        sha.update((byte) 2);
        sha.update(new byte[32]);
        sha.update(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3});
        byte[] link = sha.digest(root);
        assertThat(cycles.get(0).seal.root()).isEqualTo(root);
        assertThat(cycles.get(0).seal.link()).isEqualTo(link);
    }

    @Test
    void receiptRecord_isBigEndianInLayoutOrder() {
        Receipt r = pool.receipt().cycleId(0x0102030405060708L).hookId(0x0A0B0C0D).result(0xFF);
        byte[] rec = ReceiptRecord.encode(r);
        assertThat(rec).hasSize(64);
        assertThat(new String(rec, 0, 8, StandardCharsets.ISO_8859_1)).isEqualTo("\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008");
        assertThat(rec[12]).isEqualTo((byte) 0x0A);
        assertThat(rec[15]).isEqualTo((byte) 0x0D);
        assertThat(rec[63]).isEqualTo((byte) 0xFF);
    }

    private static byte[] node(MessageDigest sha, byte[] l, byte[] r) {
        sha.update((byte) 1);
        sha.update(l);
        return sha.digest(r);
    }

    @Test
    void sealIntoASink_givesTheSealAndHeadOfSeal_cycleAfterCycle() {
        Lockchain a = new Lockchain(64);
        Lockchain b = new Lockchain(64);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(42);
        for (int cycle = 0; cycle < 5; cycle++) {
            int n = cycle == 2 ? 0 : 1 + rnd.nextInt(64); // an empty cycle too
            for (int i = 0; i < n; i++) {
                byte[] line = ("{\"receipt\":" + rnd.nextLong() + "}").getBytes(StandardCharsets.UTF_8);
                a.addLine(line, 0, line.length);
                b.addLine(line, 0, line.length);
            }
            CycleSeal expected = a.seal(cycle);
            CycleSeal[] got = new CycleSeal[1];
            b.seal(cycle, (id, leaves, count, root, link) ->
                got[0] = new CycleSeal(id, java.util.Arrays.copyOf(leaves, count * 32), root, link));
            assertThat(got[0].cycleId()).isEqualTo(expected.cycleId());
            assertThat(got[0].receiptCount()).isEqualTo(expected.receiptCount()).isEqualTo(n);
            assertThat(got[0].root()).isEqualTo(expected.root());
            assertThat(got[0].link()).isEqualTo(expected.link());
            for (int i = 0; i < n; i++) {
                assertThat(got[0].leaf(i)).isEqualTo(expected.leaf(i));
            }
            assertThat(b.head()).isEqualTo(a.head()).isEqualTo(expected.link());
            assertThat(b.cycles()).isEqualTo(a.cycles());
        }
    }
}
