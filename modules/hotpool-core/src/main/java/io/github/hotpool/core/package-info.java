/**
 * Hotpool's core, with no dependencies: the per-thread {@link io.github.hotpool.core.BufferPool}
 * of aligned SoA buffers and receipts, and the rings that sit beside it, {@link
 * io.github.hotpool.core.DeltaRing} and {@link io.github.hotpool.core.AssertionRing}. The pool's
 * memory model (one CAS'd lease word per slot, an MPSC return ring) is written beside its fields
 * in {@code SlotTable}; this page is the rings'.
 *
 * <p>A pool's SoA capacity is fixed unless its {@link io.github.hotpool.core.CapacityPolicy} says
 * otherwise: an adaptive pool grows and shrinks in whole aligned segments, only in {@link
 * io.github.hotpool.core.BufferPool#maintain(long)}, {@code grow()} and {@code shrink()} on the
 * owner. Rings stay fixed: a ring's row index is its sequence modulo the capacity, so a new
 * capacity would re-map rows that cursors and spans in flight still name (see docs/pool.md).
 * {@link io.github.hotpool.core.NumaTopology} reads the machine's NUMA nodes for placement reports.
 *
 * <h2>Rings</h2>
 *
 * <p>A ring is {@code C} rows ({@code C} a power of two) in one 64-byte-aligned off-heap slab,
 * numbered by {@code long} sequences that never wrap (2^63 rows: centuries at a billion rows a
 * second). Row {@code seq} lives at index {@code seq & (C - 1)}; its lap is
 * {@code seq >>> log2(C)}. One producer (the owner thread) claims and publishes rows; a fixed set
 * of stages, declared with the ring, each keep a cursor: the first sequence the stage has not
 * passed. All bounds are exclusive.
 *
 * <pre>
 *   sequences grow     gating                                         published        claimed
 *   to the right           |                                                |               |
 *   ... free (passed by    |  emit holds  |  load holds  | transform holds  | producer      |  free: the next
 *       every stage)       |              |              |                  | writes        |  claims reuse them
 *                          ^              ^              ^                  ^               ^
 *                     cursor(emit)   cursor(load)  cursor(transform)   published.value   producer.claimed
 *
 *   the same C = 8 rows as the slab holds them (index = seq mod 8), at claimed = 21, gating = 14:
 *
 *        index:   0     1     2     3     4     5     6     7
 *              +-----+-----+-----+-----+-----+-----+-----+-----+
 *        seq:  | 16  | 17  | 18  | 19  | 20  | 13  | 14  | 15  |
 *              +-----+-----+-----+-----+-----+-----+-----+-----+
 *                ^ transform             ^ producer  ^ gating: 14 and 15 wait for emit;
 *                  reads 16..              writes 20   21 = 13 + 8 reuses index 5, which
 *                                                      emit passed: it fits
 * </pre>
 *
 * <p>Stages form a graph fixed at construction: a stage runs after the producer or after stages
 * declared before it, and may read a row only when all of those have passed it. A chain is the
 * pipeline's shape; fan-out and fan-in are allowed. The producer may reuse a row only when every
 * <em>terminal</em> stage (one no stage runs after) has passed it: the gating bound is the
 * minimum of their cursors.
 *
 * <pre>
 *   chain:    producer ==published== transform ==cursor== load ==cursor== reflex ==cursor== emit
 *                ^                                                                        |
 *                +------------------------ gating = cursor(emit) -------------------------+
 *
 *   fan-out, fan-in:   producer ==+== parse ==+== emit
 *                         ^       +== audit ==+    |      gating = cursor(emit)
 *                         +------------------------+
 *
 *   two terminals:     producer ==+== parse ==== emit --+
 *                         ^       +== audit ------------+  gating = min(cursor(emit), cursor(audit))
 *                         +-----------------------------+
 *
 *   (read left to right: each stage reads behind the cursors on its left)
 * </pre>
 *
 * <h2>Memory model</h2>
 *
 * <p>Each mutable word has one writer, except the wake flag and a row's status word, which are
 * changed by compare-and-set. Accessors name their mode, JCTools style: {@code lp}/{@code la}/
 * {@code lv} plain, acquire and volatile loads, {@code so} ordered (release, "lazySet") and
 * {@code sv} volatile stores, {@code cas}. Every cursor, counter, flag and status word is
 * accessed through a {@code VarHandle} in the mode named; row bytes are plain {@code ByteBuffer}
 * accesses, all in {@code RingSlab}. There is no {@code sun.misc.Unsafe}.
 *
 * <table>
 *   <caption>Who writes what, and how</caption>
 *   <tr><th>word</th><th>writer</th><th>write</th><th>readers</th></tr>
 *   <tr><td>row bytes (slab)</td><td>the row's holder</td><td>plain</td><td>later holders, ordered by the cursors</td></tr>
 *   <tr><td>{@code producer.claimed}</td><td>owner</td><td>ordered</td><td>owner plain; stats, checks acquire</td></tr>
 *   <tr><td>{@code producer.gateCache}, {@code armedLocal}</td><td>owner</td><td>plain</td><td>owner</td></tr>
 *   <tr><td>{@code published}</td><td>owner</td><td>ordered</td><td>first stages acquire</td></tr>
 *   <tr><td>{@code cursor(k)}</td><td>stage k's thread</td><td>ordered; volatile if k is terminal</td><td>later stages acquire; the owner volatile</td></tr>
 *   <tr><td>row status</td><td>holders; the owner at claim</td><td>CAS from 0; plain 0 at claim</td><td>acquire</td></tr>
 *   <tr><td>{@code signal.wakeAt}</td><td>owner</td><td>ordered, before arming</td><td>terminal stages acquire, after seeing armed</td></tr>
 *   <tr><td>{@code signal.armed}</td><td>owner (1), owner or terminal stage (1 to 0)</td><td>volatile store; CAS</td><td>terminal stages volatile</td></tr>
 *   <tr><td>counters</td><td>owner; any holder for {@code failedRows}, {@code fired}</td><td>ordered; atomic add</td><td>stats acquire</td></tr>
 *   <tr><td>{@code layout} (adaptive: the current slab, mask and boundary)</td><td>owner, at a resize</td><td>volatile, after building the layout and before claiming at its boundary</td><td>everyone volatile, after acquiring a bound that covers the row</td></tr>
 *   <tr><td>{@code layout.previous}</td><td>owner: set before publishing the layout; cleared once</td><td>final-like; volatile store of null</td><td>holders of a row below the boundary, volatile</td></tr>
 *   <tr><td>{@code producer.layout}, the policy window</td><td>owner</td><td>plain</td><td>owner</td></tr>
 *   <tr><td>{@code grows}, {@code shrinks}, {@code bytesReserved}</td><td>owner</td><td>volatile (only at a resize or a release)</td><td>stats volatile</td></tr>
 * </table>
 *
 * <ol>
 *   <li><b>Publish.</b> The owner writes a row with plain stores, then {@code publish(upTo)} is a
 *   release store of {@code published}; a first stage's {@code available} is an acquire load of
 *   it. So every write to the rows before {@code upTo} happens-before the stage's reads of them.
 *   <li><b>Stage to stage.</b> A stage writes its rows (plain, and the status word by CAS), then
 *   {@code advance} release-stores its cursor; the stages after it acquire-load that cursor in
 *   {@code available}. By transitivity everything the producer and every earlier stage wrote to
 *   a row is visible to each later stage.
 *   <li><b>Reuse.</b> Before claiming, the owner loads the terminal cursors (volatile, which
 *   includes acquire) and reuses only rows below their minimum. Every stage is a terminal stage
 *   or runs before one, so every stage's reads and writes of a row happen-before the owner zeroes
 *   and rewrites it: no row is overwritten while a stage still reads it. The owner caches the
 *   bound it read ({@code gateCache}) and loads the cursors again only when a claim would pass it
 *   (once a lap when the stages keep up); reuse below the cached bound rests on the load that
 *   produced it. A row's status word is reset by the owner at claim with a plain store: by the
 *   same argument no holder can be writing it then.
 *   <li><b>Failures.</b> A holder sets the status word by CAS from 0, so two sibling stages that
 *   hold a row at once (fan-out) cannot both win; the first failure keeps its stage and reason.
 *   Later stages read it after acquiring their upstream cursor, which orders the failing stage's
 *   CAS before their read.
 *   <li><b>Wake-up: arm, re-check, wait.</b> When {@code tryClaimOrArm} finds no room, the owner
 *   release-stores the bound it needs ({@code wakeAt}), volatile-stores {@code armed = 1}, and
 *   claims again, which volatile-loads every terminal cursor. A terminal stage's {@code advance}
 *   volatile-stores its cursor, then volatile-loads {@code armed}; if it is set and the stage's new
 *   cursor reaches {@code wakeAt}, the stage CASes {@code armed} from 1 to 0 and the winner runs
 *   {@code onRoom}. Volatile accesses have a single total order consistent with each thread's
 *   program order (the store-load pairs are Dekker's), so for the terminal stage T whose advance
 *   brings the gating bound to {@code wakeAt}: either the owner's re-check loads T's new cursor
 *   (then every other terminal cursor it loads is at least {@code wakeAt} too, by the same order,
 *   or that stage fires), so the re-check finds room and claims; or T's load of {@code armed}
 *   comes after the owner's store, sees 1 and a {@code wakeAt} no larger than its cursor, and T
 *   fires. A wake-up is never lost. It may be spurious: a terminal stage that passes
 *   {@code wakeAt} while another still lags fires early (the owner finds no room and arms again),
 *   and a fire may race with a re-check that found room (the owner's own CAS then fails and the
 *   signal arrives anyway). The owner takes back an armed signal when a claim succeeds, or with
 *   {@code disarm()}. The signal's {@link java.lang.Runnable} runs on the stage's thread and must
 *   only hand work to the owner (unpark it, post a pre-allocated task to its event loop): the
 *   producer's code never runs on a stage's thread.
 *   <li><b>Adaptive capacity: a resize from a boundary.</b> A grow or shrink runs on the owner,
 *   never inside a claim. It builds a new {@code RingLayout} (slab zeroed by the owner, mask,
 *   status words, boundary {@code B = claimed}, and the old layout as {@code previous} unless
 *   every terminal cursor is at {@code B} already) and volatile-stores it as {@code layout},
 *   before it claims any sequence at or past {@code B}. So for a row {@code s >= B} the store
 *   happens-before the publish (release) that makes {@code s} visible, which happens-before a
 *   stage's acquire of the bound covering {@code s}: that stage's later load of {@code layout}
 *   sees this layout or a newer one. A row {@code s < B} that a holder still holds is found as
 *   {@code layout.previous}: the owner clears {@code previous} (volatile store) only after its
 *   volatile loads of every terminal cursor saw them at or past {@code B}, and every holder's
 *   cursor is at or past the gating bound, so no holder can still hold a row below {@code B} when
 *   it goes; and no further resize starts before it went, so a holder needs at most one step back
 *   (one compare against {@code B}). Claims in the new layout reuse row {@code s - capacity} only
 *   if it is at or past {@code B} and every terminal stage passed it: the gate is {@code max(gating,
 *   B)}, and the reuse argument above holds within each slab. A shrink needs {@code gating ==
 *   published == claimed}: no row is held, the old slab is dropped at once. A dropped slab is
 *   freed by the garbage collector (Java 17 cannot free a direct buffer on demand); a view that
 *   still points into it never reads freed memory. Sequences are never re-mapped, so spans, row
 *   views and {@code isCurrent} are unchanged. The tables beside a ring that are indexed by
 *   {@code seq & mask} (span objects, per-row state) must use a size no two held sequences share:
 *   twice the maximum capacity, since at most the old slab's and the new one's rows are held.
 *   <li><b>Counters.</b> Single-writer counters are written with ordered stores so that other
 *   threads read whole longs; the two that several threads write ({@code failedRows}, the
 *   signal's {@code fired}) use atomic adds, off the hot path. {@code stats()} reads the stages
 *   last-declared first, then the producer, and again if a claim landed meanwhile, so a snapshot
 *   is a state the ring was in.
 * </ol>
 *
 * <p><b>False sharing.</b> {@code published}, each stage cursor, the producer's fields and the
 * wake signal are separate objects whose value fields sit between two blocks of eight unused
 * longs declared in a superclass and a subclass (HotSpot lays superclass fields first and keeps a
 * class's fields together), so no two words written by different threads share a 64-byte line.
 * Row status words are ints in one array: the owner writes one only when it is non-zero (a row
 * that failed), so the common path does not write the line a stage reads.
 *
 * <p><b>What the rings do not allow.</b> One thread produces (checked: {@link
 * io.github.hotpool.core.WrongThreadException}). One thread at a time acts for a stage; moving
 * a stage to another thread needs a happens-before hand-over (an event-bus message, a queue), like
 * handing a pool buffer over. Nothing here waits for data: a stage learns of new rows from its
 * own doorbell (an event-bus message naming a span) or by polling {@code available}.
 */
package io.github.hotpool.core;
