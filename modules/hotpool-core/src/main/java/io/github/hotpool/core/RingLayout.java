package io.github.hotpool.core;

/**
 * One slab of a ring and the sequences it holds: every sequence from {@link #from} on, until the
 * next layout's {@code from}. A fixed ring has one layout for its life ({@code from} 0); an
 * adaptive ring installs a new one at each grow or shrink and keeps the one before it in {@link
 * #previous} until the slowest gating cursor has passed {@code from}: sequences below the
 * boundary keep their old slab and mask, sequences from it use the new ones, so no row a cursor
 * or a span names ever moves.
 *
 * <p>Every field but {@code previous} is final and set before the layout is published (a
 * volatile store of {@code Ring.layout} by the owner, before it claims any sequence at or past
 * {@code from}). {@code previous} is set in the constructor and cleared once, by the owner,
 * with a volatile store, when no holder can hold a row below {@code from} any more.
 */
final class RingLayout {

    /** First sequence this layout holds. */
    final long from;
    /** Rows in this layout's slab, a power of two. */
    final int capacity;
    /** {@code capacity - 1}: row index = seq & mask. */
    final int mask;
    /** log2(capacity). */
    final int shift;
    /** The off-heap rows. */
    final RingSlab slab;
    /** Bytes of {@link #slab}. */
    final long bytes;
    /** Row status words, one per row of this slab (see {@link Ring}). */
    final int[] status;
    /** The layout of the sequences below {@code from}, while a holder may still hold one; else null. */
    volatile RingLayout previous;

    RingLayout(long from, int capacity, RingSlab slab, long bytes, RingLayout previous) {
        this.from = from;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.shift = Integer.numberOfTrailingZeros(capacity);
        this.slab = slab;
        this.bytes = bytes;
        this.status = new int[capacity];
        this.previous = previous;
    }
}
