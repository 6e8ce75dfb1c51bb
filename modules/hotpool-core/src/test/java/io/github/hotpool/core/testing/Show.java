package io.github.hotpool.core.testing;

/**
 * Readable one-line forms of generated inputs for {@link PropertyRunner#describedBy}: a failure
 * message should show every byte that matters, line breaks included, on a line one can copy.
 * Shared with other modules' tests through hotpool-core's test-jar.
 */
public final class Show {

    private Show() {
    }

    /** @return the text in double quotes, with \n, \r, \t, \\, \" and other control characters escaped */
    public static String text(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                default -> {
                    boolean loneSurrogate = cp <= 0xFFFF && Character.isSurrogate((char) cp);
                    if (Character.isISOControl(cp) || !Character.isDefined(cp) || loneSurrogate) {
                        sb.append(String.format("\\u%04x", cp));
                    } else {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        });
        return sb.append('"').toString();
    }

    /** @return the bytes' length, then printable ASCII as itself and every other byte as \xNN, in double quotes */
    public static String bytes(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length + 16).append(b.length).append(" bytes \"");
        for (byte x : b) {
            int v = x & 0xFF;
            if (v == '\\' || v == '"') {
                sb.append('\\').append((char) v);
            } else if (v >= 0x20 && v < 0x7F) {
                sb.append((char) v);
            } else {
                sb.append(String.format("\\x%02x", v));
            }
        }
        return sb.append('"').toString();
    }

    /** @return the bytes' length, then every byte as two hex digits, for binary frames */
    public static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2 + 16).append(b.length).append(" bytes 0x");
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return sb.toString();
    }
}
