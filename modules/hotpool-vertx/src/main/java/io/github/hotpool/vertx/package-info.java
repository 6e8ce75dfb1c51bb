/** Placeholder until the module's first classes land. */
package io.github.hotpool.vertx;
