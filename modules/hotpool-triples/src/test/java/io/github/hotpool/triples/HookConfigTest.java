package io.github.hotpool.triples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hooks from a decoded JSON tree (maps, lists, strings, numbers): ids, terms and every refusal. */
class HookConfigTest {

    private static final String LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>";
    private static final String P = "<http://ex/p>";

    /** A hook object from alternating field names and values, in order, nulls allowed. */
    private static Map<String, Object> hook(Object... fieldsAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            m.put((String) fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return m;
    }

    @Test
    void fromList_buildsHooksWithTermIdsInOrder() {
        List<Hook> hooks = HookConfig.fromList(List.of(
            hook("name", "church-labelled", "op", "ASK_SPO", "predicate", LABEL,
                "subject", "<https://schema.org/Church>", "object", "\"Church\""),
            hook("name", "two-labels", "op", "COUNT_SP_GE", "predicate", LABEL, "subject", "_:b", "k", 2L)));
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
    void nullOrNonStringFields_areRejectedNamingTheField() {
        assertBad(List.of(hook("name", "a", "op", "ASK_OP", "predicate", P, "object", null)),
            "hook #1 'a': field 'object' must not be null");
        assertBad(List.of(hook("name", "a", "op", "ASK_OP", "predicate", 7L, "object", "<http://ex/o>")),
            "hook #1 'a': field 'predicate' must be a string, got 7");
        assertBad(List.of(hook("name", List.of("a"), "op", "ASK_OP")), "hook #1: field 'name' must be a string");
    }

    @Test
    void everyIntegralNumberType_isAcceptedForK() {
        for (Object k : new Object[] {3L, 3, (short) 3, (byte) 3, BigInteger.valueOf(3), new BigDecimal("3"),
                new BigDecimal("3.000")}) {
            List<Hook> hooks = HookConfig.fromList(List.of(hook("name", "c", "op", "COUNT_OP_EQ", "predicate", P,
                "object", "\"1\"", "k", k)));
            assertThat(hooks.get(0).k()).as(k.getClass().getSimpleName()).isEqualTo(3);
        }
    }

    @Test
    void kUpTo2pow64minus1_isAcceptedAsUnsigned() {
        for (Object k : new Object[] {new BigInteger("18446744073709551615"), new BigDecimal("18446744073709551615")}) {
            Hook h = HookConfig.fromList(List.of(hook("name", "a", "op", "COUNT_SP_LE", "predicate", P,
                "subject", "<http://ex/s>", "k", k))).get(0);
            assertThat(h.k()).isEqualTo(-1L);
        }
    }

    @Test
    void badHooks_areRejectedNamingTheHookAndTheField() {
        assertBad(List.of(hook("op", "ASK_SP", "predicate", P)), "hook #1: field 'name' is required");
        assertBad(List.of(hook("name", "a", "op", "ASK", "predicate", P)), "hook #1 'a': field 'op' is 'ASK', not one of");
        assertBad(List.of(hook("name", "a", "op", "ASK_SP", "predicate", P)),
            "hook #1 'a': field 'subject' is required by ASK_SP");
        assertBad(List.of(hook("name", "a", "op", "ASK_OP", "predicate", P, "object", "<http://ex/o>",
            "subject", "<http://ex/s>")), "hook #1 'a': field 'subject' is not used by ASK_OP");
        assertBad(List.of(hook("name", "a", "op", "ASK_SP", "predicate", "http://ex/p", "subject", "<http://ex/s>")),
            "hook #1 'a': field 'predicate' is 'http://ex/p', expected an IRI like <http://example/p>");
        assertBad(List.of(hook("name", "a", "op", "ASK_SP", "predicate", P, "subject", "\"lit\"")),
            "field 'subject' is '\"lit\"', expected an IRI or blank node");
        assertBad(List.of(hook("name", "a", "op", "ASK_OP", "predicate", P, "object", "<rel>")),
            "field 'object' is '<rel>', not an N-Triples term: column 1: relative IRI");
        assertBad(List.of(hook("name", "a", "op", "COUNT_SP_EQ", "predicate", P, "subject", "<http://ex/s>", "k", -1L)),
            "field 'k' is -1, outside [0, 2^64-1]");
        assertBad(List.of(hook("name", "a", "op", "COUNT_SP_EQ", "predicate", P, "subject", "<http://ex/s>",
            "k", new BigDecimal("1.5"))), "field 'k' is 1.5, expected an integer");
        assertBad(List.of(hook("name", "a", "op", "COUNT_SP_EQ", "predicate", P, "subject", "<http://ex/s>",
            "k", Double.POSITIVE_INFINITY)), "field 'k' is Infinity, expected an integer");
        assertBad(List.of(hook("name", "a", "op", "ASK_SP", "predicate", P, "subject", "<http://ex/s>", "colour", 1L)),
            "hook #1: unknown field 'colour'");
        Map<String, Object> ok = hook("name", "a", "op", "ASK_SP", "predicate", P, "subject", "<http://ex/s>");
        assertBad(List.of(ok, ok), "hook #2 'a': name used twice");
    }

    @Test
    void aHookThatIsNotAnObject_isRejectedNamingItsPosition() {
        List<Object> hooks = new ArrayList<>();
        hooks.add(hook("name", "a", "op", "ASK_SP", "predicate", P, "subject", "<http://ex/s>"));
        hooks.add("ASK_SP");
        assertThatThrownBy(() -> HookConfig.fromList(hooks)).isInstanceOf(HookConfigException.class)
            .hasMessage("hook #2: expected an object");
        Map<Object, Object> numericKey = new HashMap<>();
        numericKey.put(1, "x");
        assertThatThrownBy(() -> HookConfig.fromList(List.of(numericKey))).isInstanceOf(HookConfigException.class)
            .hasMessageContaining("hook #1: unknown field '1'");
    }

    private static void assertBad(List<?> hooks, String message) {
        assertThatThrownBy(() -> HookConfig.fromList(hooks)).isInstanceOf(HookConfigException.class)
            .hasMessageContaining(message);
    }

    @Test
    @Timeout(10)
    void kWithAHugeExponent_isRefusedWithoutExpandingIt() {
        // 1e30000000 used to be expanded to a 30-million-digit BigInteger: about a minute of CPU
        // and a 30 MB error message
        assertThatThrownBy(() -> HookConfig.fromList(List.of(hook("name", "a", "op", "COUNT_SP_GE", "predicate", P,
            "subject", "<http://ex/s>", "k", new BigDecimal("1e30000000")))))
            .isInstanceOf(HookConfigException.class)
            .hasMessage("hook #1 'a': field 'k' is 1E+30000000, outside [0, 2^64-1]");
    }

    @Test
    void kJustAboveTheRange_namesTheValueAndTheRange() {
        assertThatThrownBy(() -> HookConfig.fromList(List.of(hook("name", "a", "op", "COUNT_SP_GE", "predicate", P,
            "subject", "<http://ex/s>", "k", new BigInteger("18446744073709551616")))))
            .isInstanceOf(HookConfigException.class)
            .hasMessage("hook #1 'a': field 'k' is 18446744073709551616, outside [0, 2^64-1]");
    }
}
