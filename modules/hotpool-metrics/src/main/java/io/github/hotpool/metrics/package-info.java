/**
 * Micrometer meters for Hotpool's context-local pools ({@link io.github.hotpool.metrics.PoolMeterBinder}), rings
 * ({@link io.github.hotpool.metrics.RingMeterBinder}) and stage pipelines ({@link
 * io.github.hotpool.metrics.StagePipelineMeterBinder}, with hotpool-pipeline on the class path).
 * Every meter reads counters the pool, ring or pipeline keeps anyway, so binding adds nothing to
 * acquire, release or a span's work.
 */
package io.github.hotpool.metrics;
