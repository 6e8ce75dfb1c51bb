package io.github.hotpool.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The random source one try of a property draws its input from (see {@link PropertyRunner}).
 * Shared with other modules' tests through hotpool-core's test-jar.
 *
 * <p>Draws lean towards edge values on purpose, because bugs live there and a uniform draw
 * almost never reaches them: a number drawn from a range is one of its boundaries (min, min + 1,
 * max - 1, max, and 0, 1, -1 where they lie inside it) about one draw in eight; an unbounded
 * number is small about one draw in eight and MIN/MAX/0/±1 about one in eight of the rest; a size
 * is the smallest or the largest allowed about one draw in four, so empty and full collections
 * come up in every run. Everything else is uniform.
 *
 * <p>A {@code Gen} is a pure function of its seed: the same seed gives the same draws in the same
 * order, which is what makes a failing try replayable. Generators must therefore draw only from
 * their {@code Gen} (no clocks, no other randomness). Not thread-safe; one per try.
 */
public final class Gen {

    private static final long[] LONG_EDGES = {0, 1, -1, Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE,
        Long.MAX_VALUE - 1};
    private static final int[] INT_EDGES = {0, 1, -1, Integer.MIN_VALUE, Integer.MIN_VALUE + 1, Integer.MAX_VALUE,
        Integer.MAX_VALUE - 1};
    // line breaks too: the parsers under test are line-based
    private static final byte[] BYTE_EDGES = {0, 1, -1, Byte.MIN_VALUE, Byte.MAX_VALUE, '\n', '\r'};

    private final SplittableRandom random;

    /** @param random the source of every draw */
    public Gen(SplittableRandom random) {
        this.random = random;
    }

    /** @return the underlying source, for draws this class does not offer */
    public SplittableRandom random() {
        return random;
    }

    /** @return true or false, evenly */
    public boolean bool() {
        return random.nextBoolean();
    }

    /** @return true about once in {@code n} draws */
    public boolean oneIn(int n) {
        return random.nextInt(n) == 0;
    }

    /**
     * @param min smallest value, inclusive
     * @param max largest value, inclusive
     * @return a value in [min, max], a boundary of the range about one draw in eight
     */
    public int intBetween(int min, int max) {
        return (int) longBetween(min, max);
    }

    /**
     * @param min smallest value, inclusive
     * @param max largest value, inclusive
     * @return a value in [min, max], a boundary of the range about one draw in eight
     */
    public long longBetween(long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("empty range [" + min + ", " + max + "]");
        }
        if (oneIn(8)) {
            long[] edges = {min, min + 1, max - 1, max, 0, 1, -1};
            long e = edges[random.nextInt(edges.length)];
            // min + 1 and max - 1 may wrap around, and 0, 1, -1 may lie outside the range
            if (e >= min && e <= max) {
                return e;
            }
            return min;
        }
        if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) {
            return random.nextLong();
        }
        if (max == Long.MAX_VALUE) {
            // [min, MAX] is [min - 1, MAX - 1] + 1, and min - 1 does not wrap since min > MIN here
            return random.nextLong(min - 1, max) + 1;
        }
        return random.nextLong(min, max + 1);
    }

    /** @return any int: small (|x| <= 256) one draw in eight, a boundary value one in eight of the rest */
    public int anyInt() {
        if (oneIn(8)) {
            return random.nextInt(-256, 257);
        }
        if (oneIn(8)) {
            return INT_EDGES[random.nextInt(INT_EDGES.length)];
        }
        return random.nextInt();
    }

    /** @return any long: small (|x| <= 256) one draw in eight, a boundary value one in eight of the rest */
    public long anyLong() {
        if (oneIn(8)) {
            return random.nextLong(-256, 257);
        }
        if (oneIn(8)) {
            return LONG_EDGES[random.nextInt(LONG_EDGES.length)];
        }
        return random.nextLong();
    }

    /** @return any byte: 0, 1, -1, the extremes or a line break one draw in eight, else uniform */
    public byte anyByte() {
        if (oneIn(8)) {
            return BYTE_EDGES[random.nextInt(BYTE_EDGES.length)];
        }
        return (byte) random.nextInt(256);
    }

    /**
     * @param min fewest elements
     * @param max most elements
     * @return a size in [min, max]: min about one draw in eight, max about one in eight, else uniform
     */
    public int size(int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException("empty size range [" + min + ", " + max + "]");
        }
        int pick = random.nextInt(8);
        if (pick == 0) {
            return min;
        }
        if (pick == 1) {
            return max;
        }
        return random.nextInt(min, max + 1);
    }

    /** @return {@code size(0, maxLength)} bytes, each from {@link #anyByte()} */
    public byte[] bytes(int maxLength) {
        byte[] b = new byte[size(0, maxLength)];
        for (int i = 0; i < b.length; i++) {
            b[i] = anyByte();
        }
        return b;
    }

    /**
     * @param alphabet the code points to choose from (a surrogate pair in it counts as one)
     * @param minLength fewest code points
     * @param maxLength most code points
     * @return a string of code points from the alphabet, each equally likely
     */
    public String string(String alphabet, int minLength, int maxLength) {
        int[] cps = alphabet.codePoints().toArray();
        int n = size(minLength, maxLength);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.appendCodePoint(cps[random.nextInt(cps.length)]);
        }
        return sb.toString();
    }

    /** @return one of the choices, each equally likely */
    @SafeVarargs
    public final <E> E oneOf(E... choices) {
        return choices[random.nextInt(choices.length)];
    }

    /** @return one of the enum's constants, each equally likely */
    public <E extends Enum<E>> E oneOf(Class<E> type) {
        return oneOf(type.getEnumConstants());
    }

    /** @return a value of one of the generators: the generator is chosen evenly, then drawn from */
    @SafeVarargs
    public final <E> E oneOfGenerators(Function<Gen, ? extends E>... generators) {
        return generators[random.nextInt(generators.length)].apply(this);
    }

    /**
     * @param min fewest elements
     * @param max most elements
     * @param element draws one element
     * @return a mutable list of {@code size(min, max)} elements
     */
    public <E> List<E> listOf(int min, int max, Function<Gen, ? extends E> element) {
        int n = size(min, max);
        List<E> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(element.apply(this));
        }
        return out;
    }
}
