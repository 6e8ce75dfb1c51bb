package io.github.hotpool.pipeline.store;

import java.util.Locale;

/** When the receipt store forces its files to stable storage, and so when a batch is acknowledged. */
public enum Durability {
    /** Every flush is forced before any batch in it is acknowledged; flushes run back to back. */
    FSYNC,
    /**
     * Group commit (the default): receipts gather for at most the sync interval or the sync batch
     * size, then one forced flush acknowledges them all.
     */
    BATCH,
    /**
     * Written but never forced: a power loss or kernel crash can lose acknowledged receipts (a
     * process crash does not, the OS still holds them). Unsafe; for benchmarks and throwaway runs.
     */
    NONE;

    /** Parses {@code fsync}, {@code batch} or {@code none}, in any case. */
    public static Durability parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("durability '" + s + "' is not one of fsync, batch, none");
        }
    }
}
