package io.github.hotpool.core.testing;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The property runner the other modules' property tests stand on: it must fail loudly and replay exactly. */
class PropertyRunnerTest {

    @Test
    void failingTry_namesTryInputSeedAndReplayCommand_andKeepsTheCause() {
        AssertionError e = catchThrowableOfType(AssertionError.class, () -> PropertyRunner
            .forAll(g -> g.intBetween(0, 1000)).tries(1000)
            .check(x -> assertThat(x).isLessThan(900), 42L));

        assertThat(e).hasMessageContaining("property failed on try ").hasMessageContaining(" of 1000 with seed 42")
            .hasMessageContaining("-Dhotpool.seed=42")
            .hasMessageContaining("-Dtest='PropertyRunnerTest#failingTry_namesTryInputSeedAndReplayCommand_andKeepsTheCause'")
            .hasMessageContaining(" -am verify ");
        assertThat(e.getCause()).isInstanceOf(AssertionError.class).hasMessageContaining("900");
        int input = Integer.parseInt(e.getMessage().replaceAll("(?s).*\\n  input: (\\d+)\\n.*", "$1"));
        assertThat(input).isBetween(900, 1000);
    }

    @Test
    void sameSeed_replaysTheSameFailure_otherSeedsDrawOtherInputs() {
        PropertyRunner<Integer> runner = PropertyRunner.forAll(g -> g.intBetween(0, 1_000_000)).tries(500);
        PropertyRunner.Check<Integer> property = x -> assertThat(x % 97).isNotZero();
        AssertionError first = catchThrowableOfType(AssertionError.class, () -> runner.check(property, -7L));
        AssertionError again = catchThrowableOfType(AssertionError.class, () -> runner.check(property, -7L));
        assertThat(first).isNotNull();
        assertThat(again.getMessage()).isEqualTo(first.getMessage());

        assertThat(drawn(runner, 5L)).isEqualTo(drawn(runner, 5L)).isNotEqualTo(drawn(runner, 6L));
    }

    private static List<Integer> drawn(PropertyRunner<Integer> runner, long seed) {
        List<Integer> out = new ArrayList<>();
        runner.check(out::add, seed);
        return out;
    }

    @Test
    void edgeCasesRunFirst_thenExactlyTheTries() {
        List<Integer> seen = new ArrayList<>();
        PropertyRunner.forAll(g -> g.intBetween(10, 20)).tries(300).edgeCases(List.of(-1, -2)).check(seen::add, 1L);
        assertThat(seen).hasSize(302).startsWith(-1, -2);
        assertThat(seen.subList(2, seen.size())).allSatisfy(x -> assertThat(x).isBetween(10, 20));
    }

    @Test
    void failingEdgeCase_isReportedAsTheFixedInputItIs() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> PropertyRunner.forAll(g -> g.intBetween(0, 5)).edgeCases(List.of(3, -1))
            .check(x -> {
                calls.incrementAndGet();
                assertThat(x).isNotNegative();
            }))
            .isInstanceOf(AssertionError.class)
            .hasMessageContaining("edge case 1 of 2").hasMessageContaining("input: -1")
            .hasMessageContaining("-Dtest='PropertyRunnerTest#failingEdgeCase_isReportedAsTheFixedInputItIs'");
        assertThat(calls).hasValue(2);
    }

    @Test
    void brokenGenerator_isReportedWithTheSeedThatReachesIt() {
        assertThatThrownBy(() -> PropertyRunner.forAll(g -> 10 / g.intBetween(0, 3)).check(x -> { }, 99L))
            .isInstanceOf(AssertionError.class).hasMessageContaining("generator failed on try ")
            .hasMessageContaining("with seed 99").hasMessageContaining("-Dhotpool.seed=99")
            .hasCauseInstanceOf(ArithmeticException.class);
    }

    @Test
    void failureMessage_showsTheInputAsDrawn_evenWhenTheCheckChangedIt() {
        AssertionError e = catchThrowableOfType(AssertionError.class, () -> PropertyRunner
            .forAll(g -> new int[] {g.intBetween(0, 9)}).describedBy(Arrays::toString)
            .check(a -> {
                a[0] = 99;
                assertThat(a[0]).isZero();
            }, 3L));
        assertThat(e).hasMessageContaining("try 0 of 1000").hasMessageNotContaining("99]")
            .hasMessageMatching("(?s).*input: \\[\\d].*");
    }

    @Test
    void seedProperty_isReadAsDecimalOrHex_andABadOneIsAnError() {
        String before = System.getProperty(PropertyRunner.SEED_PROPERTY);
        try {
            System.setProperty(PropertyRunner.SEED_PROPERTY, "-12345");
            assertThat(PropertyRunner.baseSeed()).isEqualTo(-12345L);
            System.setProperty(PropertyRunner.SEED_PROPERTY, "0x5EED");
            assertThat(PropertyRunner.baseSeed()).isEqualTo(0x5EEDL);
            System.setProperty(PropertyRunner.SEED_PROPERTY, "seed");
            assertThatThrownBy(PropertyRunner::baseSeed).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-Dhotpool.seed=seed");
        } finally {
            if (before == null) {
                System.clearProperty(PropertyRunner.SEED_PROPERTY);
            } else {
                System.setProperty(PropertyRunner.SEED_PROPERTY, before);
            }
        }
    }

    @Test
    void gen_staysInItsRanges_andReachesTheirEdges() {
        Gen g = new Gen(new SplittableRandom(11));
        List<Integer> ints = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        List<Long> longs = new ArrayList<>();
        List<Long> top = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            ints.add(g.intBetween(-3, 1000));
            sizes.add(g.bytes(255).length);
            longs.add(g.anyLong());
            top.add(g.longBetween(Long.MAX_VALUE - 2, Long.MAX_VALUE));
        }
        assertThat(ints).allSatisfy(x -> assertThat(x).isBetween(-3, 1000)).contains(-3, -2, -1, 0, 1, 999, 1000);
        assertThat(sizes).allSatisfy(x -> assertThat(x).isBetween(0, 255)).contains(0, 255);
        assertThat(longs).contains(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L);
        assertThat(top).containsOnly(Long.MAX_VALUE - 2, Long.MAX_VALUE - 1, Long.MAX_VALUE);
        // a surrogate pair in the alphabet is one code point, never split into lone surrogates
        String s = new Gen(new SplittableRandom(1)).string("a\uD83D\uDE00", 40, 40);
        assertThat(s.codePoints().boxed().toList()).hasSize(40).containsOnly((int) 'a', 0x1F600);
    }
}
