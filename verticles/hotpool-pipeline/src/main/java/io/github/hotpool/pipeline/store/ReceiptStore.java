package io.github.hotpool.pipeline.store;

import io.github.hotpool.core.Receipt;
import io.github.hotpool.triples.CycleSeal;
import io.github.hotpool.triples.Lockchain;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The receipts and lockchain of one output directory, written by one owner: receipts are
 * appended as lines and chained, cycles sealed, and both made durable in flushes whose
 * checkpoint says exactly which bytes are acknowledged. Opening a directory recovers it after a
 * crash. The owner thread calls everything except {@link #write}, which runs the blocking I/O of
 * one flush on any single thread at a time (the caller orders flushes).
 *
 * <pre>
 *  DIR/.lock            OS lock: one writer per directory; names its holder
 *  DIR/receipts.jsonl   one receipt per line (format 2: every byte of the line is hashed)
 *  DIR/lockchain.jsonl  a header line, then one seal per closed cycle
 *  DIR/checkpoint       two CRC-guarded slots: durable byte counts, head, input progress
 * </pre>
 */
public final class ReceiptStore implements AutoCloseable {

    /*
     * Order of one flush (write()): receipts bytes, force; seal lines, force; checkpoint, force.
     * So a seal never reaches disk before its receipts, and the checkpoint never counts bytes that
     * are not durable. Batches are acknowledged only after write() returns, so everything
     * acknowledged lies within the checkpoint. On open, anything past the checkpoint in either file
     * (a torn line, NUL holes, receipts never acknowledged) is cut off; anything missing below it
     * is an error. The open cycle's receipts (between the last seal and the checkpoint) are re-read,
     * re-hashed and kept: they are sealed into the next cycle, with its seal written.
     */

    /** Receipts file name. */
    public static final String RECEIPTS = "receipts.jsonl";
    /** Lockchain file name. */
    public static final String LOCKCHAIN = "lockchain.jsonl";
    /** Checkpoint file name. */
    public static final String CHECKPOINT = "checkpoint";
    /**
     * Names of the subject ids that fired receipts show, one {@code {"id":..,"name":..}} per line:
     * NOT covered by the lockchain (a name can be checked against its covered id by hashing it).
     */
    public static final String NAMES = "names-unverified.jsonl";
    /** Lock file name. */
    public static final String LOCK = ".lock";
    /** The lockchain file's first line names the format; version 2 hashes whole receipt lines. */
    static final String FORMAT = "hotpool-lockchain";
    /** Longest line the store reads back (a seal of {@link #MAX_CYCLE_RECEIPTS} leaves fits). */
    static final int MAX_LINE = 64 * 65_536 + 4096;
    /** Largest cycle: bounds a seal line and the memory that verifying one cycle needs. */
    public static final int MAX_CYCLE_RECEIPTS = 65_536;

    /** Bytes per write system call of a flush (a flush larger than this is written in parts). */
    static final int STAGING_BYTES = 256 * 1024;

    /** What opening the directory found and did. */
    public record Recovery(boolean created, long receipts, long cycles, long tailReceipts, long cutReceiptBytes,
                           long cutChainBytes, boolean sealedTail, InputMark lastInput, long nextBatch) {

        /** One line for a person, or null when there was nothing to recover. */
        public String describe() {
            if (created || cutReceiptBytes == 0 && cutChainBytes == 0 && tailReceipts == 0 && !sealedTail) {
                return null;
            }
            return "recovered: cut " + cutReceiptBytes + " unacknowledged bytes of " + RECEIPTS + " and "
                + cutChainBytes + " of " + LOCKCHAIN + "; " + tailReceipts + " unsealed receipts kept"
                + (sealedTail ? " and sealed" : " in the open cycle");
        }
    }

    private final Path dir;
    private final DirLock lock;
    private final FileChannel receiptsCh;
    private final FileChannel chainCh;
    private final FileChannel checkpointCh;
    private final FileChannel namesCh;
    private final Durability durability;
    /** Where {@link #write} copies a flush's bytes for the disk (null in memory); see {@link DirectStaging}. */
    private final DirectStaging staging;
    private final Lockchain chain;
    private final int cycleReceipts;
    private Recovery recovery;
    private long nextCycle;
    private long receipts;
    private long receiptsBytes;
    private long chainBytes;
    private long openCycleBytes;
    private Checkpoint issued;
    private InputMark input;
    /** Batches numbered through the next flush (-1: not recorded). */
    private long batches = -1;
    private Flush active = new Flush();
    private Flush spare = new Flush();
    private boolean inFlight;
    private volatile IOException failure;
    /** Where the receipt being appended starts in the active flush, and how many subjects it has. */
    private int lineStart;
    private int subjects;

    /** One flush's bytes and the checkpoint that acknowledges them; the owner attaches its acks. */
    public static final class Flush {
        final ByteSink receipts = new ByteSink(64 * 1024);
        final ByteSink seals = new ByteSink(4 * 1024);
        final ByteSink names = new ByteSink(4 * 1024);
        Checkpoint checkpoint;
        int receiptCount;
        /** Bytes of {@link #receipts} covered by the last seal in this flush, or -1. */
        int sealedUpTo = -1;
        /** The owner's acknowledgements that wait for this flush; reused with it. */
        public Object attachment;

        /** Receipts in this flush. */
        public int receiptCount() {
            return receiptCount;
        }

        boolean isEmpty() {
            return receipts.length == 0 && seals.length == 0;
        }
    }

    private ReceiptStore(Path dir, DirLock lock, FileChannel receiptsCh, FileChannel chainCh, FileChannel cpCh,
                         FileChannel namesCh, Durability durability, DirectStaging staging, int cycleReceipts,
                         Lockchain chain, Checkpoint cp) {
        this.dir = dir;
        this.lock = lock;
        this.receiptsCh = receiptsCh;
        this.chainCh = chainCh;
        this.checkpointCh = cpCh;
        this.namesCh = namesCh;
        this.durability = durability;
        this.staging = staging;
        this.cycleReceipts = cycleReceipts;
        this.chain = chain;
        this.issued = cp;
        this.nextCycle = cp.cycles();
        this.receipts = cp.receipts();
        this.receiptsBytes = cp.receiptsBytes();
        this.chainBytes = cp.chainBytes();
        this.openCycleBytes = cp.openCycleBytes();
        this.batches = cp.batches();
        this.input = cp.input();
    }

    /**
     * A store that chains receipts in memory only (no directory, no durability): flushes write
     * nothing. For pipelines without an output directory and for reference runs.
     */
    public static ReceiptStore inMemory(int cycleReceipts) {
        ReceiptStore store = new ReceiptStore(null, null, null, null, null, null, Durability.NONE, null, cycleReceipts,
            new Lockchain(cycleReceipts), Checkpoint.initial(0));
        store.recovery = new Recovery(true, 0, 0, 0, 0, 0, false, null, 0);
        return store;
    }

    /**
     * Opens (creating or recovering) the store in {@code dir}; blocking, cold path. Takes the
     * directory's lock first: a second writer gets a {@link StoreException} naming the holder.
     *
     * @throws StoreException when the directory cannot be used, with what to do about it
     */
    public static ReceiptStore open(Path dir, int cycleReceipts, Durability durability) throws IOException {
        if (cycleReceipts < 1 || cycleReceipts > MAX_CYCLE_RECEIPTS) {
            throw new IllegalArgumentException("cycleReceipts " + cycleReceipts + " outside [1, "
                + MAX_CYCLE_RECEIPTS + "]");
        }
        Files.createDirectories(dir);
        DirLock lock = DirLock.acquire(dir);
        FileChannel r = null;
        FileChannel c = null;
        FileChannel k = null;
        FileChannel n = null;
        // files this open creates: a refused directory gets none of them left behind
        String[] names = {RECEIPTS, LOCKCHAIN, CHECKPOINT, NAMES};
        boolean[] existed = new boolean[names.length];
        for (int i = 0; i < names.length; i++) {
            existed[i] = Files.exists(dir.resolve(names[i]), java.nio.file.LinkOption.NOFOLLOW_LINKS);
        }
        try {
            r = FileChannel.open(dir.resolve(RECEIPTS), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            c = FileChannel.open(dir.resolve(LOCKCHAIN), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            k = FileChannel.open(dir.resolve(CHECKPOINT), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            n = FileChannel.open(dir.resolve(NAMES), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            ReceiptStore store = recover(dir, lock, r, c, k, n, cycleReceipts, durability);
            cutTornLine(n); // after the refusals: a refused directory is left as it was
            return store;
        } catch (IOException | RuntimeException e) {
            closeQuietly(n);
            closeQuietly(r);
            closeQuietly(c);
            closeQuietly(k);
            for (int i = 0; i < names.length; i++) {
                Path f = dir.resolve(names[i]);
                try {
                    if (!existed[i] && Files.size(f) == 0) {
                        Files.delete(f);
                    }
                } catch (IOException gone) {
                    // not there, or not removable: the refusal below is what matters
                }
            }
            lock.close();
            throw e;
        }
    }

    private static ReceiptStore recover(Path dir, DirLock lock, FileChannel r, FileChannel c, FileChannel k,
                                        FileChannel n, int cycleReceipts, Durability durability) throws IOException {
        DirectStaging staging = new DirectStaging(STAGING_BYTES); // the header's write, then every flush's
        long receiptsLen = r.size();
        long chainLen = c.size();
        Checkpoint cp = Checkpoint.read(k, dir.resolve(CHECKPOINT).toString());
        if (chainLen > 0 && receiptsLen == 0 && cp == null && k.size() == 0 && isTornHeader(c, chainLen, staging)) {
            // a crash while this directory was being created (header written, perhaps torn, no
            // checkpoint yet): nothing was ever acknowledged, so it is created again. Only a
            // header or a prefix of one: anything else (seals whose receipts are gone, a file that
            // is no lockchain) is refused below, never overwritten
            c.truncate(0);
            chainLen = 0;
        }
        if (chainLen == 0) {
            if (receiptsLen > 0 || cp != null && cp.receipts() > 0) {
                throw new StoreException(dir.resolve(LOCKCHAIN) + " is empty or missing but " + RECEIPTS + " holds "
                    + receiptsLen + " bytes of receipts: the chain is damaged and cannot be extended; run "
                    + "'verify' on it, and start new chains in another directory");
            }
            byte[] header = header();
            staging.writeFully(c, header, 0, header.length, 0);
            c.force(true);
            c.position(header.length);
            cp = Checkpoint.initial(header.length);
            cp.write(k, true);
            forceDirectory(dir);
            Lockchain chain = new Lockchain(cycleReceipts);
            ReceiptStore store = new ReceiptStore(dir, lock, r, c, k, n, durability, staging, cycleReceipts, chain, cp);
            store.recovery = new Recovery(true, 0, 0, 0, 0, 0, false, null, 0);
            return store;
        }
        long headerLen = checkHeader(dir, c);
        if (cp == null) {
            if (receiptsLen > 0 || chainLen > headerLen) {
                // the checkpoint is the only record of what was acknowledged: without it the
                // receipts and seals cannot be told from a torn tail, and cutting to the initial
                // checkpoint would delete every acknowledged receipt
                throw new StoreException(dir.resolve(CHECKPOINT) + " is missing or unreadable (" + k.size()
                    + " bytes, no valid slot) but " + RECEIPTS + " holds " + receiptsLen + " bytes and " + LOCKCHAIN
                    + " " + (chainLen - headerLen) + " bytes past its header: what was acknowledged is unknown, so "
                    + "nothing is cut or extended; run 'verify' on it, and start new chains in another directory");
            }
            cp = Checkpoint.initial(headerLen); // crashed between the header and the first checkpoint
        }
        if (receiptsLen < cp.receiptsBytes() || chainLen < cp.chainBytes()) {
            throw new StoreException(dir + ": the checkpoint records " + cp.receiptsBytes() + " durable bytes of "
                + RECEIPTS + " and " + cp.chainBytes() + " of " + LOCKCHAIN + " but the files hold " + receiptsLen
                + " and " + chainLen + ": acknowledged receipts or seals are missing (truncated or lost by the disk); "
                + "run 'verify' on it, and start new chains in another directory");
        }
        requireLineEnd(dir.resolve(LOCKCHAIN), c, cp.chainBytes());
        requireLineEnd(dir.resolve(RECEIPTS), r, cp.receiptsBytes());
        long cutReceipts = receiptsLen - cp.receiptsBytes();
        long cutChain = chainLen - cp.chainBytes();
        if (cutReceipts > 0) {
            r.truncate(cp.receiptsBytes());
            r.force(true);
        }
        if (cutChain > 0) {
            c.truncate(cp.chainBytes());
            c.force(true);
        }
        // the open cycle: receipts after the last seal, re-hashed into a chain resumed at the head
        ReceiptLine parsed = new ReceiptLine();
        Lockchain probe = new Lockchain(MAX_CYCLE_RECEIPTS);
        long tail = 0;
        try (LineReader in = new LineReader(LineReader.at(r, cp.openCycleBytes()),
            RECEIPTS, MAX_LINE, cp.receiptsBytes() - cp.openCycleBytes())) {
            while (in.next()) {
                long lineNo = in.number; // numbered from the open cycle's start
                if (!in.terminated()) {
                    throw new StoreException(dir.resolve(RECEIPTS) + " byte " + (cp.openCycleBytes() + in.offset)
                        + ": a receipt below the checkpoint has no line break: the file was changed");
                }
                try {
                    parsed.parse(in.line, 0, in.length);
                } catch (IllegalArgumentException e) {
                    throw new StoreException(dir.resolve(RECEIPTS) + " byte " + (cp.openCycleBytes() + in.offset)
                        + " (receipt " + lineNo + " of the open cycle): not a receipt: " + e.getMessage()
                        + "; the file was changed below its checkpoint: run 'verify' on it", e);
                }
                if (parsed.chainCycle != cp.cycles()) {
                    throw new StoreException(dir.resolve(RECEIPTS) + " byte " + (cp.openCycleBytes() + in.offset)
                        + ": unsealed receipt claims chainCycle " + parsed.chainCycle + " but the open cycle is "
                        + cp.cycles() + "; run 'verify' on it");
                }
                if (tail == MAX_CYCLE_RECEIPTS) {
                    throw new StoreException(dir.resolve(RECEIPTS) + ": more than " + MAX_CYCLE_RECEIPTS
                        + " unsealed receipts in the open cycle");
                }
                probe.addLine(in.line, 0, in.length);
                tail++;
            }
        }
        int capacity = (int) Math.max(cycleReceipts, tail);
        Lockchain chain = new Lockchain(capacity);
        chain.resume(cp.head(), cp.cycles());
        if (tail > 0) {
            try (LineReader in = new LineReader(LineReader.at(r, cp.openCycleBytes()),
                RECEIPTS, MAX_LINE, cp.receiptsBytes() - cp.openCycleBytes())) {
                while (in.next()) {
                    chain.addLine(in.line, 0, in.length);
                }
            }
        }
        r.position(cp.receiptsBytes());
        c.position(cp.chainBytes());
        ReceiptStore store = new ReceiptStore(dir, lock, r, c, k, n, durability, staging, cycleReceipts, chain, cp);
        boolean sealed = false;
        if (tail >= cycleReceipts) {
            store.seal(); // the tail fills a cycle (an earlier run used more receipts per cycle): seal it now
            Flush f = store.takeFlush();
            store.write(f);
            store.flushed(f);
            sealed = true;
        }
        store.recovery = new Recovery(false, cp.receipts(), store.nextCycle, tail, cutReceipts, cutChain, sealed,
            cp.input(), Math.max(0, cp.batches()));
        return store;
    }

    /**
     * The store writes whole lines, so a checkpointed byte count always ends at a line end; when
     * it does not, bytes were inserted or removed below the checkpoint, and cutting the file there
     * would glue the next line onto half of one.
     */
    private static void requireLineEnd(Path file, FileChannel ch, long end) throws IOException {
        if (end == 0) {
            return;
        }
        ByteBuffer one = ByteBuffer.allocate(1);
        if (ch.read(one, end - 1) != 1 || one.get(0) != '\n') {
            throw new StoreException(file + " byte " + (end - 1) + ": the checkpoint records " + end + " durable "
                + "bytes but that is not a line end: the file was changed below its checkpoint; run 'verify' on it, "
                + "and start new chains in another directory");
        }
    }

    /** How every header line starts: its first key, which {@link #header()} writes first. */
    private static final String HEADER_START = "{\"format\":";

    private static byte[] header() {
        return (new JsonObject().put("format", FORMAT).put("version", Lockchain.FORMAT_LINE)
            .put("created", Instant.now().toString()).encode() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Whether the lockchain's {@code length} bytes are a header line, or a prefix of one, that a
     * crash while creating the directory left behind: one line at most, starting as every header
     * does, perhaps followed by NULs. A seal, a second line or another file's bytes are not.
     */
    private static boolean isTornHeader(FileChannel c, long length, DirectStaging staging) throws IOException {
        byte[] start = HEADER_START.getBytes(StandardCharsets.UTF_8);
        if (length > MAX_LINE) {
            return false;
        }
        byte[] bytes = new byte[(int) length];
        if (staging.readFully(c, bytes, 0, bytes.length, 0) < bytes.length) {
            return false;
        }
        int written = bytes.length;
        while (written > 0 && bytes[written - 1] == 0) {
            written--; // a NUL tail: blocks the file system had allocated but not yet written
        }
        for (int i = 0; i < written; i++) {
            if (i < start.length && bytes[i] != start[i] || bytes[i] == 0) {
                return false;
            }
            if (bytes[i] == '\n' && i != written - 1) {
                return false; // more than one line
            }
        }
        return true;
    }

    /** Checks the lockchain's header line; returns its length with the line break. */
    private static long checkHeader(Path dir, FileChannel c) throws IOException {
        try (LineReader in = new LineReader(LineReader.at(c, 0), LOCKCHAIN, MAX_LINE,
            Long.MAX_VALUE)) {
            in.next();
            int version;
            try {
                version = StoreVerifier.headerVersion(in.line, in.length);
            } catch (IllegalArgumentException e) {
                throw new StoreException(dir.resolve(LOCKCHAIN) + " line 1: neither a format header nor a seal: "
                    + e.getMessage() + "; run 'verify' on it, and start new chains in another directory", e);
            }
            if (StoreVerifier.unsupported(version) != null) {
                throw new StoreException(dir.resolve(LOCKCHAIN) + " line 1: " + StoreVerifier.unsupported(version)
                    + "; start new chains in another directory");
            }
            if (version != Lockchain.FORMAT_LINE) {
                throw new StoreException(dir.resolve(LOCKCHAIN) + " line 1: written in lockchain format " + version
                    + " (receipt lines not fully hashed); this version extends only format " + Lockchain.FORMAT_LINE
                    + " chains: 'verify' still checks it; start new chains in another directory");
            }
            if (!in.terminated()) {
                throw new StoreException(dir.resolve(LOCKCHAIN) + " line 1: header without line break (torn); run "
                    + "'verify' on it, and start new chains in another directory");
            }
            return in.endOffset();
        }
    }

    // ---- owner thread -------------------------------------------------------------------------

    /** What opening found; null fields never. */
    public Recovery recovery() {
        return recovery;
    }

    /** The directory. */
    public Path dir() {
        return dir;
    }

    /** The cycle new receipts are sealed into. */
    public long openCycle() {
        return nextCycle;
    }

    /** Receipts appended so far, this run and earlier ones (durable or pending). */
    public long receipts() {
        return receipts;
    }

    /** Cycles sealed so far. */
    public long cycles() {
        return nextCycle;
    }

    /** The chain's head: the last seal's link (all zero before the first seal). */
    public byte[] head() {
        return chain.head();
    }

    /** Receipts in the open cycle. */
    public int pending() {
        return chain.pending();
    }

    /** Receipts appended but not yet handed to a flush. */
    public int bufferedReceipts() {
        return active.receiptCount;
    }

    /** A copy of the last receipt line appended, without its line break (for sinks; allocates). */
    public byte[] lastLine() {
        return java.util.Arrays.copyOfRange(active.receipts.bytes, lineStart, active.receipts.length - 1);
    }

    /** Bytes appended but not yet handed to a flush. */
    public long bufferedBytes() {
        return active.receipts.length + active.seals.length;
    }

    /** The last input this directory's checkpoint recorded (null when none). */
    public InputMark input() {
        return input;
    }

    /** Records how far the input got, to go with the next flush's checkpoint. */
    public void input(InputMark mark) {
        this.input = mark;
    }

    /**
     * Records how many batches the chain has numbered once the next flush lands (batch numbers
     * are the receipts' {@code cycle}), to go with that flush's checkpoint: a later run recovers it
     * as {@link Recovery#nextBatch()} and numbers on from there.
     */
    public void batches(long next) {
        this.batches = next;
    }

    /** Why the store stopped writing, or null. */
    public IOException failure() {
        return failure;
    }

    /**
     * Appends {@code r}'s line, sealed into the open cycle, with the hook's name; the caller may
     * then add subjects ({@link #subject}) and must {@link #endReceipt} it. Allocates nothing once
     * the buffers have grown to the run's working size.
     */
    public void beginReceipt(Receipt r, String hookName) {
        lineStart = active.receipts.length;
        ReceiptLine.begin(active.receipts, nextCycle, r, hookName);
        subjects = 0;
    }

    /** Adds a subject's term id to the receipt begun last (covered by the chain like every field). */
    public void subject(long id) {
        if (subjects == 0) {
            ReceiptLine.openSubjects(active.receipts);
        }
        ReceiptLine.subject(active.receipts, id, subjects++ == 0);
    }

    /** Ids whose names were written lately (direct-mapped), so that a busy subject is named once, not per receipt. */
    private final long[] named = new long[4096];

    /** Where {@link #name(long, TermTable)} copies a name. */
    private byte[] nameScratch = new byte[0];

    /**
     * Records the name {@code terms} holds for {@code id} in {@value #NAMES}, unless written lately;
     * allocation-free for names up to the table's length limit.
     */
    public void name(long id, io.github.hotpool.triples.TermTable terms) {
        int slot = (int) (id ^ id >>> 32) & named.length - 1;
        if (dir == null || named[slot] == id) {
            return;
        }
        if (nameScratch.length < terms.maxTermBytes()) {
            nameScratch = new byte[terms.maxTermBytes()];
        }
        int n = terms.copyName(id, nameScratch);
        if (n == io.github.hotpool.triples.TermTable.NOT_HELD) {
            return;
        }
        if (n < 0) {
            name(id, terms.name(id)); // cut at the table's limit: the String form marks the cut
            return;
        }
        named[slot] = id;
        active.names.ascii("{\"id\":").hexString(id).ascii(",\"name\":").jsonUtf8(nameScratch, n).ascii("}\n");
    }

    /** Records the name of term {@code id} in {@value #NAMES} (not covered by the chain), unless written lately. */
    public void name(long id, String name) {
        int slot = (int) (id ^ id >>> 32) & named.length - 1;
        if (dir != null && named[slot] != id) {
            named[slot] = id;
            active.names.ascii("{\"id\":").hexString(id).ascii(",\"name\":").jsonString(name).ascii("}\n");
        }
    }

    /**
     * Ends the receipt begun last and chains it; seals the cycle when it is full.
     *
     * @return true when this receipt filled and sealed a cycle
     */
    public boolean endReceipt() {
        ByteSink out = active.receipts;
        if (subjects > 0) {
            ReceiptLine.closeSubjects(out);
        }
        ReceiptLine.end(out);
        chain.addLine(out.bytes, lineStart, out.length - lineStart - 1);
        receipts++;
        active.receiptCount++;
        if (chain.pending() >= cycleReceipts) {
            seal();
            return true;
        }
        return false;
    }

    /** Seals the open cycle (even an empty one) and appends its seal line; cold path (allocates). */
    public void seal() {
        chain.seal(nextCycle++, sealWriter);
        active.sealedUpTo = active.receipts.length;
    }

    /** Writes the seal line from the chain's own arrays: nothing is copied or allocated per seal. */
    private final io.github.hotpool.triples.Lockchain.SealSink sealWriter =
        (cycleId, leaves, count, root, link) -> appendSeal(active.seals, cycleId, leaves, count, root, link);

    /**
     * Appends the seal line, byte for byte what {@code sealJson(seal).encode()} and a line break give,
     * without building the JSON tree (a seal line holds 64 hex digits per receipt).
     */
    static void appendSeal(ByteSink out, long cycleId, byte[] leaves, int count, byte[] root, byte[] link) {
        out.ascii("{\"cycle\":").decimal(cycleId).ascii(",\"receipts\":").decimal(count).ascii(",\"root\":\"");
        out.hex(root, 0, 32).ascii("\",\"link\":\"");
        out.hex(link, 0, 32).ascii("\",\"leaves\":\"");
        out.hex(leaves, 0, count * 32);
        out.ascii("\"}\n");
    }

    static JsonObject sealJson(CycleSeal seal) {
        ByteSink leaves = new ByteSink(seal.receiptCount() * 64 + 1);
        for (int i = 0; i < seal.receiptCount(); i++) {
            byte[] leaf = seal.leaf(i);
            leaves.hex(leaf, 0, leaf.length);
        }
        return new JsonObject().put("cycle", seal.cycleId()).put("receipts", seal.receiptCount())
            .put("root", Hex.of(seal.root())).put("link", Hex.of(seal.link()))
            .put("leaves", new String(leaves.bytes, 0, leaves.length, StandardCharsets.US_ASCII));
    }

    /**
     * Hands everything appended since the last flush to a new flush with its checkpoint, or
     * returns null while another flush is in flight. The caller runs {@link #write} off the owner
     * thread, then calls {@link #flushed} on it.
     */
    public Flush takeFlush() {
        if (inFlight) {
            return null;
        }
        Flush f = active;
        active = spare;
        spare = null;
        if (f.sealedUpTo >= 0) {
            openCycleBytes = receiptsBytes + f.sealedUpTo;
        }
        receiptsBytes += f.receipts.length;
        chainBytes += f.seals.length;
        issued = issued.next(receipts, receiptsBytes, nextCycle, chainBytes,
            openCycleBytes, chain.head(), input, batches);
        f.checkpoint = issued;
        inFlight = true;
        return f;
    }

    /** The flush {@code f} is written (or failed): its buffers are reused. */
    public void flushed(Flush f) {
        f.receipts.clear();
        f.seals.clear();
        f.names.clear();
        f.receiptCount = 0;
        f.sealedUpTo = -1;
        spare = f;
        inFlight = false;
    }

    /** True while a flush is being written. */
    public boolean flushing() {
        return inFlight;
    }

    /**
     * Writes flush {@code f}: receipts, force, seals, force, checkpoint, force (no forcing under
     * {@link Durability#NONE}). Blocking; call on one thread at a time, in takeFlush order.
     *
     * @throws StoreException naming the file and the cause; the store writes nothing after it
     */
    public void write(Flush f) throws StoreException {
        if (failure != null) {
            throw new StoreException("receipt store in " + dir + " stopped after an earlier write error: "
                + failure.getMessage(), failure);
        }
        if (dir == null) {
            return; // in memory
        }
        boolean sync = durability != Durability.NONE;
        Path file = dir.resolve(RECEIPTS);
        try {
            if (f.receipts.length > 0) {
                staging.writeFully(receiptsCh, f.receipts.bytes, 0, f.receipts.length, -1);
                if (sync) {
                    receiptsCh.force(false);
                }
            }
            file = dir.resolve(LOCKCHAIN);
            if (f.seals.length > 0) {
                staging.writeFully(chainCh, f.seals.bytes, 0, f.seals.length, -1);
                if (sync) {
                    chainCh.force(false);
                }
            }
            file = dir.resolve(CHECKPOINT);
            f.checkpoint.write(checkpointCh, sync);
            if (f.names.length > 0) {
                file = dir.resolve(NAMES);
                staging.writeFully(namesCh, f.names.bytes, 0, f.names.length, -1);
            }
        } catch (IOException e) {
            StoreException se = new StoreException("cannot write " + file + ": " + e.getMessage()
                + " (disk full or not writable?); receipts acknowledged before this are durable, the "
                + f.receiptCount + " in this write are not", e);
            failure = se;
            throw se;
        }
    }

    /** The names file is informational and unforced: a line torn by a crash is cut on open. */
    private static void cutTornLine(FileChannel n) throws IOException {
        long size = n.size();
        long keep = size;
        ByteBuffer one = ByteBuffer.allocate(1);
        while (keep > 0) {
            one.clear();
            n.read(one, keep - 1);
            if (one.get(0) == '\n') {
                break;
            }
            keep--;
        }
        if (keep < size) {
            n.truncate(keep);
        }
        n.position(keep);
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // the new files' directory entries
        } catch (IOException e) {
            // not every platform can open a directory; the files themselves were forced
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // already failing
            }
        }
    }

    /** Closes the files and releases the directory's lock. Flush first: nothing is written here. */
    @Override
    public void close() throws IOException {
        if (dir == null) {
            return;
        }
        try {
            receiptsCh.close();
            chainCh.close();
            checkpointCh.close();
            namesCh.close();
        } finally {
            lock.close();
        }
    }
}
