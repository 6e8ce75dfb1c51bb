package io.github.hotpool.pipeline.stage;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One stage's counters. Written on the stage's thread only (its verticle's context: deliveries and
 * the watchdog's rescue both run there), read on any thread. The steady state (spans without
 * failures) touches plain single-writer volatile longs only: no allocation; a failure may box its
 * reason code.
 */
final class StageCounters {

    final String name;
    volatile long spans;
    volatile long rows;
    volatile long stuckSpans;
    volatile long stuckRows;
    private final ConcurrentHashMap<Integer, AtomicLong> failedByReason = new ConcurrentHashMap<>();

    StageCounters(String name) {
        this.name = name;
    }

    @SuppressWarnings("NonAtomicOperationOnVolatileField") // one writer
    void span(int count) {
        spans = spans + 1;
        rows = rows + count;
    }

    void failed(int reason, long n) {
        if (n > 0) {
            failedByReason.computeIfAbsent(reason, r -> new AtomicLong()).addAndGet(n);
        }
    }

    @SuppressWarnings("NonAtomicOperationOnVolatileField") // one writer
    void stuck(int n) {
        stuckSpans = stuckSpans + 1;
        stuckRows = stuckRows + n;
        failed(Reasons.STUCK, n);
    }

    StageStats snapshot(long cursor) {
        Map<String, Long> failed = new TreeMap<>();
        failedByReason.forEach((r, n) -> failed.put(Reasons.name(r), n.get()));
        return new StageStats(name, spans, rows, failed, stuckSpans, stuckRows, cursor);
    }
}
