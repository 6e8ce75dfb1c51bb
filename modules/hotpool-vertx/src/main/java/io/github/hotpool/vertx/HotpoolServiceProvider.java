package io.github.hotpool.vertx;

// internal API, unavoidably: VertxServiceProvider.init, the only hook that runs before a Vertx is built, takes it
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.core.spi.context.storage.ContextLocal;

/**
 * Service provider (listed in {@code META-INF/services}) that registers the context-local slot
 * holding each context's {@link ContextPool}. Vert.x loads it while bootstrapping, which is the
 * only safe moment: a {@code ContextLocal} registered after a Vertx instance was built is not
 * part of that instance's contexts. Stateless; thread-safe.
 */
public final class HotpoolServiceProvider implements VertxServiceProvider {

    static final ContextLocal<ContextPool> POOL = ContextLocal.registerLocal(ContextPool.class);

    @Override
    public void init(VertxBootstrap bootstrap) {
        // registering happens in the static initialiser, which loading this class has run
    }
}
