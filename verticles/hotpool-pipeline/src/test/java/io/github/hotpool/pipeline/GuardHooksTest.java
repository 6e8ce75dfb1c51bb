package io.github.hotpool.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hotpool.triples.Hook;
import io.github.hotpool.triples.HookConfigException;
import io.github.hotpool.triples.TermIds;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hook JSON text decoded once by Vert.x's codec, and the tree turned into hooks. */
@Timeout(30)
class GuardHooksTest {

    static final String ONE = "{\"name\":\"a\",\"op\":\"ASK_OP\",\"predicate\":\"<http://ex/p>\",\"object\":\"<http://ex/o>\"}";

    @Test
    void wrappedAndBareArrays_decodeToTheSameHooks() {
        List<Hook> wrapped = GuardHooks.parse(GuardHooks.decode("{\"hooks\": [" + ONE + "]}"));
        List<Hook> bare = GuardHooks.parse(GuardHooks.decode("[" + ONE + "]"));
        assertThat(wrapped).hasSize(1);
        assertThat(wrapped.get(0).name()).isEqualTo("a");
        assertThat(wrapped.get(0).object()).isEqualTo(TermIds.of("<http://ex/o>"));
        assertThat(bare.get(0).object()).isEqualTo(wrapped.get(0).object());
    }

    @Test
    void identity_ignoresLayoutAndKeyOrder_butChangesWithEveryFieldAndTheOrder() {
        String two = "{\"name\":\"b\",\"op\":\"COUNT_OP_GE\",\"predicate\":\"<http://ex/p>\",\"object\":\"<http://ex/o>\",\"k\":2}";
        String base = GuardHooks.identity(GuardHooks.parse(GuardHooks.decode("[" + ONE + "," + two + "]")));
        assertThat(base).hasSize(64).matches("[0-9a-f]+");
        String relaid = "{\"hooks\": [\n {\"object\": \"<http://ex/o>\", \"predicate\": \"<http://ex/p>\", \"op\": \"ASK_OP\", "
            + "\"name\": \"a\"},\n " + two + "\n]}";
        assertThat(GuardHooks.identity(GuardHooks.parse(GuardHooks.decode(relaid)))).isEqualTo(base);
        List<String> changed = List.of(ONE.replace("\"a\"", "\"a2\""), ONE.replace("ASK_OP", "CONSTRUCT8"),
            ONE.replace("<http://ex/p>", "<http://ex/q>"), ONE.replace("<http://ex/o>", "<http://ex/o2>"));
        for (String c : changed) {
            assertThat(GuardHooks.identity(GuardHooks.parse(GuardHooks.decode("[" + c + "," + two + "]")))).as(c)
                .isNotEqualTo(base);
        }
        assertThat(GuardHooks.identity(GuardHooks.parse(GuardHooks.decode("[" + ONE + "," + two.replace("\"k\":2", "\"k\":3") + "]"))))
            .as("k").isNotEqualTo(base);
        assertThat(GuardHooks.identity(GuardHooks.parse(GuardHooks.decode("[" + ONE + "]")))).as("one hook fewer")
            .isNotEqualTo(base);
    }

    @Test
    void jsonEscapes_areDecodedByTheCodec() {
        Hook h = GuardHooks.parse(GuardHooks.decode("[{\"name\":\"\\u0061\",\"op\":\"ASK_OP\",\"predicate\":"
            + "\"<http://ex/p>\",\"object\":\"\\\"quoted \\\\\\\" lit\\\"\"}]")).get(0);
        assertThat(h.name()).isEqualTo("a");
        assertThat(h.objectTerm()).isEqualTo("\"quoted \\\" lit\"");
    }

    @Test
    void badJson_isRejectedOnOneLineNamingWhere() {
        assertThatThrownBy(() -> GuardHooks.decode("[{\"name\":\"a\",}]")).isInstanceOf(HookConfigException.class)
            .hasMessageStartingWith("not JSON: line 1, column ").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> GuardHooks.decode("{\"hooks\": [\n" + ONE + ",\n")).isInstanceOf(HookConfigException.class)
            .hasMessageStartingWith("not JSON: line 3, column ");
        assertThatThrownBy(() -> GuardHooks.decode("{\"other\":[]}")).isInstanceOf(HookConfigException.class)
            .hasMessage("expected {\"hooks\": [...]} or an array of hooks");
        assertThatThrownBy(() -> GuardHooks.decode("\"hooks\"")).isInstanceOf(HookConfigException.class)
            .hasMessage("expected {\"hooks\": [...]} or an array of hooks");
    }

    @Test
    void aKeyTwiceInOneObject_isRefusedNamingTheKeyAndWhere() {
        String twice = "{\"hooks\": [\n{\"name\":\"a\",\"op\":\"ASK_OP\",\"predicate\":\"<http://ex/p>\","
            + "\"object\":\"<http://ex/o>\",\"predicate\":\"<http://ex/q>\"}]}";
        assertThatThrownBy(() -> GuardHooks.decode(twice)).isInstanceOf(HookConfigException.class)
            .hasMessageStartingWith("not JSON: line 2, column ")
            .hasMessageContaining("Duplicate field 'predicate'")
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> GuardHooks.decode("{\"hooks\": [], \"hooks\": []}"))
            .hasMessageContaining("Duplicate field 'hooks'");
        // the same key in two different objects is two hooks, not a duplicate
        assertThat(GuardHooks.parse(GuardHooks.decode("[" + ONE + "," + ONE.replace("\"a\"", "\"b\"") + "]"))).hasSize(2);
    }

    @Test
    void numbersAsTheCodecDecodesThem_reachTheKRules() {
        String head = "[{\"name\":\"a\",\"op\":\"COUNT_SP_GE\",\"predicate\":\"<http://ex/p>\",\"subject\":\"<http://ex/s>\",\"k\":";
        assertThat(GuardHooks.parse(GuardHooks.decode(head + "18446744073709551615}]")).get(0).k()).isEqualTo(-1L);
        assertThat(GuardHooks.parse(GuardHooks.decode(head + "2.0}]")).get(0).k()).isEqualTo(2L);
        assertThatThrownBy(() -> GuardHooks.parse(GuardHooks.decode(head + "18446744073709551616}]")))
            .hasMessage("hook #1 'a': field 'k' is 18446744073709551616, outside [0, 2^64-1]");
        assertThatThrownBy(() -> GuardHooks.parse(GuardHooks.decode(head + "1.5}]")))
            .hasMessageContaining("field 'k' is 1.5, expected an integer");
        assertThatThrownBy(() -> GuardHooks.parse(GuardHooks.decode(head + "1e30000000}]")))
            .isInstanceOf(HookConfigException.class).hasMessageContaining("field 'k' is ");
    }

    @Test
    void treesBuiltInCode_withJsonObjectsInside_areRead() {
        JsonArray hooks = new JsonArray().add(new JsonObject().put("name", "c").put("op", "COUNT_OP_EQ")
            .put("predicate", "<http://ex/p>").put("object", "\"1\"").put("k", 3));
        assertThat(GuardHooks.parse(hooks).get(0).k()).isEqualTo(3);
        assertThat(GuardHooks.parse(new PipelineOptions().setHooks(hooks).toJson().getJsonArray("hooks")))
            .hasSize(1);
    }
}
