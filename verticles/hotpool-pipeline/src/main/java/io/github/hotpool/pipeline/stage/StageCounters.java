package io.github.hotpool.pipeline.stage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One stage's counters, shared by its instances. Written on the stage's threads (each
 * instance's context: deliveries and the watchdog's rescue run there) with atomic adds, read on
 * any thread. The steady state (spans without failures) is two atomic adds per span: no
 * allocation; a failure may box its reason code.
 */
final class StageCounters {

    private static final VarHandle SPANS;
    private static final VarHandle ROWS;
    private static final VarHandle STUCK_SPANS;
    private static final VarHandle STUCK_ROWS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SPANS = l.findVarHandle(StageCounters.class, "spans", long.class);
            ROWS = l.findVarHandle(StageCounters.class, "rows", long.class);
            STUCK_SPANS = l.findVarHandle(StageCounters.class, "stuckSpans", long.class);
            STUCK_ROWS = l.findVarHandle(StageCounters.class, "stuckRows", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final String name;
    volatile long spans;
    volatile long rows;
    volatile long stuckSpans;
    volatile long stuckRows;
    private final ConcurrentHashMap<Integer, AtomicLong> failedByReason = new ConcurrentHashMap<>();

    StageCounters(String name) {
        this.name = name;
    }

    void span(int count) {
        SPANS.getAndAdd(this, 1L);
        ROWS.getAndAdd(this, (long) count);
    }

    void failed(int reason, long n) {
        if (n > 0) {
            failedByReason.computeIfAbsent(reason, r -> new AtomicLong()).addAndGet(n);
        }
    }

    /** @param rows rows of the stuck span @param fresh of those, the ones failed by the rescue (not before) */
    void stuck(int rows, int fresh) {
        STUCK_SPANS.getAndAdd(this, 1L);
        STUCK_ROWS.getAndAdd(this, (long) rows);
        failed(Reasons.STUCK, fresh); // a row failed before keeps, and is counted under, its first reason
    }

    StageStats snapshot(long cursor) {
        Map<String, Long> failed = new TreeMap<>();
        failedByReason.forEach((r, n) -> failed.put(Reasons.name(r), n.get()));
        return new StageStats(name, spans, rows, failed, stuckSpans, stuckRows, cursor);
    }
}
