package io.github.hotpool.tripleguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void render_fillsTheBarWithPoolOccupancy_andShowsRate() {
        String frame = Progress.render(8, 16, 5000, 2.0);
        assertThat(frame).startsWith("\r[" + "#".repeat(10) + " ".repeat(10) + "]");
        assertThat(frame).contains("pool 8/16").contains("5000 triples").contains("2500 triples/s");
    }

    @Test
    void render_emptyAndFullPool_andNoPoolYet() {
        assertThat(Progress.render(0, 16, 0, 1)).startsWith("\r[" + " ".repeat(Progress.BAR) + "]");
        assertThat(Progress.render(16, 16, 0, 1)).startsWith("\r[" + "#".repeat(Progress.BAR) + "]");
        assertThat(Progress.render(3, 0, 0, 1)).startsWith("\r[" + " ".repeat(Progress.BAR) + "] pool 3/0");
    }

    @Test
    void render_atTimeZero_doesNotDivideByZero() {
        assertThat(Progress.render(1, 16, 10, 0)).contains("10 triples").doesNotContain("Infinity");
    }

    @Test
    void show_auto_onlyOnATerminal() {
        assertThat(Progress.show("auto", true)).isTrue();
        assertThat(Progress.show("auto", false)).isFalse();
    }

    @Test
    void show_alwaysAndNever_ignoreTheTerminal() {
        assertThat(Progress.show("always", false)).isTrue();
        assertThat(Progress.show("never", true)).isFalse();
    }

    @Test
    void show_unknownMode_isRefusedNamingIt() {
        assertThatThrownBy(() -> Progress.show("sometimes", true))
            .hasMessage("--progress sometimes is not one of auto, always, never");
    }

    @Test
    void run_withUnknownProgressMode_isAUsageError() {
        assertThat(TripleGuardTest.cli("run", "--progress", "sometimes").code()).isEqualTo(2);
    }
}
