package io.github.hotpool.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Pins the calling thread to a set of CPUs, where the running JDK and operating system allow it,
 * and reads back which CPUs a thread may run on.
 *
 * <p>This is the Java 17 build of the class: Java 17 to 21 have no thread-affinity API (and
 * Hotpool uses no {@code sun.misc.Unsafe} nor JNI), so {@link #pinCurrentThread} never pins and
 * says why. On Java 22 and newer the multi-release jar's {@code META-INF/versions/22} build calls
 * Linux's {@code sched_setaffinity(0, size, mask)} from libc through the FFM API, which pins the
 * calling thread (thread id 0 is the caller). Both builds have this public API; {@link #path()}
 * says which is running. Neither ever throws for a pin that cannot be made: the answer says so,
 * and the thread goes on unpinned.
 *
 * <p>Thread-safe; stateless.
 */
public final class Affinity {

    private Affinity() {
    }

    /**
     * What a pin attempt did.
     *
     * @param pinned true if the thread's CPU set is now {@code cpus}
     * @param cpus the CPUs asked for, ascending
     * @param detail how it was done, or why it was not
     */
    public record Outcome(boolean pinned, int[] cpus, String detail) {

        /** Copies the CPUs. */
        public Outcome {
            cpus = cpus.clone();
        }

        /** @return a copy of the CPUs asked for */
        @Override
        public int[] cpus() {
            return cpus.clone();
        }

        @Override
        public String toString() {
            return (pinned ? "pinned to CPUs " : "not pinned to CPUs ") + java.util.Arrays.toString(cpus) + ": " + detail;
        }
    }

    /** @return "none (Java 17-21 have no thread-affinity API)" here; "sched_setaffinity (FFM)" on Java 22+ */
    public static String path() {
        return "none (Java 17-21 have no thread-affinity API)";
    }

    /** @return false here: this build cannot pin a thread */
    public static boolean canPin() {
        return false;
    }

    /**
     * Would pin the calling thread to {@code cpus}; this build cannot.
     *
     * @param cpus CPU numbers, at least one, each in [0, 65535]
     * @return an outcome that is not pinned and names the running JDK
     * @throws IllegalArgumentException for an empty set or a CPU out of range
     */
    public static Outcome pinCurrentThread(int[] cpus) {
        int[] sorted = checkCpus(cpus);
        return new Outcome(false, sorted, "the JVM has no thread-affinity API before Java 22 (running Java "
            + Runtime.version().feature() + " with the base build of Affinity); the thread goes on unpinned");
    }

    /**
     * The CPUs the calling thread may run on, from {@code <procRoot>/thread-self/status}'s {@code
     * Cpus_allowed_list} line (Linux).
     *
     * @param procRoot {@code /proc}, or a fake tree in tests
     * @return the CPUs ascending, or an empty array when the file or the line cannot be read
     */
    public static int[] allowedCpus(Path procRoot) {
        try {
            for (String line : Files.readAllLines(procRoot.resolve("thread-self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return NumaTopology.parseCpuList(line.substring("Cpus_allowed_list:".length()).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: answer that nothing is known
        }
        return new int[0];
    }

    static int[] checkCpus(int[] cpus) {
        if (cpus == null || cpus.length == 0) {
            throw new IllegalArgumentException("a thread is pinned to at least one CPU");
        }
        int[] sorted = cpus.clone();
        java.util.Arrays.sort(sorted);
        for (int c : sorted) {
            if (c < 0 || c > 65535) {
                throw new IllegalArgumentException("CPU " + c + " outside [0, 65535]");
            }
        }
        return sorted;
    }
}
