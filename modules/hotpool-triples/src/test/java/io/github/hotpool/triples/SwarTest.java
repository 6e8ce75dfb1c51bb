package io.github.hotpool.triples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.testing.PropertyRunner;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The word-at-a-time searches agree with a byte loop on any bytes, offsets and lengths. */
class SwarTest {

    record Input(byte[] bytes, int from, int to) {
    }

    private static Input draw(io.github.hotpool.core.testing.Gen g) {
        byte[] b = new byte[g.intBetween(0, 70)];
        for (int k = 0; k < b.length; k++) {
            // mostly plain text, some of every special byte
            b[k] = g.oneIn(6) ? g.oneOf((byte) '\n', (byte) '\r', (byte) '"', (byte) '\\', (byte) 0x7F, (byte) 0x1F,
                    (byte) 0x00, (byte) 0x20, (byte) 0x80, (byte) 0xFF, (byte) 0x21, (byte) 0x5B)
                    : (byte) g.intBetween(0x20, 0x7E);
        }
        int from = g.intBetween(0, b.length);
        return new Input(b, from, g.intBetween(from, b.length));
    }

    private static boolean plain(byte x) {
        int c = x & 0xFF;
        return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
    }

    @Test
    void lineEnd_isTheFirstLfOrCr_andLiteralPlainEnd_neverPassesASpecialByte() {
        PropertyRunner.forAll(SwarTest::draw).tries(5000)
                .edgeCases(List.of(new Input(new byte[0], 0, 0), new Input("abcdefgh\n".getBytes(), 0, 9),
                        new Input("abcdefg\r".getBytes(), 0, 8), new Input("\u0001bcdefghijklmnop".getBytes(), 1, 16)))
                .describedBy(in -> Arrays.toString(in.bytes()) + " [" + in.from() + ", " + in.to() + ")")
                .check(in -> {
                    byte[] b = in.bytes();
                    int expected = in.from();
                    while (expected < in.to() && b[expected] != '\n' && b[expected] != '\r') {
                        expected++;
                    }
                    assertThat(Swar.lineEnd(b, in.from(), in.to())).isEqualTo(expected);
                    int plainEnd = Swar.literalPlainEnd(b, in.from(), in.to());
                    assertThat(plainEnd).isBetween(in.from(), in.to());
                    for (int k = in.from(); k < plainEnd; k++) {
                        assertThat(plain(b[k])).as("byte %d (0x%02X) passed", k, b[k]).isTrue();
                    }
                    // it stops only at a word holding a special byte, or within the last 7 bytes
                    if (plainEnd + 8 <= in.to()) {
                        boolean special = false;
                        for (int k = plainEnd; k < plainEnd + 8; k++) {
                            special |= !plain(b[k]);
                        }
                        assertThat(special).as("stopped at %d before a plain word", plainEnd).isTrue();
                    }
                });
    }
}
