package io.github.hotpool.pipeline.store;

import java.util.HexFormat;

/** The store's one hex form (lower case), through the JDK's {@link HexFormat}. Stateless. */
final class Hex {

    private static final HexFormat HEX = HexFormat.of();

    private Hex() {
    }

    static String of(byte[] b) {
        return HEX.formatHex(b);
    }

    static String of(long v) {
        return HEX.toHexDigits(v);
    }

    static byte[] parse(String s) {
        return HEX.parseHex(s);
    }
}
