package io.github.hotpool.core.testing;

import io.github.hotpool.core.Slab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;

/**
 * Which lane-access path {@link Slab} must be running, worked out from where its class was
 * loaded, so that tests can assert the path instead of trusting it. Shared with other modules'
 * tests through hotpool-core's test-jar. Thread-safe.
 *
 * <p>The JVM applies a multi-release jar's {@code META-INF/versions/22} only when the class comes
 * from a jar whose manifest says {@code Multi-Release: true} and the JDK is 22 or newer. From a
 * directory ({@code target/classes}, as Surefire and {@code mvn test} use) or from a jar built on
 * JDK 17 to 21 it is always the {@code ByteBuffer} build.
 */
public final class LanePath {

    private static final String OVERLAY = "META-INF/versions/22/io/github/hotpool/core/Slab.class";

    private LanePath() {
    }

    /** @return {@code "MemorySegment"} or {@code "ByteBuffer"}: what {@link Slab#accessPath()} must say here */
    public static String expected() {
        return Runtime.version().feature() >= 22 && loadedFromMultiReleaseJarWithOverlay()
            ? "MemorySegment" : "ByteBuffer";
    }

    /**
     * @return {@code "vector"} or {@code "scalar"}: what {@link Slab#lineScans()} must say here.
     *     Vector line scans run on the MemorySegment build when the JVM has {@code
     *     jdk.incubator.vector} in its boot layer and {@code -Dhotpool.vector} is not {@code false};
     *     they also need native 256-bit vectors (AVX2 on x86), which every machine this suite runs
     *     on has: where that is not so, this expectation fails and says so.
     */
    public static String expectedLineScans() {
        return "MemorySegment".equals(expected())
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && Boolean.parseBoolean(System.getProperty("hotpool.vector", "true")) ? "vector" : "scalar";
    }

    /**
     * @return the width in bits the vector line scans read a lane line with (512: one vector per
     *     line; 256: two halves), read from the running build; 0 when the scans are scalar
     */
    public static int lineBits() {
        if (!"vector".equals(Slab.lineScans())) {
            return 0;
        }
        try {
            java.lang.reflect.Method bits = Class.forName("io.github.hotpool.core.VectorLines").getDeclaredMethod("lineBits");
            bits.setAccessible(true);
            return (int) bits.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("vector line scans without VectorLines.lineBits()", e);
        }
    }

    /**
     * @return what {@link #lineBits()} must say here: 0 for scalar scans; 512 where the JVM's
     *     preferred long vector is 512 bits wide (AVX-512) unless {@code -Dhotpool.vector.width=256};
     *     256 otherwise
     */
    public static int expectedLineBits() {
        if (!"vector".equals(expectedLineScans())) {
            return 0;
        }
        if ("256".equals(System.getProperty("hotpool.vector.width"))) {
            return 256;
        }
        try {
            Object preferred = Class.forName("jdk.incubator.vector.LongVector").getField("SPECIES_PREFERRED").get(null);
            int bits = (int) Class.forName("jdk.incubator.vector.VectorSpecies").getMethod("vectorBitSize").invoke(preferred);
            return bits >= 512 ? 512 : 256;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the preferred vector species", e);
        }
    }

    /**
     * Fails when a test run that was set up for one lane path runs another: the vector test runs
     * of the build pass {@code -Dhotpool.test.lineScans=vector} (and the 256-bit ones {@code
     * -Dhotpool.test.lineBits=256}), so that a run whose class path or JVM options quietly fell
     * back to the scalar scans, which the expectations above would simply follow, fails instead.
     */
    public static void checkRequired() {
        String scans = System.getProperty("hotpool.test.lineScans");
        if (scans != null && !scans.equals(Slab.lineScans())) {
            throw new AssertionError("this run requires " + scans + " line scans: " + describe());
        }
        String bits = System.getProperty("hotpool.test.lineBits");
        if (bits != null && Integer.parseInt(bits) != lineBits()) {
            throw new AssertionError("this run requires " + bits + "-bit line scans: " + describe());
        }
    }

    /** @return a line for test output saying where {@link Slab} came from and which path it runs */
    public static String describe() {
        return "Slab " + Slab.accessPath() + " (expected " + expected() + "), line scans " + Slab.lineScans()
            + (lineBits() > 0 ? " " + lineBits() + "-bit" : "")
            + " (expected " + expectedLineScans() + ", which needs native 256-bit vectors) on JDK "
            + Runtime.version().feature() + " from " + location();
    }

    private static boolean loadedFromMultiReleaseJarWithOverlay() {
        Path from = location();
        if (!Files.isRegularFile(from)) {
            return false;
        }
        try (JarFile jar = new JarFile(from.toFile())) {
            return jar.isMultiRelease() && jar.getEntry(OVERLAY) != null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + from, e);
        }
    }

    private static Path location() {
        try {
            return Path.of(Slab.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
