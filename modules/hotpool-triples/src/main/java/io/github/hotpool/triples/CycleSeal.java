package io.github.hotpool.triples;

import java.util.Arrays;

/**
 * The lockchain's record of one closed cycle: its id, the leaf hash of each receipt, the Merkle
 * root over them and the link chaining this root to the previous cycle's link. Immutable
 * (arrays are copied in and out), thread-safe. Byte layout of every hash: docs/lockchain.md.
 */
public final class CycleSeal {

    private final long cycleId;
    private final byte[] leaves;
    private final byte[] root;
    private final byte[] link;

    /** A seal; {@code leaves} is 32 bytes per receipt, root and link 32 bytes each. */
    public CycleSeal(long cycleId, byte[] leaves, byte[] root, byte[] link) {
        this(cycleId, leaves.clone(), root.clone(), link.clone(), true);
    }

    /** Takes the arrays as they are: for {@link Lockchain}, which made them for this seal alone. */
    CycleSeal(long cycleId, byte[] leaves, byte[] root, byte[] link, boolean owned) {
        if (leaves.length % 32 != 0 || root.length != 32 || link.length != 32) {
            throw new IllegalArgumentException("leaves must be 32 bytes per receipt (got " + leaves.length
                    + "), root and link 32 bytes (got " + root.length + ", " + link.length + ")");
        }
        this.cycleId = cycleId;
        this.leaves = leaves;
        this.root = root;
        this.link = link;
    }

    /** The cycle's id. */
    public long cycleId() {
        return cycleId;
    }

    /** Number of receipts sealed. */
    public int receiptCount() {
        return leaves.length / 32;
    }

    /** Leaf hash of receipt {@code i}. */
    public byte[] leaf(int i) {
        return Arrays.copyOfRange(leaves, i * 32, i * 32 + 32);
    }

    /**
     * Copies leaf {@code i} into {@code dst} at {@code off}, allocation-free.
     *
     * @param i 0..receiptCount-1
     * @param dst at least {@code off + 32} bytes
     * @param off where the leaf goes
     */
    public void leaf(int i, byte[] dst, int off) {
        System.arraycopy(leaves, i * 32, dst, off, 32);
    }

    /** True when leaf {@code i} equals {@code hash[off, off + 32)}; allocates nothing. */
    public boolean leafEquals(int i, byte[] hash, int off) {
        return Arrays.equals(leaves, i * 32, i * 32 + 32, hash, off, off + 32);
    }

    byte[] leavesRef() {
        return leaves;
    }

    /** The Merkle root over the leaves. */
    public byte[] root() {
        return root.clone();
    }

    /** The chain link: SHA-256 over the previous link, the cycle id, the count and the root. */
    public byte[] link() {
        return link.clone();
    }

    @Override
    public String toString() {
        return "cycle " + cycleId + " (" + receiptCount() + " receipts) link " + Lockchain.hex(link);
    }
}
