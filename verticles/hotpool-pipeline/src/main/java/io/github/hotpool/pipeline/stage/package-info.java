/**
 * The stage framework of pipeline v2: a {@link io.github.hotpool.pipeline.stage.RowSource} feeding a
 * Δ-ring, and an ordered chain of {@link io.github.hotpool.pipeline.stage.SpanStage} verticles (or
 * per-row {@link io.github.hotpool.pipeline.stage.RowStage}s) that its rows travel as spans,
 * declared and deployed as one {@link io.github.hotpool.pipeline.stage.StagePipeline}. See
 * docs/pipeline.md, section "Stage framework (v2)".
 */
package io.github.hotpool.pipeline.stage;
