package io.github.hotpool.pipeline.store;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/** The JVM's direct-buffer count, for tests that prove a path leaves no native copies behind. */
public final class DirectMemory {

    private DirectMemory() {
    }

    /** Bytes of direct buffers in use now (the platform's "direct" buffer pool). */
    public static long inUse() {
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) {
                return b.getMemoryUsed();
            }
        }
        throw new AssertionError("no direct buffer pool bean");
    }

    /**
     * {@link #inUse} once garbage collection has freed the buffers earlier tests left unreachable,
     * so that a collection inside a measured window cannot hide growth there (a buffer a live
     * thread caches is reachable and stays counted). Gives up after 20 collections and returns
     * the last count; a test that then sees growth fails, it does not pass by mistake.
     */
    public static long settled() throws InterruptedException {
        long last = inUse();
        for (int i = 0; i < 20; i++) {
            System.gc();
            Thread.sleep(20); // cleaners free a collected buffer on their own thread
            long now = inUse();
            if (now == last) {
                return now;
            }
            last = now;
        }
        return last;
    }
}
