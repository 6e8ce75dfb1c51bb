package io.github.hotpool.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Seeded property checks on plain JUnit 5: a property is checked on a few fixed edge cases, then
 * on {@code tries} inputs drawn from a {@link Gen}. Shared with other modules' tests through
 * hotpool-core's test-jar.
 *
 * <pre>{@code
 * PropertyRunner.forAll(g -> g.bytes(400))
 *     .tries(2000)
 *     .edgeCases(List.of(new byte[0]))
 *     .describedBy(Arrays::toString)
 *     .check(bytes -> assertThat(decode(bytes)) ...);
 * }</pre>
 *
 * <p>Every run draws a fresh base seed, so each run explores new inputs; {@code -Dhotpool.seed=N}
 * fixes it instead. Try {@code i} draws from a seed that depends only on the base seed and
 * {@code i}, so the same base seed gives the same inputs in the same order. When a check fails,
 * the {@link AssertionError} names the try, the seed, the input (through the describer) and the
 * command line that replays it; the original failure is its cause. There is no shrinking: a
 * property that can point at a smaller part of its input (a model test at its failing step) says
 * so in its own assertion message.
 *
 * @param <T> the input type
 */
public final class PropertyRunner<T> {

    /** The system property that fixes the base seed, e.g. {@code -Dhotpool.seed=-4242}. */
    public static final String SEED_PROPERTY = "hotpool.seed";

    /** Tries when a property does not say: what jqwik ran by default, which these checks replace. */
    public static final int DEFAULT_TRIES = 1000;

    private final Function<Gen, ? extends T> generator;
    private int tries = DEFAULT_TRIES;
    private List<? extends T> edgeCases = List.of();
    private Function<? super T, String> describer = String::valueOf;

    private PropertyRunner(Function<Gen, ? extends T> generator) {
        this.generator = generator;
    }

    /**
     * @param generator draws one input; must draw only from its {@link Gen} so a seed replays it
     * @return a runner with {@link #DEFAULT_TRIES} tries, no edge cases and {@code String.valueOf}
     *     as describer
     */
    public static <T> PropertyRunner<T> forAll(Function<Gen, ? extends T> generator) {
        return new PropertyRunner<>(generator);
    }

