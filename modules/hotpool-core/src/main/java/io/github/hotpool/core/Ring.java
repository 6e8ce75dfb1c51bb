package io.github.hotpool.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed, power-of-two ring of rows in one 64-byte-aligned off-heap slab, written by one
 * producer (the owner thread) and read by a fixed set of consumer stages, each with its own
 * sequence cursor: the sequencing shared by {@link DeltaRing} (rows of 8 triples) and {@link
 * AssertionRing} (rows of one receipt). See the package documentation for the diagrams and the
 * memory model.
 *
 * <p><b>Sequences.</b> Rows are numbered by {@code long} sequences from 0 that never wrap; row
 * {@code seq} lives at index {@code seq & (capacity - 1)} and its lap is {@code seq >>> log2(capacity)}.
 * Every bound in this API is exclusive: {@code publish(upTo)} publishes the rows before
 * {@code upTo}, a cursor is the first sequence its stage has not passed.
 *
 * <p><b>Producer</b> (owner thread only, else {@link WrongThreadException}): {@link #tryClaim}
 * reserves rows, zeroed, or answers {@link #NO_ROOM}; the producer writes them, then {@link
 * #publish}es. <b>Stages</b> (each on one thread at a time): {@link #available} says how far a
 * stage may read (the minimum of the cursors of the stages it runs after, or the published bound);
 * {@link #advance} passes rows on. A row is claimed again only after every terminal stage (one
 * no other stage runs after) has passed it: the <em>gating</em> bound.
 *
 * <p><b>Full ring.</b> {@link #tryClaimOrArm} answers {@link #NO_ROOM} only after arming the
 * ring's single wake-up and re-checking; the {@code onRoom} {@link Runnable} given at construction
 * then runs, once, on the thread of the terminal stage whose {@link #advance} frees the room. It
 * must only hand the work back to the owner (unpark it, post a task to its event loop): the
 * producer retries there, and must tolerate a wake-up that finds the room taken already or that
 * arrives after it found room by itself.
 *
 * <p><b>Adaptive capacity</b> (opt-in, {@link RingOptions#getCapacityPolicy()}): the rows live in
 * {@link RingLayout}s, each one slab and mask for the sequences from its boundary on. A grow or
 * shrink, on the owner thread only ({@link #maintain}, {@link #grow}, {@link #shrink}, never inside
 * a claim), allocates a new slab and installs it from the boundary {@code B = claimed()}: rows
 * below {@code B} stay in the old slab at their old index, rows from {@code B} go to the new one,
 * so no sequence that a cursor, a row view or a span in flight names is ever re-mapped. The old
 * slab is dropped once the slowest terminal cursor has passed {@code B}; until then no further
 * resize starts, so at most two layouts exist. A shrink happens only when every cursor has caught
 * up with {@code claimed}. A claim in a layout reuses its row {@code s - capacity} only if that
 * sequence is at or past {@code B} and every terminal stage passed it: the gate is {@code max(gating, B)}.
 * Row lookup is one volatile load of the current layout and one compare against its boundary.
 *
 * <p>Claim, publish, available, advance, fail, the row views and the wake-up allocate nothing.
 * Only construction, {@link #stats()} and a grow or shrink (the new slab) allocate.
 */
public abstract sealed class Ring permits DeltaRing, AssertionRing {

    /** What {@link #tryClaim} answers when the ring has no room; sequences are never negative. */
    public static final long NO_ROOM = -1L;
    /** The holder id of the producer, where a stage index is expected ({@link #fail}, row views). */
    public static final int PRODUCER = -1;
    /** What {@link #failedBy} answers for a row that is not failed. */
    public static final int NOT_FAILED = -2;
    /** Largest failure reason code a row can carry. */
    public static final int MAX_FAIL_REASON = 0xFFFF;

    /*
     * Row status word, one int per row in `status` (on the heap, beside the slab):
     *   bit 0       FAILED
     *   bits 8-15   the holder that failed it first, + 1 (0 = the producer, k + 1 = stage k)
     *   bits 16-31  the reason code that holder gave
     * 0 means "not failed". The producer resets it when it claims the row; a holder sets it once,
     * by CAS from 0 (two sibling stages may hold a row at once; the first failure wins). Stages
     * read it after acquiring their upstream cursor, which orders every earlier stage's write.
     */
    static final int FAILED = 1;
    static final int HOLDER_SHIFT = 8;
    static final int REASON_SHIFT = 16;

    private static final VarHandle STATUS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final AtomicLong EPOCHS = new AtomicLong();

    // ---- read-only after construction; any thread
    private final String name;
    private final RingOptions options;
    private final Thread owner;
    private final long epoch;
    private final boolean adaptive;
    private final int minCapacity;
    private final int maxCapacity;
    private final int growthFactor;
    private final long idleNanos;
    private final String[] stageNames;
    private final Map<String, Integer> stageIndex;
    private final int[][] after;
    /** Per stage, the cursors it reads behind: those of the stages it runs after, or {@code published}. */
    private final Cursor[][] upstream;
    private final boolean[] terminal;
    private final Cursor[] gatingCursors;

    // ---- mutable, each on its own lines (see Cursor, ProducerState, WakeSignal)
    /** First unpublished sequence. Owner: plain load, ordered store; stages: acquire load. */
    private final Cursor published = new Cursor();
    /** Per stage: first sequence not passed. Its stage: plain load, ordered store (volatile store if terminal); others: acquire or volatile load. */
    private final Cursor[] cursors;
    /** claimed, the cached gate, counters: owner writes only. */
    private final ProducerState producer = new ProducerState();
    /** armed / wakeAt / fired and the onRoom Runnable. */
    private final WakeSignal signal;
    // Row status words, see above, one array per layout (RingLayout.status). Holders: CAS from 0;
    // owner at claim: plain store of 0; readers: acquire load.
    /** Rows failed since construction; incremented by the holder whose CAS failed a row. */
    private final AtomicLong failedRows = new AtomicLong();
    /**
     * The layout of the newest sequences. Owner: volatile store at a resize (after building the
     * layout, before claiming at or past its boundary); everyone else: volatile load, after the
     * acquire load of a bound that covers the row, so the layout of any row held is this one or
     * its {@code previous}.
     */
    private volatile RingLayout layout;
    /**
     * A fixed ring's one layout, null in an adaptive ring: {@link #layoutOf} answers with this
     * final field and a null check, so a fixed ring pays no volatile load and no boundary compare
     * per row access (measured 15-20 % per row in RingBenchmark without it).
     */
    private final RingLayout fixed;
    /** Capacity changes and bytes reserved; owner writes (volatile, at a resize or a release only), any thread reads. */
    private volatile long grows;
    private volatile long shrinks;
    private volatile long bytesReserved;
    // ---- owner only, plain: the adaptive policy's window
    private long lastBusyNanos;
    private boolean policyStarted;
    private long fullAtLastStep;
    private int windowPeak;

    Ring(RingOptions options, Thread owner, Runnable onRoom) {
        this.options = new RingOptions(options).validate();
        if (owner == null) {
            throw new IllegalArgumentException("owner thread must not be null");
        }
        this.name = this.options.getName();
        this.owner = owner;
        int capacity = this.options.getCapacity();
        this.adaptive = this.options.isAdaptive();
        this.minCapacity = capacity;
        this.maxCapacity = this.options.effectiveMaxCapacity();
        this.growthFactor = this.options.getGrowthFactor();
        this.idleNanos = this.options.getIdleMillis() * 1_000_000L;
        this.epoch = EPOCHS.incrementAndGet();
        List<RingStage> stages = this.options.getStages();
        int n = stages.size();
        this.stageNames = new String[n];
        this.stageIndex = new HashMap<>();
        this.after = new int[n][];
        this.cursors = new Cursor[n];
        this.upstream = new Cursor[n][];
        this.terminal = new boolean[n];
        Arrays.fill(terminal, true);
        for (int k = 0; k < n; k++) {
            RingStage s = stages.get(k);
            stageNames[k] = s.name();
            stageIndex.put(s.name(), k);
            cursors[k] = new Cursor();
            int[] deps = new int[s.after().size()];
            for (int d = 0; d < deps.length; d++) {
                deps[d] = stageIndex.get(s.after().get(d)); // validate() made sure it was declared before
                terminal[deps[d]] = false;
            }
            after[k] = deps;
            Cursor[] up = new Cursor[Math.max(1, deps.length)];
            if (deps.length == 0) {
                up[0] = published;
            }
            for (int d = 0; d < deps.length; d++) {
                up[d] = cursors[deps[d]];
            }
            upstream[k] = up;
        }
        List<Cursor> gates = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            if (terminal[k]) {
                gates.add(cursors[k]);
            }
        }
        this.gatingCursors = gates.toArray(new Cursor[0]);
        this.signal = new WakeSignal(onRoom);
        RingLayout first = newLayout(0, capacity, null);
        producer.layout = first;
        this.bytesReserved = first.bytes;
        this.layout = first;
        this.fixed = adaptive ? null : first;
    }

    /** Cold path, owner: a layout of {@code capacity} rows from sequence {@code from}, its slab zeroed by the calling thread. */
    private RingLayout newLayout(long from, int capacity, RingLayout previous) {
        long bytes = slabBytes(capacity);
        return new RingLayout(from, capacity, RingSlab.allocate(bytes, kind() + " '" + name + "' of capacity " + capacity),
            bytes, previous);
    }

    /** @return the layout new claims go to; any thread (volatile load) */
    final RingLayout currentLayout() {
        return layout;
    }

    /** @return bytes of a slab of {@code capacity} rows */
    abstract long slabBytes(int capacity);

    /** Owner, at claim: zeroes the row at {@code index} in the layout's slab. */
    abstract void clearRow(RingLayout layout, int index);

    /**
     * The layout that holds sequence {@code seq}: the current one, or the one before it for a
     * sequence below the current boundary. For a row its caller holds (learned through an acquire
     * load of a cursor or of {@code published}), that is the row's own layout. Allocation-free:
     * one volatile load and one compare (two loads for a row of the previous layout).
     */
    final RingLayout layoutOf(long seq) {
        RingLayout f = fixed;
        if (f != null) {
            return f;
        }
        RingLayout l = layout;
        if (seq < l.from) {
            RingLayout p = l.previous;
            if (p != null) {
                return p;
            }
        }
        return l;
    }

    /** @return "delta ring" or "assertion ring", for messages */
    abstract String kind();

    // ---------------------------------------------------------------- identity

    /** @return the ring name */
    public final String name() {
        return name;
    }

    /** @return a copy of the options this ring was built with */
    public final RingOptions options() {
        return new RingOptions(options);
    }

    /**
     * @return rows in the ring now, a power of two: the capacity of the layout new claims go to
     *     (changes only with adaptive capacity)
     */
    public final int capacity() {
        return layout.capacity;
    }

    /** @return the fewest rows the ring holds: its configured capacity */
    public final int minCapacity() {
        return minCapacity;
    }

    /** @return the most rows the ring may hold (its capacity when fixed) */
    public final int maxCapacity() {
        return maxCapacity;
    }

    /** @return true if the ring was built with an adaptive {@link CapacityPolicy} */
    public final boolean isAdaptive() {
        return adaptive;
    }

    /** @return resizes that grew the ring since construction */
    public final long growCount() {
        return grows;
    }

    /** @return resizes that shrank the ring since construction */
    public final long shrinkCount() {
        return shrinks;
    }

    /**
     * @return off-heap bytes of the slabs the ring holds now: the current one, and the previous
     *     one while a holder may still hold a row of it
     */
    public final long bytesReserved() {
        return bytesReserved;
    }

    /**
     * @return the first sequence of the current layout: 0 until the first resize, then the
     *     {@code claimed()} of the last grow or shrink
     */
    public final long capacityBoundary() {
        return layout.from;
    }

    /** @return true while the slab from before the last resize is still held (some terminal stage is below its boundary) */
    public final boolean hasPreviousLayout() {
        return layout.previous != null;
    }

    /**
     * A number that no other ring in this JVM has: a span that names its ring by epoch (say in an
     * event-bus message) is never taken for a span of a ring built later with the same name.
     *
     * @return this ring's epoch, at least 1
     */
    public final long epoch() {
        return epoch;
    }

    /** @return the producer's thread */
    public final Thread ownerThread() {
        return owner;
    }

    /** @return true when called on the producer's thread */
    public final boolean isOwnerThread() {
        return Thread.currentThread() == owner;
    }

    /** @return the number of stages; stages are numbered 0.. in declaration order */
    public final int stageCount() {
        return stageNames.length;
    }

    /**
     * @param name a stage name
     * @return the stage's index, for the allocation-free calls that take one
     * @throws IllegalArgumentException if the ring has no such stage
     */
    public final int stage(String name) {
        Integer k = stageIndex.get(name);
        if (k == null) {
            throw new IllegalArgumentException(describe() + " has no stage '" + name + "' (stages: "
                + Arrays.toString(stageNames) + ")");
        }
        return k;
    }

    /** @param stage a stage index @return its name */
    public final String stageName(int stage) {
        return stageNames[checkStage(stage)];
    }

    /** @param stage a stage index @return the indices of the stages it runs after (a copy; empty: the producer) */
    public final int[] runsAfter(int stage) {
        return after[checkStage(stage)].clone();
    }

    /** @param stage a stage index @return true if no stage runs after it: it gates the producer */
    public final boolean isTerminal(int stage) {
        return terminal[checkStage(stage)];
    }

    /**
     * @param seq a sequence
     * @return the index of its row in its layout's slab, {@code seq & (capacity - 1)} with that
     *     layout's capacity (the only one of a fixed ring)
     */
    public final int index(long seq) {
        return (int) (seq & layoutOf(seq).mask);
    }

    /**
     * @param seq a sequence
     * @return how many times its layout had wrapped when it reached seq, {@code (seq - boundary) >>> log2(capacity)}
     *     ({@code seq >>> log2(capacity)} in a fixed ring)
     */
    public final long lap(long seq) {
        RingLayout l = layoutOf(seq);
        return (seq - l.from) >>> l.shift;
    }

    // ---------------------------------------------------------------- producer (owner thread)

    /**
     * Owner thread: claims the next {@code n} rows, zeroed (empty lanes, no runs, not failed), for
     * the producer to write; allocation-free, and it never waits.
     *
     * @param n rows, 1..capacity
     * @return the first claimed sequence (the rows are {@code [first, first + n)}), or {@link #NO_ROOM}
     *     when some terminal stage has not yet passed the rows the claim would reuse
     * @throws WrongThreadException off the owner thread
     * @throws IllegalArgumentException if n is outside [1, capacity]
     */
    public final long tryClaim(int n) {
        checkOwner("claim");
        checkClaimSize(n);
        return claim(n, true);
    }

    /**
     * Owner thread: {@link #tryClaim}, and when there is no room, arms the wake-up and checks once
     * more (so a stage that freed room meanwhile is not missed). Answers {@link #NO_ROOM} only when
     * the wake-up is armed: {@code onRoom} will run once a terminal stage passes the row this claim
     * needs. The producer then waits without spinning (returns to its event loop, parks) and calls
     * this again when woken. Allocation-free.
     *
     * <p>A wake-up may be spurious: it may arrive after this call found room on its re-check, or
     * after another terminal stage freed the room first; the retry then claims, or arms again.
     *
     * @param n rows, 1..capacity
     * @return the first claimed sequence, or {@link #NO_ROOM} with the wake-up armed
     * @throws IllegalStateException if the ring was built without an {@code onRoom} Runnable
     */
    public final long tryClaimOrArm(int n) {
        checkOwner("claim");
        checkClaimSize(n);
        long first = claim(n, true);
        if (first != NO_ROOM) {
            return first;
        }
        if (signal.onRoom == null) {
            throw new IllegalStateException(describe() + " was built without an onRoom Runnable: it cannot wake a "
                + "waiting producer (use tryClaim, or pass onRoom to the constructor)");
        }
        // arm, then re-check: the volatile store of `armed` and the volatile loads of the terminal
        // cursors in claim() pair with each terminal stage's volatile cursor store and volatile load
        // of `armed` in advance(): one side always sees the other (see the package documentation)
        ProducerState p = producer;
        signal.soWakeAt(p.claimed + n - p.layout.capacity);
        signal.svArmed(1);
        p.armedLocal = true;
        first = claim(n, false);
        if (first == NO_ROOM) {
            p.soWaits(p.waits + 1);
        }
        return first;
    }

    /**
     * Owner thread: withdraws an armed wake-up (the producer stops waiting, say because its input
     * ended). Allocation-free.
     *
     * @return true if the wake-up was armed and now will not run; false if nothing was armed or a
     *     stage has already taken it (onRoom runs, or ran)
     */
    public final boolean disarm() {
        checkOwner("disarm");
        ProducerState p = producer;
        if (!p.armedLocal) {
            return false;
        }
        p.armedLocal = false;
        return signal.casArmed(1, 0);
    }

    /** The claim itself, after the checks; counts a "no room" answer only if told to. */
    private long claim(int n, boolean countFull) {
        ProducerState p = producer;
        RingLayout l = p.layout;
        long first = p.claimed;
        long next = first + n;
        // the claim reuses rows of this layout up to here: every terminal stage must have passed
        // them, unless they are below the layout's boundary (never used in this slab)
        long wrapPoint = next - l.capacity;
        if (wrapPoint > p.gateCache) {
            long gate = lvGating();
            if (gate >= l.from && l.previous != null) {
                releasePrevious(l); // every holder is past the boundary: the old slab can go
            }
            p.gateCache = Math.max(gate, l.from);
            boolean room = wrapPoint <= p.gateCache;
            int occupancy = (int) ((room ? next : first) - gate);
            if (occupancy > p.highestOccupancy) {
                p.soHighestOccupancy(occupancy);
            }
            if (occupancy > windowPeak) {
                windowPeak = occupancy;
            }
            if (!room) {
                if (countFull) {
                    p.soFullAnswers(p.fullAnswers + 1);
                }
                return NO_ROOM;
            }
        }
        int[] status = l.status;
        int mask = l.mask;
        for (long s = first; s < next; s++) {
            int i = (int) (s & mask);
            clearRow(l, i);
            // every stage passed this row (gating), so nobody writes its status now; a plain
            // store is published by publish()'s release. Skip the store when already 0: most rows
            // never fail, and the line may be the one the last stage is reading
            if (status[i] != 0) {
                status[i] = 0;
            }
        }
        p.soClaimed(next);
        if (p.armedLocal) {
            // room came: take back a wake-up still armed (a failed CAS means one is on its way: spurious)
            p.armedLocal = false;
            signal.casArmed(1, 0);
        }
        return first;
    }

    /**
     * Owner thread: makes the rows before {@code upTo} visible to the stages that run after the
     * producer (an ordered store: every write to those rows happens-before a stage's read of them).
     *
     * @param upTo first sequence not published, in [published(), claimed()]
     * @throws IllegalArgumentException if upTo moves back or passes what was claimed
     */
    public final void publish(long upTo) {
        checkOwner("publish");
        long current = published.lpValue();
        if (upTo < current || upTo > producer.claimed) {
            throw new IllegalArgumentException(describe() + " cannot publish up to " + upTo + ": it must be in [published "
                + current + ", claimed " + producer.claimed + "]");
        }
        published.soValue(upTo);
    }

    /** @return rows claimed since construction, the next sequence to claim; any thread */
    public final long claimed() {
        return producer.laClaimed();
    }

    /** @return the first sequence not yet published; any thread */
    public final long published() {
        return published.laValue();
    }

    // ---------------------------------------------------------------- stages

    /**
     * How far a stage may read: the least cursor of the stages it runs after, or the published
     * bound for a stage that runs after the producer. Rows in {@code [cursor(stage), available(stage))}
     * are the stage's to read and write; everything the stages before wrote to them is visible
     * (acquire loads). Allocation-free; any thread, meaningful on the stage's.
     *
     * @param stage a stage index
     * @return the first sequence the stage may not read yet
     */
    public final long available(int stage) {
        Cursor[] up = upstream[checkStage(stage)];
        long min = up[0].laValue();
        for (int i = 1; i < up.length; i++) {
            min = Math.min(min, up[i].laValue());
        }
        return min;
    }

    /** @param stage a stage index @return the first sequence the stage has not passed; any thread */
    public final long cursor(int stage) {
        return cursors[checkStage(stage)].laValue();
    }

    /**
     * The stage's thread: passes every row before {@code upTo} on to the stages after it (and, from
     * a terminal stage, back to the producer), with an ordered store. Failed rows are passed like
     * any other. From a terminal stage, runs {@code onRoom} on this thread if the producer waits for
     * the room this frees. Allocation-free.
     *
     * @param stage a stage index
     * @param upTo first sequence the stage has not passed, in [cursor(stage), available(stage)]
     * @throws IllegalArgumentException if upTo moves back or passes what is available to the stage
     */
    public final void advance(int stage, long upTo) {
        Cursor c = cursors[checkStage(stage)];
        long current = c.lpValue(); // the stage's own last store
        if (upTo <= current) {
            if (upTo < current) {
                throw new IllegalArgumentException("stage '" + stageNames[stage] + "' of " + describe()
                    + " cannot move back from " + current + " to " + upTo);
            }
            return;
        }
        long limit = available(stage);
        if (upTo > limit) {
            throw new IllegalArgumentException("stage '" + stageNames[stage] + "' of " + describe() + " cannot pass "
                + upTo + ": only rows before " + limit + " are available to it");
        }
        if (!terminal[stage]) {
            c.soValue(upTo);
            return;
        }
        // the other half of the Dekker pair in tryClaimOrArm: volatile store, then volatile load
        c.svValue(upTo);
        WakeSignal w = signal;
        if (w.lvArmed() != 0 && upTo >= w.laWakeAt() && w.casArmed(1, 0)) {
            w.addFired();
            w.onRoom.run();
        }
    }

    /** @return the first sequence some terminal stage has not passed: rows before it are free; any thread */
    public final long gating() {
        long min = gatingCursors[0].laValue();
        for (int i = 1; i < gatingCursors.length; i++) {
            min = Math.min(min, gatingCursors[i].laValue());
        }
        return min;
    }

    /** The gating bound with volatile loads: the producer's re-check in the wake-up protocol. */
    private long lvGating() {
        long min = gatingCursors[0].lvValue();
        for (int i = 1; i < gatingCursors.length; i++) {
            min = Math.min(min, gatingCursors[i].lvValue());
        }
        return min;
    }

    /**
     * Whether a span of rows is still the holder's to work on: the span's ring epoch is this
     * ring's, and every row of it is in {@code [cursor, available)} of the stage (or, for {@link
     * #PRODUCER}, in {@code [published, claimed)}). A duplicated or late span fails this check
     * because the holder's cursor has passed its first row; so does one from before a wrap (the
     * producer reuses a row only after every stage passed it); so does one from another ring.
     * Allocation-free: the holder's cursor and its upstream bound, two or three loads.
     *
     * @param holder a stage index, or {@link #PRODUCER}
     * @param first the span's first sequence
     * @param count the span's rows, at least 1
     * @param epoch the ring epoch the span was made for ({@link #epoch()})
     * @return true if the holder may still work on every row of the span
     */
    public final boolean isCurrent(int holder, long first, int count, long epoch) {
        checkHolder(holder);
        return epoch == this.epoch && count >= 1 && first >= holdStart(holder)
            && first + count <= holdEnd(holder);
    }

    // ---------------------------------------------------------------- row status

    /**
     * The holder's thread: marks row {@code seq} failed, so later stages skip its work and still
     * pass it. Only the first failure of a row counts: a row failed already keeps its holder and
     * reason. Allocation-free.
     *
     * @param holder the stage index that holds the row, or {@link #PRODUCER}
     * @param seq a row the holder holds (see {@link #isCurrent})
     * @param reason the holder's reason code, 0..{@value #MAX_FAIL_REASON}
     * @throws IllegalArgumentException if the holder does not hold the row, or the reason is out of range
     */
    public final void fail(int holder, long seq, int reason) {
        checkHolder(holder);
        if (reason < 0 || reason > MAX_FAIL_REASON) {
            throw new IllegalArgumentException("fail reason must be in [0, " + MAX_FAIL_REASON + "]: " + reason);
        }
        checkHolds(holder, seq);
        int word = FAILED | ((holder + 1) << HOLDER_SHIFT) | (reason << REASON_SHIFT);
        RingLayout l = layoutOf(seq);
        if (STATUS.compareAndSet(l.status, (int) (seq & l.mask), 0, word)) {
            failedRows.incrementAndGet();
        }
    }

    /** @param seq a row's sequence @return true if the row is marked failed (meaningful while the caller holds it) */
    public final boolean isFailed(long seq) {
        return (status(seq) & FAILED) != 0;
    }

    /**
     * @param seq a row's sequence
     * @return the stage index that failed the row, {@link #PRODUCER}, or {@link #NOT_FAILED}
     */
    public final int failedBy(long seq) {
        int s = status(seq);
        return (s & FAILED) == 0 ? NOT_FAILED : ((s >>> HOLDER_SHIFT) & 0xFF) - 1;
    }

    /** @param seq a row's sequence @return the reason code it failed with, 0 if not failed */
    public final int failReason(long seq) {
        return status(seq) >>> REASON_SHIFT;
    }

    /** @param seq a row's sequence @return the raw status word (0: not failed), acquire load */
    final int status(long seq) {
        RingLayout l = layoutOf(seq);
        return (int) STATUS.getAcquire(l.status, (int) (seq & l.mask));
    }

    // ---------------------------------------------------------------- holders and checks

    /** First sequence the holder holds: its cursor, or the published bound for the producer. */
    final long holdStart(int holder) {
        return holder == PRODUCER ? published.laValue() : cursors[holder].laValue();
    }

    /**
     * holdStart with a plain load, for the holder's own thread only (it wrote the value itself):
     * the per-access check of the row views, which the JIT may then keep in a register across a
     * row's accessors.
     */
    final long holdStartOnHolderThread(int holder) {
        return holder == PRODUCER ? published.lpValue() : cursors[holder].lpValue();
    }

    /** First sequence past what the holder holds: available(stage), or claimed for the producer. */
    final long holdEnd(int holder) {
        return holder == PRODUCER ? producer.laClaimed() : available(holder);
    }

    /** Throws unless the holder holds row {@code seq} now. */
    final void checkHolds(int holder, long seq) {
        long from = holdStart(holder);
        long to = holdEnd(holder);
        if (seq < from || seq >= to) {
            throw new IllegalArgumentException("row " + seq + " is not held by " + holderName(holder) + " of "
                + describe() + ": it holds [" + from + ", " + to + ")");
        }
    }

    final String holderName(int holder) {
        return holder == PRODUCER ? "the producer" : "stage '" + stageNames[holder] + "'";
    }

    final void checkHolder(int holder) {
        if (holder != PRODUCER) {
            checkStage(holder);
        }
    }

    private int checkStage(int stage) {
        if (stage < 0 || stage >= stageNames.length) {
            throw new IllegalArgumentException("stage " + stage + " outside [0, " + stageNames.length + ") of " + describe());
        }
        return stage;
    }

    private void checkClaimSize(int n) {
        int capacity = producer.layout.capacity;
        if (n < 1 || n > capacity) {
            throw new IllegalArgumentException("cannot claim " + n + " rows of " + describe() + ": n must be in [1, capacity "
                + capacity + "]");
        }
    }

    private void checkOwner(String what) {
        if (Thread.currentThread() != owner) {
            throw new WrongThreadException("cannot " + what + " on thread '" + Thread.currentThread().getName() + "': "
                + describe() + " is owned by thread '" + owner.getName() + "'");
        }
    }

    final String describe() {
        return kind() + " '" + name + "'";
    }

    // ---------------------------------------------------------------- adaptive capacity (owner thread)

    /**
     * Owner thread: one step of the capacity policy, for a timer of the owner's or the producer's
     * own "no room" path; never called by a claim. It first drops the previous slab if every
     * terminal stage has passed its boundary, then:
     * <ul>
     *   <li>grows one step if a claim found no room since the previous step ({@link
     *       CapacityPolicy#GROW_ON_EXHAUSTION}), or that, or the most rows held at once in the
     *       window reached {@code growAtPercent} of the capacity ({@link CapacityPolicy#GROW_ON_HIGH_WATER});</li>
     *   <li>shrinks one step when for {@code idleMillis} since the last busy step the ring never
     *       held more than the smaller capacity, and every cursor has caught up with {@code claimed} now;</li>
     *   <li>neither while the previous slab is still held.</li>
     * </ul>
     * A producer waiting for room (armed) should retry its claim after a step that grew: the
     * armed wake-up was computed for the old capacity and may come late or be spurious.
     *
     * @param nowNanos the caller's clock ({@link System#nanoTime()}); tests and benchmarks drive it
     * @return 1 if it grew, -1 if it shrank, 0 otherwise (always 0 for a fixed ring)
     */
    public final int maintain(long nowNanos) {
        checkOwner("maintain the capacity of");
        if (!adaptive) {
            return 0;
        }
        ProducerState p = producer;
        RingLayout l = p.layout;
        long gate = lvGating();
        if (l.previous != null && gate >= l.from) {
            releasePrevious(l);
        }
        int occupancy = (int) (p.claimed - gate);
        int peak = Math.max(windowPeak, occupancy);
        windowPeak = 0;
        long full = p.fullAnswers + p.waits;
        boolean exhausted = full != fullAtLastStep;
        fullAtLastStep = full;
        if (!policyStarted) {
            policyStarted = true;
            lastBusyNanos = nowNanos;
        }
        boolean busy = exhausted || options.getCapacityPolicy() == CapacityPolicy.GROW_ON_HIGH_WATER
            && (long) peak * 100 >= (long) options.getGrowAtPercent() * l.capacity;
        if (busy) {
            lastBusyNanos = nowNanos;
            return grow() ? 1 : 0;
        }
        if (peak > l.capacity / growthFactor) {
            lastBusyNanos = nowNanos; // needed more than the smaller capacity: not idle
            return 0;
        }
        if (nowNanos - lastBusyNanos >= idleNanos && shrink()) {
            lastBusyNanos = nowNanos; // the next step down waits an idle period of its own
            return -1;
        }
        return 0;
    }

    /**
     * Owner thread: grows the ring one step now ({@code capacity * growthFactor}), whatever the
     * policy says, from the boundary {@code claimed()}: the rows claimed so far stay where they
     * are, later claims go to the new slab. Allocates the new slab (zeroed on this thread).
     *
     * @return false for a fixed ring, a ring at its maximum, or while the slab from before the
     *     last resize is still held
     */
    public final boolean grow() {
        checkOwner("grow");
        RingLayout l = producer.layout;
        if (!adaptive || l.capacity >= maxCapacity || !previousGone(l)) {
            return false;
        }
        install(l.capacity * growthFactor, lvGating());
        grows = grows + 1;
        return true;
    }

    /**
     * Owner thread: shrinks the ring one step now ({@code capacity / growthFactor}), but only when
     * every cursor has caught up with {@code claimed()} (the ring holds no row), so the old slab is
     * dropped at once. Allocates the new, smaller slab.
     *
     * @return false for a fixed ring, a ring at its minimum, or a ring that still holds rows
     */
    public final boolean shrink() {
        checkOwner("shrink");
        ProducerState p = producer;
        RingLayout l = p.layout;
        if (!adaptive || l.capacity <= minCapacity || !previousGone(l)) {
            return false;
        }
        long gate = lvGating();
        if (gate != p.claimed || published.lpValue() != p.claimed) {
            return false;
        }
        install(l.capacity / growthFactor, gate);
        shrinks = shrinks + 1;
        return true;
    }

    /** Owner: true if the layout has no previous one, dropping it first if every holder is past the boundary. */
    private boolean previousGone(RingLayout l) {
        if (l.previous == null) {
            return true;
        }
        if (lvGating() >= l.from) {
            releasePrevious(l);
            return true;
        }
        return false;
    }

    /** Owner: the new layout from {@code claimed}; keeps the current one as previous unless no holder is below the boundary. */
    private void install(int capacity, long gate) {
        ProducerState p = producer;
        RingLayout l = p.layout;
        long boundary = p.claimed;
        RingLayout next = newLayout(boundary, capacity, gate >= boundary ? null : l);
        p.layout = next;
        // rows of the new slab below claimed + capacity are fresh: the gate is the boundary
        p.gateCache = boundary;
        bytesReserved = next.bytes + (next.previous == null ? 0 : l.bytes);
        layout = next; // volatile store: before any claim at or past the boundary, so before its publish
    }

    /** Owner: drops the previous layout of {@code l}; every terminal cursor is at or past l.from. */
    private void releasePrevious(RingLayout l) {
        l.previous = null;
        bytesReserved = l.bytes;
    }

    // ---------------------------------------------------------------- stats

    /** @return the ring's off-heap slab, 64-byte aligned, native order (shared, not a copy) */
    public abstract ByteBuffer slab();

    /**
     * Any thread: a consistent snapshot of every counter and cursor (see {@link RingStats}).
     * Allocates the snapshot; updating the counters allocates nothing.
     *
     * @return the snapshot
     */
    public final RingStats stats() {
        int n = stageNames.length;
        long[] at = new long[n];
        for (;;) {
            long claimedBefore = producer.laClaimed();
            // last-declared first: each stage is read before the stages it runs after, which are at or ahead of it
            for (int k = n - 1; k >= 0; k--) {
                at[k] = cursors[k].laValue();
            }
            long pub = published.laValue();
            long claimedNow = producer.laClaimed();
            if (claimedNow != claimedBefore) {
                continue; // a claim landed meanwhile: claimed - gating might exceed the capacity
            }
            long gate = Long.MAX_VALUE;
            Map<String, Long> byName = new LinkedHashMap<>();
            for (int k = 0; k < n; k++) {
                byName.put(stageNames[k], at[k]);
                if (terminal[k]) {
                    gate = Math.min(gate, at[k]);
                }
            }
            return new RingStats(name, capacity(), claimedNow, pub, gate, producer.laFullAnswers(), producer.laWaits(),
                signal.laFired(), failedRows.get(), producer.laHighestOccupancy(), byName, maxCapacity, grows, shrinks,
                bytesReserved);
        }
    }

    @Override
    public String toString() {
        return kind() + "{name=" + name + ", capacity=" + capacity() + ", claimed=" + claimed() + ", published="
            + published() + ", gating=" + gating() + '}';
    }
}
