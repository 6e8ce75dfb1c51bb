package io.github.hotpool.core;

import java.lang.management.ManagementFactory;

/**
 * Counts pool calls that allocated on the Java heap, from the calling thread's allocated-bytes
 * counter. Only created with {@code -Dhotpool.profile=true}. Thread-safe (the count is a
 * best-effort figure across threads).
 */
final class AllocationProbe {

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final java.util.concurrent.atomic.AtomicLong allocating = new java.util.concurrent.atomic.AtomicLong();

    long begin() {
        return threads.getCurrentThreadAllocatedBytes();
    }

    void end(long mark) {
        if (threads.getCurrentThreadAllocatedBytes() != mark) {
            allocating.incrementAndGet();
        }
    }

    long allocatingCalls() {
        return allocating.get();
    }
}
