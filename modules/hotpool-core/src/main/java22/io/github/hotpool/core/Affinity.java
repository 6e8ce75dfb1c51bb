package io.github.hotpool.core;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Pins the calling thread to a set of CPUs, where the running JDK and operating system allow it,
 * and reads back which CPUs a thread may run on.
 *
 * <p>This is the Java 22 build of the class, loaded from the multi-release jar's {@code
 * META-INF/versions/22}: on Linux it calls {@code int sched_setaffinity(pid_t pid, size_t
 * cpusetsize, const cpu_set_t *mask)} from libc through the FFM API ({@link Linker#nativeLinker()},
 * its default lookup), with {@code pid} 0, which the kernel reads as the calling thread, and
 * {@code errno} captured by the linker. On any other operating system, when libc has no such
 * symbol, or when the call fails (a CPU outside the process's allowed set, a cgroup that forbids
 * it), the answer says why and the thread goes on unpinned: nothing here throws for a pin that
 * cannot be made. Native access is "restricted" in the FFM API: without {@code
 * --enable-native-access} the JVM prints a warning the first time (Java 22-23) or, where a later
 * JDK denies it, the call fails and is reported as not pinned.
 *
 * <p>Thread-safe; the downcall handle is made once.
 */
public final class Affinity {

    private static final String PATH = "sched_setaffinity (FFM)";

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

    /**
     * The downcall, or why there is none; made on first use. Linking it is a restricted FFM
     * operation: javac's lint says so, and the JDK warns at run time unless native access is
     * enabled; a denial is caught and answered as "not pinned", which is why the lint is silenced here.
     */
    @SuppressWarnings("restricted")
    private static final class Native {
        static final MethodHandle SET_AFFINITY;
        static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
        static final long ERRNO_OFFSET = CAPTURE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
        static final String UNAVAILABLE;

        static {
            MethodHandle h = null;
            String why = null;
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
                why = "sched_setaffinity is Linux's; this is " + System.getProperty("os.name");
            } else {
                try {
                    Linker linker = Linker.nativeLinker();
                    MemorySegment symbol = linker.defaultLookup().find("sched_setaffinity").orElse(null);
                    if (symbol == null) {
                        why = "the C library has no sched_setaffinity";
                    } else {
                        h = linker.downcallHandle(symbol,
                            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                                ValueLayout.ADDRESS),
                            Linker.Option.captureCallState("errno"));
                    }
                } catch (RuntimeException | LinkageError e) {
                    why = "cannot link sched_setaffinity: " + e;
                }
            }
            SET_AFFINITY = h;
            UNAVAILABLE = why;
        }
    }

    /** @return "sched_setaffinity (FFM)" here; "none (Java 17-21 have no thread-affinity API)" on Java 17-21 */
    public static String path() {
        return PATH;
    }

    /** @return true when this build can try to pin: Linux with a libc sched_setaffinity */
    public static boolean canPin() {
        try {
            return Native.SET_AFFINITY != null;
        } catch (LinkageError e) {
            return false;
        }
    }

    /**
     * Pins the calling thread to {@code cpus} with {@code sched_setaffinity(0, size, mask)}.
     *
     * @param cpus CPU numbers, at least one, each in [0, 65535]
     * @return pinned, or not and why (other OS, no symbol, errno of a failed call, native access denied)
     * @throws IllegalArgumentException for an empty set or a CPU out of range
     */
    public static Outcome pinCurrentThread(int[] cpus) {
        int[] sorted = checkCpus(cpus);
        MethodHandle h;
        try {
            h = Native.SET_AFFINITY;
            if (h == null) {
                return new Outcome(false, sorted, Native.UNAVAILABLE + "; the thread goes on unpinned");
            }
        } catch (LinkageError e) {
            return new Outcome(false, sorted, "cannot set up the native call: " + e + "; the thread goes on unpinned");
        }
        // the mask: one bit per CPU in 64-bit words, as cpu_set_t; the kernel takes any length that covers its CPUs
        int words = sorted[sorted.length - 1] / 64 + 1;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(ValueLayout.JAVA_LONG, words);
            for (int c : sorted) {
                long at = (long) (c / 64) * Long.BYTES;
                mask.set(ValueLayout.JAVA_LONG, at, mask.get(ValueLayout.JAVA_LONG, at) | (1L << (c % 64)));
            }
            MemorySegment state = arena.allocate(Native.CAPTURE);
            int rc = (int) h.invokeExact(state, 0, (long) words * Long.BYTES, mask);
            if (rc != 0) {
                int errno = state.get(ValueLayout.JAVA_INT, Native.ERRNO_OFFSET);
                return new Outcome(false, sorted, "sched_setaffinity failed with errno " + errno + describe(errno)
                    + "; the thread goes on unpinned");
            }
            return new Outcome(true, sorted, "sched_setaffinity(0, " + words * Long.BYTES + ", mask) on thread '"
                + Thread.currentThread().getName() + "'");
        } catch (Throwable e) {
            // IllegalCallerException when native access is denied; anything else is reported the same way
            return new Outcome(false, sorted, "sched_setaffinity could not be called: " + e + "; the thread goes on unpinned");
        }
    }

    private static String describe(int errno) {
        switch (errno) {
            case 22:
                return " (EINVAL: no CPU of the mask is online or allowed to the process)";
            case 1:
                return " (EPERM: not permitted)";
            case 3:
                return " (ESRCH: no such thread)";
            default:
                return "";
        }
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
