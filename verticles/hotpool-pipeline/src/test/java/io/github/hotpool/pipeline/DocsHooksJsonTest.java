package io.github.hotpool.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.testing.DocSnippets;
import io.github.hotpool.triples.Hook;
import io.github.hotpool.triples.HookOp;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The hook configuration example of docs/hooks.md is read by the one hooks decoder, as a run reads it. */
@Timeout(30)
class DocsHooksJsonTest {

    @Test
    void theDocsHookExample_decodesAndValidates() throws Exception {
        List<Hook> hooks = GuardHooks.parse(GuardHooks.decode(DocSnippets.block("docs/hooks.md", "hooks-json")));
        assertThat(hooks).extracting(Hook::name).containsExactly("church-labelled", "two-labels");
        assertThat(hooks).extracting(Hook::op).containsExactly(HookOp.ASK_SPO, HookOp.COUNT_SP_GE);
    }
}
