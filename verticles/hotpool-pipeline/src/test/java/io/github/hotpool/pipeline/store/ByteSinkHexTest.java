package io.github.hotpool.pipeline.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.testing.PropertyRunner;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The receipt line's allocation-free hex digits are exactly the JDK's HexFormat (the store's Hex). */
class ByteSinkHexTest {

    record Input(long value, byte[] bytes) {
        @Override
        public String toString() {
            return "value " + value + ", bytes " + HexFormat.of().formatHex(bytes);
        }
    }

    @Test
    void hexAndHexString_writeWhatHexFormatWrites() {
        PropertyRunner.forAll(g -> new Input(g.anyLong(), g.bytes(40)))
            .edgeCases(List.of(new Input(0, new byte[0]), new Input(-1, new byte[] {-1, 0, 15, 16, -128, 127}),
                new Input(Long.MIN_VALUE, new byte[] {1})))
            .check(in -> {
                ByteSink sink = new ByteSink(4);
                sink.hexString(in.value()).hex(in.bytes(), 0, in.bytes().length);
                String written = new String(sink.bytes, 0, sink.length, StandardCharsets.US_ASCII);
                assertThat(written).isEqualTo("\"" + Hex.of(in.value()) + "\"" + Hex.of(in.bytes()));
            });
    }
}
