/**
 * Micrometer meters for Hotpool's context-local pools ({@link io.github.hotpool.metrics.PoolMeterBinder}) and rings ({@link io.github.hotpool.metrics.RingMeterBinder}).
 * Every meter reads counters the pool keeps anyway, so binding adds nothing to acquire or release.
 */
package io.github.hotpool.metrics;
