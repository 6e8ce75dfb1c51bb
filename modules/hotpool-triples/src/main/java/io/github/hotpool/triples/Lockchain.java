package io.github.hotpool.triples;

import io.github.hotpool.core.Receipt;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Tamper-evident chain over emitted receipts: per cycle a Merkle root (SHA-256) over the
 * cycle's receipts, each root chained to the previous cycle's link. Single-threaded (the Emit
 * stage's thread), not thread-safe.
 *
 * <p>Adding a receipt allocates nothing; {@link #seal} allocates the {@link CycleSeal}. Exactly
 * what is hashed is written down in docs/lockchain.md; {@link LockchainVerifier} recomputes it.
 */
public final class Lockchain {

    /*
     * leaf   = SHA-256(0x00 || 64-byte receipt record)          (format 1)
     * leaf   = SHA-256(0x03 || the receipt's line, without '\n')  (format 2: every shown field)
     * node   = SHA-256(0x01 || left || right)      (RFC 6962 shape: an odd last node moves up)
     * root   = the single node left; SHA-256 of no bytes for an empty cycle
     * link_i = SHA-256(0x02 || link_{i-1} || cycleId (8, BE) || count (4, BE) || root_i)
     * link_{-1} = 32 zero bytes
     */

    static final int HASH = 32;
    static final byte LEAF = 0x00;
    static final byte NODE = 0x01;
    static final byte LINK = 0x02;
    static final byte LINE = 0x03;

    /** Format 1: a leaf hashes the 64-byte {@link ReceiptRecord}; fields outside it are not covered. */
    public static final int FORMAT_RECORD = 1;
    /** Format 2: a leaf hashes the receipt's whole stored line, so every field it shows is covered. */
    public static final int FORMAT_LINE = 2;

    private final MessageDigest sha = sha256();
    private final int maxReceiptsPerCycle;
    private final byte[] record = new byte[ReceiptRecord.LENGTH];
    private final byte[] leaves;
    private final byte[] work;
    private int count;
    private byte[] head = new byte[HASH];
    private long cycles;

    /** A chain starting from the all-zero link; a cycle may hold {@code maxReceiptsPerCycle}. */
    public Lockchain(int maxReceiptsPerCycle) {
        if (maxReceiptsPerCycle < 1) {
            throw new IllegalArgumentException("maxReceiptsPerCycle must be >= 1: " + maxReceiptsPerCycle);
        }
        this.maxReceiptsPerCycle = maxReceiptsPerCycle;
        this.leaves = new byte[maxReceiptsPerCycle * HASH];
        this.work = new byte[maxReceiptsPerCycle * HASH];
    }

    /** Adds a receipt to the open cycle. @throws IllegalStateException when the cycle is full */
    public void add(Receipt receipt) {
        ReceiptRecord.encode(receipt, record, 0);
        add(record, 0);
    }

    /** Adds a 64-byte receipt record {@code rec[off, off + 64)} to the open cycle. */
    public void add(byte[] rec, int off) {
        if (count == maxReceiptsPerCycle) {
            throw new IllegalStateException("cycle already holds maxReceiptsPerCycle " + maxReceiptsPerCycle
                    + " receipts: seal it first");
        }
        leafHash(sha, rec, off, leaves, count * HASH);
        count++;
    }

    /**
     * Adds a receipt to the open cycle by its stored line {@code line[off, off + len)} (format 2:
     * the leaf covers every byte of the line, without its line break); allocates nothing.
     */
    public void addLine(byte[] line, int off, int len) {
        if (count == maxReceiptsPerCycle) {
            throw new IllegalStateException("cycle already holds maxReceiptsPerCycle " + maxReceiptsPerCycle
                    + " receipts: seal it first");
        }
        lineLeaf(sha, line, off, len, leaves, count * HASH);
        count++;
    }

    /**
     * Restores a chain whose last link is {@code head} after {@code cycles} sealed cycles, so that a
     * restart continues it without re-reading sealed receipts.
     */
    public void resume(byte[] head, long cycles) {
        if (head.length != HASH || count != 0) {
            throw new IllegalStateException("resume needs a 32-byte head and an empty open cycle");
        }
        this.head = head.clone();
        this.cycles = cycles;
    }

    /** Receipts in the open cycle. */
    public int pending() {
        return count;
    }

    /** Closes the open cycle under {@code cycleId} and chains it; returns its seal. */
    public CycleSeal seal(long cycleId) {
        byte[] root = new byte[HASH];
        merkleRoot(sha, leaves, count, work, root);
        byte[] link = new byte[HASH];
        link(sha, head, cycleId, count, root, link);
        // one copy of the leaves, handed to the seal (its public constructor would copy again); root and
        // link are fresh arrays: the seal owns them too, and head takes a copy of the link
        CycleSeal seal = new CycleSeal(cycleId, java.util.Arrays.copyOf(leaves, count * HASH), root, link, true);
        head = link.clone();
        count = 0;
        cycles++;
        return seal;
    }

    /** Receives a sealed cycle's parts; the arrays are lent for the call only. */
    @FunctionalInterface
    public interface SealSink {
        /**
         * @param cycleId the cycle
         * @param leaves {@code count} 32-byte leaves from offset 0
         * @param count receipts in the cycle
         * @param root its Merkle root (32 bytes)
         * @param link its link, the chain's new head (32 bytes)
         */
        void sealed(long cycleId, byte[] leaves, int count, byte[] root, byte[] link);
    }

    /** Root and link of the cycle being sealed by {@link #seal(long, SealSink)}. */
    private final byte[] sealRoot = new byte[HASH];
    private final byte[] sealLink = new byte[HASH];

    /**
     * Closes the open cycle under {@code cycleId} and chains it, like {@link #seal(long)}, but hands
     * the seal's parts to {@code sink} instead of building a {@link CycleSeal}: allocation-free, for a
     * writer that only records the seal.
     */
    public void seal(long cycleId, SealSink sink) {
        merkleRoot(sha, leaves, count, work, sealRoot);
        link(sha, head, cycleId, count, sealRoot, sealLink);
        sink.sealed(cycleId, leaves, count, sealRoot, sealLink);
        System.arraycopy(sealLink, 0, head, 0, HASH);
        count = 0;
        cycles++;
    }

    /** The latest link (all zero before the first seal); publish it as the chain's anchor. */
    public byte[] head() {
        return head.clone();
    }

    /** Cycles sealed so far. */
    public long cycles() {
        return cycles;
    }

    static void leafHash(MessageDigest sha, byte[] rec, int off, byte[] dst, int dstOff) {
        sha.update(LEAF);
        sha.update(rec, off, ReceiptRecord.LENGTH);
        finish(sha, dst, dstOff);
    }

    /** Writes the format-1 leaf of a 64-byte receipt record {@code rec} into {@code dst[0, 32)}. */
    public static void recordLeaf(MessageDigest sha, byte[] rec, byte[] dst) {
        leafHash(sha, rec, 0, dst, 0);
    }

    /** Writes the format-2 leaf of {@code line[off, off + len)} into {@code dst[dstOff, dstOff + 32)}. */
    public static void lineLeaf(MessageDigest sha, byte[] line, int off, int len, byte[] dst, int dstOff) {
        sha.update(LINE);
        sha.update(line, off, len);
        finish(sha, dst, dstOff);
    }

    /** Root over {@code n} 32-byte leaves; {@code work} holds at least n hashes and is overwritten. */
    public static void merkleRoot(MessageDigest sha, byte[] leaves, int n, byte[] work, byte[] root) {
        if (n == 0) {
            finish(sha, root, 0);
            return;
        }
        System.arraycopy(leaves, 0, work, 0, n * HASH);
        while (n > 1) {
            int next = 0;
            for (int i = 0; i + 1 < n; i += 2) {
                sha.update(NODE);
                sha.update(work, i * HASH, 2 * HASH);
                finish(sha, work, next++ * HASH);
            }
            if ((n & 1) == 1) {
                System.arraycopy(work, (n - 1) * HASH, work, next++ * HASH, HASH);
            }
            n = next;
        }
        System.arraycopy(work, 0, root, 0, HASH);
    }

    /** The link of a cycle, {@code H(0x02 || prev || cycleId || count || root)}, into {@code dst}. */
    public static void link(MessageDigest sha, byte[] prev, long cycleId, int count, byte[] root, byte[] dst) {
        byte[] fixed = new byte[12];
        ReceiptRecord.putLong(fixed, 0, cycleId);
        ReceiptRecord.putInt(fixed, 8, count);
        sha.update(LINK);
        sha.update(prev, 0, HASH);
        sha.update(fixed, 0, 12);
        sha.update(root, 0, HASH);
        finish(sha, dst, 0);
    }

    private static void finish(MessageDigest sha, byte[] dst, int off) {
        try {
            sha.digest(dst, off, HASH);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 digest did not fit 32 bytes", e);
        }
    }

    /** A new SHA-256 digest (every JDK has one). */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK must provide SHA-256", e);
        }
    }

    static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }
}
