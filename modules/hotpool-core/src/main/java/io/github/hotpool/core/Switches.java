package io.github.hotpool.core;

/**
 * Debug and profiling switches, read once from system properties at class initialisation.
 *
 * <p>They are {@code static final}, so the JIT folds a switch that is off and its guarded code
 * costs nothing: set them on the command line ({@code -Dhotpool.checks=false}), not at run time.
 */
final class Switches {

    /**
     * Lane bounds and use-after-release checks on every buffer and receipt accessor
     * ({@code hotpool.checks}, default on). Release-path guards (double, foreign, stale release)
     * are part of the release protocol and cannot be switched off.
     */
    static final boolean CHECKS = !"false".equalsIgnoreCase(System.getProperty("hotpool.checks"));

    /**
     * Allocation profiling of acquire and release ({@code hotpool.profile}, default off): each
     * call reads the thread's allocated-bytes counter before and after and counts calls that
     * allocated. Costs two counter reads per call when on.
     */
    static final boolean PROFILE = Boolean.getBoolean("hotpool.profile");

    private Switches() {
    }
}
