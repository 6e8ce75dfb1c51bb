package io.github.hotpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceFramerTest {

    /** Frames {@code text}; returns each frame's lines as "number:text". */
    private static List<List<String>> frames(String text, int maxLineLength, List<Long> overlong) throws Exception {
        List<List<String>> out = new ArrayList<>();
        SourceFramer f = new SourceFramer(maxLineLength, new SourceFramer.Sink() {
            @Override
            public void frame(Buffer frame) {
                int n = LinesFrame.validate(frame, 0, maxLineLength);
                List<String> lines = new ArrayList<>();
                int at = LinesFrame.HEADER;
                for (int i = 0; i < n; i++) {
                    long number = frame.getLong(at);
                    int len = frame.getInt(at + 8);
                    lines.add(number + ":" + frame.getString(at + 12, at + 12 + len, "US-ASCII"));
                    at += 12 + len;
                }
                out.add(lines);
            }

            @Override
            public void overlong(long line, int max) {
                overlong.add(line);
            }
        });
        f.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
        return out;
    }

    @Test
    void lfCrLfAndLoneCr_eachEndOneLine_blankAndCommentLinesAreDropped() throws Exception {
        List<List<String>> f = frames("a\r\nb\rc\n\n  \t\n# note\nd", 100, new ArrayList<>());
        assertThat(f).containsExactly(List.of("1:a", "2:b", "3:c", "7:d"));
    }

    @Test
    void eightStatementLines_makeOneFrame() throws Exception {
        StringBuilder s = new StringBuilder();
        for (int i = 1; i <= 17; i++) {
            s.append("l").append(i).append('\n');
        }
        List<List<String>> f = frames(s.toString(), 100, new ArrayList<>());
        assertThat(f).hasSize(3);
        assertThat(f.get(0)).hasSize(8).startsWith("1:l1").endsWith("8:l8");
        assertThat(f.get(2)).containsExactly("17:l17");
    }

    @Test
    void overlongLine_isReportedAndDropped_theNextLineKeepsItsNumber() throws Exception {
        List<Long> overlong = new ArrayList<>();
        List<List<String>> f = frames("ok\n" + "x".repeat(11) + "\nafter\n" + "y".repeat(10) + "\n", 10, overlong);
        assertThat(overlong).containsExactly(2L);
        assertThat(f).containsExactly(List.of("1:ok", "3:after", "4:" + "y".repeat(10)));
    }

    @Test
    void linesFrame_refusesALineLongerThanTheReceiversLimit() {
        Buffer b = Buffer.buffer();
        int start = LinesFrame.begin(b);
        byte[] line = "0123456789".getBytes(StandardCharsets.US_ASCII);
        LinesFrame.line(b, start, line, 0, line.length, 5);
        LinesFrame.end(b, start);
        assertThat(LinesFrame.validate(b, 0, 10)).isEqualTo(1);
        assertThatThrownBy(() -> LinesFrame.validate(b, 0, 9))
            .hasMessage("lines frame at 0: line 0 length 10 outside [0, maxLineLength 9]");
    }
}
