package io.github.hotpool.triples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HookConfigTest {

    private static final String LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>";

    @Test
    void parse_buildsHooksWithTermIdsInOrder() {
        List<Hook> hooks = HookConfig.parse("{\"hooks\": [\n"
                + "{\"name\": \"church-labelled\", \"op\": \"ASK_SPO\", \"predicate\": \"" + esc(LABEL) + "\","
                + " \"subject\": \"<https://schema.org/Church>\", \"object\": \"\\\"Church\\\"\"},\n"
                + "{\"name\": \"two-labels\", \"op\": \"COUNT_SP_GE\", \"predicate\": \"" + esc(LABEL) + "\","
                + " \"subject\": \"_:b\", \"k\": 2}]}");
        assertThat(hooks).hasSize(2);
        Hook h = hooks.get(0);
        assertThat(h.id()).isEqualTo(1);
        assertThat(h.op()).isEqualTo(HookOp.ASK_SPO);
        assertThat(h.predicate()).isEqualTo(Ref.id(LABEL));
        assertThat(h.subject()).isEqualTo(Ref.id("<https://schema.org/Church>"));
        assertThat(h.object()).isEqualTo(Ref.id("\"Church\""));
        assertThat(h.subjectTerm()).isEqualTo("<https://schema.org/Church>");
        assertThat(hooks.get(1).k()).isEqualTo(2);
        assertThat(hooks.get(1).id()).isEqualTo(2);
    }

    @Test
    void jsonUnicodeEscapes_takeAsciiHexOnly() {
        // the JSON escape for 'a' with ASCII hex digits is accepted; written with full-width digits it is not JSON
        assertThat(HookConfig.parse("[{\"name\":\"\\u0061\",\"op\":\"ASK_OP\",\"predicate\":\"<http://ex/p>\",\"object\":\"<http://ex/o>\"}]")
                .get(0).name()).isEqualTo("a");
        assertThatThrownBy(() -> HookConfig.parse("[{\"name\":\"\\u\uFF10\uFF10\uFF16\uFF11\",\"op\":\"ASK_OP\"}]"))
                .isInstanceOf(HookConfigException.class).hasMessageContaining("bad hex digit");
    }

    @Test
    void bareArrayAndDecodedMaps_areAccepted() {
        assertThat(HookConfig.parse("[{\"name\":\"a\",\"op\":\"ASK_OP\",\"predicate\":\"<http://ex/p>\",\"object\":\"<http://ex/o>\"}]"))
                .hasSize(1);
        List<Hook> fromMaps = HookConfig.fromList(List.of(Map.of("name", "c", "op", "COUNT_OP_EQ",
                "predicate", "<http://ex/p>", "object", "\"1\"", "k", 3L)));
        assertThat(fromMaps.get(0).k()).isEqualTo(3);
    }

    @Test
    void kUpTo2pow64minus1_isAcceptedAsUnsigned() {
        Hook h = HookConfig.parse("[{\"name\":\"a\",\"op\":\"COUNT_SP_LE\",\"predicate\":\"<http://ex/p>\","
                + "\"subject\":\"<http://ex/s>\",\"k\":18446744073709551615}]").get(0);
        assertThat(h.k()).isEqualTo(-1L);
    }

    @Test
    void badHooks_areRejectedNamingTheHookAndTheField() {
        String p = "\"predicate\":\"<http://ex/p>\"";
        assertBad("[{\"op\":\"ASK_SP\"," + p + "}]", "hook #1: field 'name' is required");
        assertBad("[{\"name\":\"a\",\"op\":\"ASK\"," + p + "}]", "hook #1 'a': field 'op' is 'ASK', not one of");
        assertBad("[{\"name\":\"a\",\"op\":\"ASK_SP\"," + p + "}]", "hook #1 'a': field 'subject' is required by ASK_SP");
        assertBad("[{\"name\":\"a\",\"op\":\"ASK_OP\"," + p + ",\"object\":\"<http://ex/o>\",\"subject\":\"<http://ex/s>\"}]",
                "hook #1 'a': field 'subject' is not used by ASK_OP");
        assertBad("[{\"name\":\"a\",\"op\":\"ASK_SP\",\"predicate\":\"http://ex/p\",\"subject\":\"<http://ex/s>\"}]",
                "hook #1 'a': field 'predicate' is 'http://ex/p', expected an IRI like <http://example/p>");
        assertBad("[{\"name\":\"a\",\"op\":\"ASK_SP\"," + p + ",\"subject\":\"\\\"lit\\\"\"}]",
                "field 'subject' is '\"lit\"', expected an IRI or blank node");
        assertBad("[{\"name\":\"a\",\"op\":\"ASK_OP\"," + p + ",\"object\":\"<rel>\"}]",
                "field 'object' is '<rel>', not an N-Triples term: column 1: relative IRI");
        assertBad("[{\"name\":\"a\",\"op\":\"COUNT_SP_EQ\"," + p + ",\"subject\":\"<http://ex/s>\",\"k\":-1}]",
                "field 'k' is -1, outside [0, 2^64-1]");
        assertBad("[{\"name\":\"a\",\"op\":\"COUNT_SP_EQ\"," + p + ",\"subject\":\"<http://ex/s>\",\"k\":1.5}]",
                "field 'k' is 1.5, expected an integer");
        assertBad("[{\"name\":\"a\",\"op\":\"ASK_SP\"," + p + ",\"subject\":\"<http://ex/s>\",\"colour\":1}]",
                "hook #1: unknown field 'colour'");
        String ok = "{\"name\":\"a\",\"op\":\"ASK_SP\"," + p + ",\"subject\":\"<http://ex/s>\"}";
        assertBad("[" + ok + "," + ok + "]", "hook #2 'a': name used twice");
    }

    @Test
    void badJson_isRejectedNamingTheOffset() {
        assertBad("[{\"name\":\"a\",}]", "JSON offset 13: expected a string key");
        assertBad("{\"hooks\":[], \"hooks\":[]}", "duplicate key \"hooks\"");
        assertBad("[1] x", "unexpected text after the JSON value");
        assertBad("{\"other\":[]}", "expected {\"hooks\": [...]} or an array of hooks");
        assertBad("[\"a\\q\"]", "bad escape \\q");
    }

    private static void assertBad(String json, String message) {
        assertThatThrownBy(() -> HookConfig.parse(json)).isInstanceOf(HookConfigException.class).hasMessageContaining(message);
    }

    private static String esc(String s) {
        return s.replace("\"", "\\\"");
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void kWithAHugeExponent_isRefusedWithoutExpandingIt() {
        // 1e30000000 used to be expanded to a 30-million-digit BigInteger: about a minute of CPU
        // and a 30 MB error message
        assertThatThrownBy(() -> HookConfig.parse("[{\"name\":\"a\",\"op\":\"COUNT_SP_GE\",\"predicate\":\"<http://ex/p>\","
                + "\"subject\":\"<http://ex/s>\",\"k\":1e30000000}]"))
                .isInstanceOf(HookConfigException.class)
                .hasMessage("hook #1 'a': field 'k' is 1E+30000000, outside [0, 2^64-1]");
    }

    @Test
    void kJustAboveTheRange_namesTheValueAndTheRange() {
        assertThatThrownBy(() -> HookConfig.parse("[{\"name\":\"a\",\"op\":\"COUNT_SP_GE\",\"predicate\":\"<http://ex/p>\","
                + "\"subject\":\"<http://ex/s>\",\"k\":18446744073709551616}]"))
                .isInstanceOf(HookConfigException.class)
                .hasMessage("hook #1 'a': field 'k' is 18446744073709551616, outside [0, 2^64-1]");
    }
}
