package io.github.hotpool.tripleguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void render_fillsTheBarWithTheBytesRead_andShowsPercentRateAndEta() {
        // half of 100 MB in 2 s: 25 MB/s, 2 s to go
        String frame = Progress.render(50_000_000, 100_000_000, 5000, 7, 2.0, 0);
        assertThat(frame).startsWith("\r[" + "#".repeat(10) + " ".repeat(10) + "] 50%");
        assertThat(frame).contains("50/100 MB").contains("25.0 MB/s").contains("ETA 2s").contains("5000 triples")
            .contains("in flight 7");
    }

    @Test
    void render_emptyAndCompleteInput() {
        assertThat(Progress.render(0, 100, 0, 0, 1, 0)).startsWith("\r[" + " ".repeat(Progress.BAR) + "] 0%")
            .contains("ETA ?");
        assertThat(Progress.render(100, 100, 0, 0, 1, 0)).startsWith("\r[" + "#".repeat(Progress.BAR) + "] 100%")
            .contains("ETA 0s");
        assertThat(Progress.render(150, 100, 0, 0, 1, 0)).contains("100%"); // a file that grew: never past full
    }

    @Test
    void render_unknownSize_spinsAndShowsTheRate() {
        assertThat(Progress.render(-1, -1, 5000, 3, 2.0, 0)).isEqualTo("\r| 5000 triples  2500 triples/s  in flight 3  ");
        assertThat(Progress.render(-1, -1, 0, 0, 1, 1)).startsWith("\r/ ");
    }

    @Test
    void render_atTimeZero_doesNotDivideByZero() {
        assertThat(Progress.render(1, 16, 10, 0, 0, 0)).contains("10 triples").doesNotContain("Infinity");
        assertThat(Progress.render(-1, -1, 10, 0, 0, 0)).doesNotContain("Infinity");
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
