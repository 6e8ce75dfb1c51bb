package io.github.hotpool.benchmarks.triples;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.triples.Batcher;
import io.github.hotpool.triples.Loader;
import io.github.hotpool.triples.NTriplesParser;
import io.github.hotpool.triples.TripleBatch;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.apache.jena.graph.Triple;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.riot.system.StreamRDFBase;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parsing the schema.org N-Triples file (18,061 triples, 2.37 MB): hotpool's streaming parser
 * (64 KiB chunks, ids for every term, batches of 8 loaded into pooled SoA buffers) against the
 * anchor, Apache Jena RIOT streaming the same bytes into a counting sink.
 *
 * <p>One op is one triple ({@link OperationsPerInvocation}), so the score is ns per triple and
 * {@code -prof gc}'s {@code gc.alloc.rate.norm} is bytes per triple. Goal: 0 B/triple for
 * {@code hotpoolParse} and at least 3x Jena's throughput. {@code hotpoolCanon} parses the same
 * bytes and writes every triple's canonical N-Triples line into a 256 KiB buffer that is emptied
 * (as a writer would flush it) when full; goal 0 B/triple too.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class NTriplesBenchmark {

    /** Triples in the file; setup checks both parsers see exactly this many. */
    static final int TRIPLES = 18_061;
    private static final String FILE = "/io/github/hotpool/data/schemaorg-30.0-all-https.nt";
    private static final int CHUNK = 64 * 1024;

    private byte[] data;
    private BufferPool pool;
    private NTriplesParser parser;
    private Batcher batcher;
    private long checksum;
    private NTriplesParser canonParser;
    private final byte[] canonOut = new byte[256 * 1024];
    private int canonLen;
    private long canonBytes;

    @Setup
    public void setup() throws IOException {
        try (InputStream in = NTriplesBenchmark.class.getResourceAsStream(FILE)) {
            data = in.readAllBytes();
        }
        pool = new BufferPool(new PoolOptions());
        parser = new NTriplesParser();
        batcher = new Batcher(this::load);
        canonParser = new NTriplesParser().canonicalLines(this::write);
        check(hotpoolParse(), "hotpool");
        check(hotpoolCanon(), "hotpool canon");
        check(jenaRiotParse(), "Jena");
    }

    private static void check(long triples, String who) {
        if (triples != TRIPLES) {
            throw new IllegalStateException(who + " parsed " + triples + " triples, expected " + TRIPLES);
        }
    }

    private void load(TripleBatch batch) {
        SoaBuffer buffer = pool.acquire(8);
        Loader.loadInto(batch, buffer);
        checksum += buffer.subject(0);
        pool.release(buffer);
    }

    /** Parse + ids + load into pooled buffers; returns the triple count. */
    @Benchmark
    @OperationsPerInvocation(TRIPLES)
    public long hotpoolParse() {
        parser.reset();
        for (int off = 0; off < data.length; off += CHUNK) {
            parser.feed(data, off, Math.min(CHUNK, data.length - off), batcher);
        }
        parser.finish(batcher);
        batcher.flush();
        return parser.triples() + (checksum & 0); // checksum keeps the loads alive
    }

    /** Parse + canonical N-Triples lines copied to an output buffer; returns the triple count. */
    @Benchmark
    @OperationsPerInvocation(TRIPLES)
    public long hotpoolCanon() {
        canonParser.reset();
        for (int off = 0; off < data.length; off += CHUNK) {
            canonParser.feed(data, off, Math.min(CHUNK, data.length - off), NO_IDS);
        }
        canonParser.finish(NO_IDS);
        return canonParser.triples() + (canonBytes & 0);
    }

    private static final io.github.hotpool.triples.TripleSink NO_IDS = (s, p, o) -> { };

    private void write(byte[] b, int off, int len) {
        if (canonLen + len > canonOut.length) {
            canonBytes += canonLen;
            canonLen = 0;
        }
        System.arraycopy(b, off, canonOut, canonLen, len);
        canonLen += len;
    }

    /** The anchor: Jena RIOT N-Triples into a sink that counts. */
    @Benchmark
    @OperationsPerInvocation(TRIPLES)
    public long jenaRiotParse() {
        Counter counter = new Counter();
        RDFParser.source(new ByteArrayInputStream(data)).lang(Lang.NTRIPLES).parse(counter);
        return counter.count;
    }

    static final class Counter extends StreamRDFBase {
        long count;

        @Override
        public void triple(Triple triple) {
            count++;
        }
    }
}
