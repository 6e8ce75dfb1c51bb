package io.github.hotpool.vertx;

import io.github.hotpool.core.Affinity;
import io.github.hotpool.core.NumaTopology;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code spreadOverNumaNodes}: the event loop is pinned to its node's CPUs before its pool's slab
 * is made, where this JDK can pin (Java 22+ on Linux, core from the multi-release jar); elsewhere
 * the pool says why and works unpinned. Either way the application goes on.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpreadOverNumaNodesTest {

    /** The pool says what became of its event loop: pinned (INFO) or not and why (WARNING); checked, not printed. */
    @org.junit.jupiter.api.extension.RegisterExtension
    static final io.github.hotpool.core.testing.LogCapture LOG = new io.github.hotpool.core.testing.LogCapture()
        .always("io.github.hotpool.vertx", "^spreadOverNumaNodes: event loop 'vert\\.x-eventloop-thread-\\d+' (pinned|not pinned) .*");

    @Test
    void eventLoopIsPinnedToItsNodesCpus_whereItCanBe_andThePoolWorksEitherWay(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = OnContext.call(ctx, () -> ContextPools.install(ctx, new HotpoolOptions().setSoaBuffers(4)
            .setSpreadOverNumaNodes(true)));
        Affinity.Outcome o = p.affinity();
        assertThat(o).isNotNull();
        int[] allowed = OnContext.call(ctx, () -> Affinity.allowedCpus(Path.of("/proc")));
        NumaTopology t = NumaTopology.system();
        if (Affinity.canPin() && t.isKnown()) {
            assertThat(o.pinned()).as("%s", o).isTrue();
            int node = t.nodeOfCpu(o.cpus()[0]);
            assertThat(o.cpus()).isEqualTo(t.cpusOf(node));
            assertThat(allowed).as("the event loop's Cpus_allowed_list").isEqualTo(t.cpusOf(node));
            assertThat(p.numaNode()).as("the owner ran on its node when it zeroed the slab").isEqualTo(node);
        } else {
            assertThat(o.pinned()).isFalse();
            assertThat(o.detail()).contains("goes on unpinned");
        }
        // the pool works whatever happened
        OnContext.call(ctx, () -> {
            p.release(p.acquire(1));
            return null;
        });
        assertThat(p.pool().releasedCount()).isEqualTo(1);
    }

    @Test
    void optionOff_touchesNoThread(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = OnContext.call(ctx, () -> ContextPools.install(ctx, new HotpoolOptions().setSoaBuffers(2)));
        assertThat(p.affinity()).isNull();
    }
}