    /** @param n random inputs to check, after the edge cases; at least 1 */
    public PropertyRunner<T> tries(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("tries " + n + " < 1");
        }
        this.tries = n;
        return this;
    }

    /** @param cases fixed inputs checked first, on every run, whatever the seed */
    public PropertyRunner<T> edgeCases(List<? extends T> cases) {
        this.edgeCases = List.copyOf(cases);
        return this;
    }

    /** @param describer how a failing input is printed (arrays need one: their toString is useless) */
    public PropertyRunner<T> describedBy(Function<? super T, String> describer) {
        this.describer = describer;
        return this;
    }

    /**
     * Checks the property on every edge case, then on {@code tries} drawn inputs; stops at the
     * first failure.
     *
     * @param property throws (an assertion or anything else) when the input breaks it
     * @throws AssertionError naming the input, and the seed and try that drew it
     */
    public void check(Check<? super T> property) {
        check(property, baseSeed());
    }

    /** {@link #check(Check)} with a given base seed (for this class's own tests). */
    void check(Check<? super T> property, long seed) {
        for (int i = 0; i < edgeCases.size(); i++) {
            T input = edgeCases.get(i);
            try {
                property.accept(input);
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable failure) {
                throw new AssertionError("property failed on edge case " + i + " of " + edgeCases.size()
                    + " (a fixed input, checked on every run whatever the seed)\n  input: " + describe(input)
                    + "\n  failure: " + failure
                    + "\n  rerun: " + rerunCommand(""), failure);
            }
        }
        SplittableRandom base = new SplittableRandom(seed);
        for (int i = 0; i < tries; i++) {
            long trySeed = base.nextLong();
            T input;
            try {
                input = generator.apply(new Gen(new SplittableRandom(trySeed)));
            } catch (RuntimeException broken) {
                throw new AssertionError("generator failed on try " + i + " of " + tries + " with seed " + seed
                    + "\n  replay: " + replayHint(seed), broken);
            }
            try {
                property.accept(input);
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable failure) {
                // the check may have changed its input: draw it again from the same seed to print it
                T drawn = generator.apply(new Gen(new SplittableRandom(trySeed)));
                throw new AssertionError("property failed on try " + i + " of " + tries + " with seed " + seed
                    + "\n  input: " + describe(drawn)
                    + "\n  failure: " + failure
                    + "\n  replay: " + replayHint(seed), failure);
            }
        }
    }

    private String describe(T input) {
        try {
            return describer.apply(input);
        } catch (RuntimeException e) {
            return "(describer failed: " + e + ")";
        }
    }

    /**
     * @return the base seed: {@code -Dhotpool.seed} when set (decimal, or hex with 0x), else fresh
     * @throws IllegalArgumentException when the property is set but not a long
     */
    static long baseSeed() {
        String fixed = System.getProperty(SEED_PROPERTY);
        if (fixed == null || fixed.isBlank()) {
            return new SplittableRandom().nextLong();
        }
        try {
            return Long.decode(fixed.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SEED_PROPERTY + "=" + fixed + " is not a long", e);
        }
    }

    /** @return the flag that replays the seed, and a Maven line that runs just the failing test with it */
    static String replayHint(long seed) {
        String flag = "-D" + SEED_PROPERTY + "=" + seed;
        String command = rerunCommand(" " + flag);
        return command.isEmpty() ? flag : flag + ", e.g. from the repository root:\n    " + command;
    }

    /** @return a Maven line that runs just the calling test, followed by {@code extra}; empty outside a test */
    private static String rerunCommand(String extra) {
        StackWalker.StackFrame test = StackWalker.getInstance(StackWalker.Option.SHOW_REFLECT_FRAMES)
            .walk(PropertyRunner::testMethod);
        if (test == null) {
            return "";
        }
        String className = test.getClassName();
        String simpleName = className.substring(className.lastIndexOf('.') + 1);
        int nested = simpleName.indexOf('$');
        if (nested >= 0) {
            simpleName = simpleName.substring(0, nested);
        }
        return "mvn -B -pl " + modulePath() + " -am verify -Dsurefire.failIfNoSpecifiedTests=false -Dtest='"
            + simpleName + "#" + test.getMethodName() + "'" + extra;
    }

    /**
     * @return the frame JUnit called by reflection, that is the test method, however deep in
     *     lambdas and helpers the check runs; null outside a reflective call
     */
    private static StackWalker.StackFrame testMethod(Stream<StackWalker.StackFrame> frames) {
        StackWalker.StackFrame callee = null;
        for (Iterator<StackWalker.StackFrame> it = frames.iterator(); it.hasNext(); ) {
            StackWalker.StackFrame f = it.next();
            String c = f.getClassName();
            if (c.startsWith("jdk.internal.reflect.") || c.startsWith("java.lang.reflect.")) {
                return callee;
            }
            callee = f;
        }
        return null;
    }

    /** @return the module directory (where Surefire runs the tests) relative to the checkout's root */
    private static String modulePath() {
        Path module = Path.of("").toAbsolutePath();
        for (Path root = module; root != null; root = root.getParent()) {
            // a clone has a .git directory at its root, a git worktree a .git file
            if (Files.exists(root.resolve(".git")) && Files.exists(root.resolve("pom.xml"))) {
                String relative = root.relativize(module).toString().replace('\\', '/');
                return relative.isEmpty() ? "." : relative;
            }
        }
        return "<module>";
    }

    /**
     * A property: returns normally when the input satisfies it, throws otherwise.
     *
     * @param <T> the input type
     */
    @FunctionalInterface
    public interface Check<T> {
        /** @param input one generated or edge-case input */
        void accept(T input) throws Throwable;
    }
}
