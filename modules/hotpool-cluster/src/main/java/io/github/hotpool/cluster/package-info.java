/**
 * The RDF guard across machines on Vert.x's clustered event bus (Hazelcast): {@link
 * io.github.hotpool.cluster.ClusterNode} joins, {@link io.github.hotpool.cluster.GuardNode} hosts
 * stages, {@link io.github.hotpool.cluster.ClusterRun} reads an input and places its batches.
 *
 * <pre>
 *  source ──lines frame──► transform ─► load ─► reflex ──handle wire form──► emit
 *    ▲  keeps each batch until durable          (each hop: request, reply = "mine now")
 *    └──────────────── durable (seq, triples) after a flush lands ◄──────────┘
 * </pre>
 *
 * <p>Threading: each node's stages run on one event-loop context (its {@code StageHost}
 * verticle); a run's source state lives on one context, its reader on a thread of its own.
 * docs/cluster.md has the protocol, failure handling and configuration.
 */
package io.github.hotpool.cluster;
