package io.github.hotpool.tripleguard;

import io.github.hotpool.pipeline.BadLinePolicy;
import io.github.hotpool.pipeline.GuardHooks;
import io.github.hotpool.pipeline.GuardPipeline;
import io.github.hotpool.pipeline.Pipeline;
import io.github.hotpool.pipeline.PipelineOptions;
import io.github.hotpool.pipeline.LockchainOptions;
import io.github.hotpool.pipeline.ReceiptPipeline;
import io.github.hotpool.pipeline.store.Durability;
import io.github.hotpool.pipeline.store.InputMark;
import io.github.hotpool.pipeline.store.ReceiptStore;
import io.github.hotpool.pipeline.store.StoreVerifier;
import io.vertx.core.buffer.Buffer;
import io.github.hotpool.pipeline.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code run}: streams N-Triples through the pipeline and writes receipts and the lockchain. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Run the pipeline over FILE, stdin (-) or an HTTP listener; with no "
    + "input, over the bundled schema.org data with the bundled example hooks.")
final class RunCommand implements Callable<Integer> {

    static final String BUNDLED_DATA = "/io/github/hotpool/data/schemaorg-30.0-all-https.nt";
    /** The bundled hooks, from hotpool-sample-data: the one copy the tests and benchmarks use too. */
    static final String BUNDLED_HOOKS = "/io/github/hotpool/data/schemaorg-hooks.json";
    /** With --listen, traffic may be sparse: seal a cycle at the latest this long after its first receipt. */
    static final long DEFAULT_LISTEN_IDLE_MILLIS = 30_000;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE|-", description = "N-Triples input; - for stdin")
    String input;

    @Option(names = "--hooks", paramLabel = "HOOKS.json", description = "hook definitions (default: bundled)")
    Path hooks;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "triple-guard-out",
        description = "where receipts.jsonl and lockchain.jsonl go; an existing chain is extended (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--listen", paramLabel = "PORT", description = "also accept N-Triples bodies by HTTP POST on PORT "
        + "(0: any free port); without FILE, run until interrupted")
    Integer listen;

    @Option(names = "--tcp", paramLabel = "PORT", description = "also accept N-Triples over TCP on PORT (0: any free "
        + "port), one input per connection, ended by a line holding the byte 0x04; without FILE, run until interrupted")
    Integer tcp;

    @Option(names = "--idle-timeout-seconds", paramLabel = "S", description = "close an HTTP or TCP connection whose "
        + "peer sends nothing for S seconds, 1.." + MAX_IDLE_TIMEOUT_SECONDS + " (default 30)")
    Integer idleTimeoutSeconds;

    @Option(names = "--max-connections", paramLabel = "N", description = "HTTP and TCP connections open at once, 1.."
        + MAX_CONNECTIONS + "; more are refused (default 256)")
    Integer maxConnections;

    @Option(names = "--metrics-port", paramLabel = "PORT", description = "serve Prometheus metrics on http://127.0.0.1:PORT/metrics")
    Integer metricsPort;

    @Option(names = "--bad-lines", defaultValue = "SKIP", description = "SKIP (report and go on) or FAIL (stop the input)")
    BadLinePolicy badLines;

    @Option(names = "--cycle-receipts", defaultValue = "1024", description = "receipts per lockchain cycle (default ${DEFAULT-VALUE})")
    int cycleReceipts;

    @Option(names = "--max-line-length", paramLabel = "N", description = "longest accepted line in bytes, 16.."
        + CheckCommand.MAX_LINE_LENGTH + " (default " + PipelineOptions.DEFAULT_MAX_LINE_LENGTH + "; a longer line is a "
        + "bad line; check and canon default to 65536)")
    Integer maxLineLength;

    @Option(names = "--cycle-idle-millis", paramLabel = "MS", description = "seal an open lockchain cycle once its "
        + "oldest receipt is MS old (0: only when full or at the end; default 30000 with --listen or --tcp, else 0)")
    Long cycleIdleMillis;

    @Option(names = "--durability", paramLabel = "fsync|batch|none", defaultValue = "batch",
        converter = DurabilityConverter.class,
        description = "when receipts are forced to disk, and so when input counts as done: fsync (every flush), "
            + "batch (group commit, default), none (never forced: unsafe on power loss)")
    Durability durability;

    @Option(names = "--fresh", description = "start a new chain: refuse an --out that already holds one "
        + "(without it, a run over the same file resumes after what is chained, and other input extends the chain)")
    boolean fresh;

    @Option(names = "--progress", defaultValue = "auto", description = "auto (on a terminal only), always or never")
    String progress;

    @Option(names = "--engine", paramLabel = "ring|handles", description = "ring (the default, for every input: "
        + "FILE, stdin, the bundled data, --listen and --tcp): rows of a Δ-ring travel the stages as spans; "
        + "handles: one pooled buffer per event-bus message (FILE, stdin and the bundled data only)")
    String engine;

    @Option(names = "--event-loops", paramLabel = "N", description = "event-loop threads, 1.." + MAX_EVENT_LOOPS
        + " (default: Vert.x's, 2 x cores); 1 runs every stage on one thread, with no cross-thread hand-offs")
    Integer eventLoops;

    @Option(names = "--cluster", description = "run on the Hotpool cluster: the stages that 'triple-guard node' "
        + "processes host run there, the others here (see docs/cluster.md)")
    boolean clusterMode;

    @CommandLine.Mixin
    ClusterFlags cluster;

    static final int MAX_EVENT_LOOPS = 1024;
    static final int MAX_IDLE_TIMEOUT_SECONDS = 86_400;
    static final int MAX_CONNECTIONS = 1 << 16;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The hooks as decoded once from --hooks or the bundled file; set by {@link #options()}. */
    private JsonArray hookArray;
    /** {@link GuardHooks#identity} of {@link #hookArray}: what a resumable input is chained under. */
    private String hooksIdentity;
    /** Set when the input was chained under other hooks: the run chains nothing and exits 2. */
    private boolean otherHooks;

    private final CountDownLatch finished = new CountDownLatch(1);
    /** Says what a signal left behind, for a run that is not listening; removed when the run ends. */
    private Thread stoppedNote;
    /** The run's exit code, for a listener stopped by a signal (the JVM would otherwise exit 143). */
    private volatile int exitCode = TripleGuard.BAD;

    @Override
    public Integer call() throws Exception {
        try {
            exitCode = runPipeline();
            return exitCode;
        } finally {
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().flush();
            finished.countDown();
            if (stoppedNote != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(stoppedNote);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is exiting already: the note finds the run finished and says nothing
                }
            }
        }
    }

    /** Reads {@code --durability} in any case. */
    static final class DurabilityConverter implements CommandLine.ITypeConverter<Durability> {
        @Override
        public Durability convert(String value) {
            try {
                return Durability.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** How long a listener's shutdown lets open requests finish. */
    static final long DRAIN_MILLIS = 10_000;

    private int runPipeline() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // usage errors first, before anything is created in --out
        if (input != null && !"-".equals(input)) {
            InputCheck.requireFile(spec.commandLine(), "FILE", Path.of(input));
            if (!Files.isRegularFile(Path.of(input))) {
                // a file is read by offset (and resumed by its identity); a pipe or device has neither
                throw new CommandLine.ParameterException(spec.commandLine(), "FILE " + input + " is not a regular "
                    + "file (a pipe or a device): give it on stdin instead, as run - < " + input);
            }
        }
        if (Files.exists(this.out) && !Files.isDirectory(this.out)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out " + this.out + " is not a directory");
        }
        if (fresh && Files.isDirectory(this.out) && StoreVerifier.holdsChain(this.out)
            && Files.size(this.out.resolve(ReceiptStore.LOCKCHAIN)) > 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--fresh: " + this.out + " already holds a "
                + "chain; give another --out, or remove it first");
        }
        if (clusterMode) {
            return ClusterRunner.run(this, spec.commandLine());
        }
        if (cluster.config != null || cluster.members != null || cluster.host != null || cluster.port != null
            || cluster.busPort != null || cluster.name != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--cluster-* flags need --cluster");
        }
        PipelineOptions options = options();
        InputCheck.requireFreePorts(spec.commandLine(), "--listen", listen, "--tcp", tcp, "--metrics-port", metricsPort);
        boolean showBar = showProgress(); // usage errors before anything starts
        VertxOptions vertxOptions = vertxOptions();
        Vertx vertx = metricsPort == null ? Vertx.vertx(vertxOptions) : Metrics.vertx(vertxOptions, metricsPort);
        long started = System.nanoTime();
        boolean useRing = useRing();
        Engine p;
        Pipeline handles = null;
        GuardPipeline ring = null;
        try {
            if (useRing) {
                ring = await(GuardPipeline.deploy(vertx, options));
                p = Engine.of(ring);
            } else {
                handles = await(Pipeline.deploy(vertx, options));
                p = Engine.of(handles);
            }
        } catch (Exception e) {
            await(vertx.close());
            Throwable root = root(e);
            if (root instanceof java.net.BindException) {
                // taken since requireFreePorts looked: a listener, not the output directory
                err.println("triple-guard: cannot listen on --listen / --tcp port: " + root.getMessage());
                return TripleGuard.USAGE;
            }
            if (root instanceof IOException && !(root instanceof StoreException)) {
                // opening --out failed in the file system (no permission, a file where a directory
                // belongs, ...): the output directory cannot be used, exit 4 as for the store's own refusals
                err.println("triple-guard: cannot use the output directory " + this.out + ": " + InputCheck.ioReason((IOException) root));
                return TripleGuard.OUTPUT;
            }
            err.println("triple-guard: cannot start the pipeline: " + root.getMessage());
            return root instanceof StoreException ? TripleGuard.OUTPUT : TripleGuard.BAD;
        }
        ReceiptPipeline pipeline = p.pipeline();
        String recovered = pipeline.recovery() == null ? null : pipeline.recovery().describe();
        if (recovered != null) {
            err.println("triple-guard: " + this.out + ": " + recovered);
        }
        InputMark identity = identity();
        InputMark start = startOf(pipeline.recovery(), identity, err);
        boolean nothingToDo = identity != null && start == null;
        if (metricsPort != null && !(handles != null ? Metrics.bind(handles) : Metrics.bind(ring))) {
            err.println("triple-guard: metrics backend not initialised, Hotpool meters not bound");
        }
        Progress bar = Progress.start(vertx, p, inputSize(), err, showBar);
        // a file, stdin or the bundled data stopped by a signal (the listeners have a drain of their
        // own): the JVM exits at once with the signal's code; say what that leaves behind
        stoppedNote = listening() ? null : new Thread(() -> {
            if (finished.getCount() > 0) {
                err.println("triple-guard: stopped by a signal before the run finished: what was acknowledged is "
                    + "durable in " + this.out + " ('verify' checks it); run the same command again to go on "
                    + (input == null || !"-".equals(input) ? "where it stopped" : "(stdin starts over)"));
                err.flush();
            }
        }, "triple-guard-stopped-note");
        if (stoppedNote != null) {
            Runtime.getRuntime().addShutdownHook(stoppedNote);
        }
        String failure = null;
        try {
            failure = nothingToDo ? null : feed(p, handles, ring, out, start);
        } finally {
            bar.stop();
        }
        JsonObject chain;
        try {
            // listening without input (stopped by a signal): stop taking input, let open inputs end
            // within the drain time (then cut them), and seal what is chained
            GuardPipeline r = ring;
            chain = await(listening() && input == null
                ? r.stopIntake(DRAIN_MILLIS).transform(x -> r.flush()) : pipeline.flush());
        } catch (Exception e) {
            chain = null; // the store failed: failure() says why
        }
        Engine.Counts stats = p.counts().get();
        String storeFailure = pipeline.failure();
        await(pipeline.undeploy());
        await(vertx.close());
        // one cause may reach all three (a full disk fails the flush, the input and the store): said once
        java.util.List<String> said = new java.util.ArrayList<>();
        for (String e : stats.recentErrors()) {
            err.println(e); // each bad line or error once already
            said.add(e);
        }
        if (failure != null && novel(said, failure)) {
            err.println("triple-guard: " + failure);
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        if (storeFailure != null || chain == null) {
            String cause = storeFailure != null ? storeFailure : "the receipt store failed";
            if (novel(said, cause)) {
                err.println("triple-guard: " + cause);
            }
            out.println("run: triples=" + stats.triples() + " batches=" + stats.batches() + " failed=" + stats.failed()
                + " ms=" + ms);
            out.println("chain: output failed: run 'verify' on " + this.out);
            return TripleGuard.OUTPUT;
        }
        out.println(Summary.run(stats, ms));
        out.println(Summary.chain(chain, pipeline.recovery(), this.out));
        if (otherHooks) {
            return TripleGuard.USAGE;
        }
        String note = Summary.noHookMatched(stats, hookArray);
        if (note != null) {
            out.println(note);
        }
        return failure == null && stats.failed() == 0 && stats.badLines() == 0 ? 0 : TripleGuard.BAD;
    }

    /**
     * Whether {@code message} says something not said yet: not one of {@code said}, and neither
     * contained in one nor containing one (a failure wrapped with its input's name is the same
     * cause). Records it when it is new.
     */
    private static boolean novel(java.util.List<String> said, String message) {
        String m = message.startsWith("triple-guard: ") ? message.substring("triple-guard: ".length()) : message;
        for (String s : said) {
            if (s.contains(m) || m.contains(s)) {
                return false;
            }
        }
        said.add(m);
        return true;
    }

    /** Whether this run goes through the ring pipeline: every input, unless --engine handles says otherwise. */
    private boolean useRing() {
        if (engine == null) {
            return true;
        }
        switch (engine.toLowerCase(java.util.Locale.ROOT)) {
            case "ring":
                return true;
            case "handles":
                if (listening()) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--engine handles reads FILE, stdin "
                        + "or the bundled data; --listen and --tcp run on --engine ring");
                }
                return false;
            default:
                throw new CommandLine.ParameterException(spec.commandLine(), "--engine " + engine
                    + " is not one of ring, handles");
        }
    }

    /** The input's size in bytes for the progress bar, or -1 when unknown (stdin, listeners). */
    private long inputSize() throws IOException {
        if (input == null) {
            return listening() ? -1 : bundledData().length;
        }
        return "-".equals(input) ? -1 : Files.size(Path.of(input));
    }

    /** The pipeline options the flags ask for; usage errors as ParameterException (exit 2). */
    PipelineOptions options() throws IOException {
        if (hooks != null) {
            InputCheck.requireFile(spec.commandLine(), "--hooks", hooks);
        }
        String hooksJson = hooks == null ? bundled(BUNDLED_HOOKS) : Files.readString(hooks);
        JsonArray hookArray;
        try {
            hookArray = GuardHooks.decode(hooksJson);
            GuardHooks.parse(hookArray); // a bad hook is a usage error, found before --out is touched
        } catch (RuntimeException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--hooks " + hooks + ": " + e.getMessage());
        }
        this.hookArray = hookArray;
        this.hooksIdentity = GuardHooks.identity(GuardHooks.parse(hookArray));
        InputCheck.requireRange(spec.commandLine(), "--cycle-receipts", cycleReceipts, 1, ReceiptStore.MAX_CYCLE_RECEIPTS);
        if (metricsPort != null) {
            InputCheck.requireRange(spec.commandLine(), "--metrics-port", metricsPort, 1, 65535);
        }
        if (maxLineLength != null) {
            InputCheck.requireRange(spec.commandLine(), "--max-line-length", maxLineLength, 16, CheckCommand.MAX_LINE_LENGTH);
        }
        PipelineOptions o = new PipelineOptions().setHooks(hookArray).setBadLinePolicy(badLines)
            .setLockchain(new LockchainOptions().setOutDir(out.toString()).setCycleReceipts(cycleReceipts)
                .setDurability(durability));
        long idle = cycleIdleMillis != null ? cycleIdleMillis : listening() ? DEFAULT_LISTEN_IDLE_MILLIS : 0;
        if (idle < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--cycle-idle-millis " + idle + " is below 0");
        }
        o.getLockchain().setCycleIdleMillis(idle);
        if (maxLineLength != null) {
            o.setMaxLineLength(maxLineLength);
        }
        if (idleTimeoutSeconds != null) {
            requireRange("--idle-timeout-seconds", idleTimeoutSeconds, 1, MAX_IDLE_TIMEOUT_SECONDS);
            o.getListeners().setIdleTimeoutMillis(idleTimeoutSeconds * 1000L);
        }
        if (maxConnections != null) {
            requireRange("--max-connections", maxConnections, 1, MAX_CONNECTIONS);
            o.getListeners().setMaxConnections(maxConnections);
        }
        if (tcp != null) {
            requireRange("--tcp", tcp, 0, 65535);
            o.getListeners().setTcpPort(tcp);
        }
        if (listen != null) {
            requireRange("--listen", listen, 0, 65535);
            o.getListeners().setHttpPort(listen);
        } else if ("-".equals(input) && handlesEngine()) {
            // the handle pipeline reads stdin over a loopback HTTP port, with TCP back-pressure (the ring reads it directly)
            o.getListeners().setHttpPort(0);
            if (tcp == null) {
                // Only this process posts to that port. Cut batches by content alone, so that the
                // head is the same on every run over the same data however stdin trickles in, and
                // let a slow stdin pause as long as it likes unless a timeout was asked for.
                o.getListeners().setBatchLingerMillis(0);
                if (idleTimeoutSeconds == null) {
                    o.getListeners().setIdleTimeoutMillis(0);
                }
            }
        }
        return o;
    }

    private boolean handlesEngine() {
        return engine != null && "handles".equalsIgnoreCase(engine);
    }

    private boolean listening() {
        return listen != null || tcp != null;
    }

    private void requireRange(String flag, long value, long min, long max) {
        InputCheck.requireRange(spec.commandLine(), flag, value, min, max);
    }

    /** Feeds the input; returns null or why the input failed. */
    private String feed(Engine p, Pipeline handles, GuardPipeline ring, PrintWriter out, InputMark start)
            throws Exception {
        if ("-".equals(input) && ring != null) {
            try {
                await(ring.ingest(System.in, "stdin"));
                return null;
            } catch (Exception e) {
                return rootMessage(e);
            }
        }
        if (input != null && !"-".equals(input)) {
            try {
                await(p.pipeline().ingestFile(Path.of(input).toAbsolutePath().toString(), start));
                return null;
            } catch (Exception e) {
                return rootMessage(e);
            }
        }
        if (input == null && !listening()) {
            try {
                await(p.pipeline().ingest(Buffer.buffer(bundledData()), BUNDLED_NAME, start));
                return null;
            } catch (Exception e) {
                return rootMessage(e);
            }
        }
        if (input == null && listening()) {
            String host = ring.options().getListeners().getHost();
            if (listen != null) {
                out.println("listening on http://" + host + ":" + ring.httpPort()
                    + "/ (POST N-Triples bodies); Ctrl-C to stop");
            }
            if (tcp != null) {
                out.println("listening on tcp://" + host + ":" + ring.tcpPort()
                    + " (N-Triples, end each input with a line holding the byte 0x04); Ctrl-C to stop");
            }
            out.flush();
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.countDown();
                try {
                    // hold the JVM until intake stopped, the chain is sealed and the summary is out,
                    // then exit with the run's own code rather than the signal's 143
                    if (finished.await(DRAIN_MILLIS + 30_000, TimeUnit.MILLISECONDS)) {
                        Runtime.getRuntime().halt(exitCode);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            stop.await();
            return null;
        }
        // --engine handles, stdin: posted to the handle pipeline's own loopback listener
        InputStream body = System.in;
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + handles.httpPort() + "/"))
            .header("content-type", "application/n-triples").header("x-hotpool-source", "stdin")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build();
        HttpResponse<String> resp = client.send(req, HttpResponse.BodyHandlers.ofString());
        return resp.statusCode() == 200 ? null : resp.body().trim();
    }

    private VertxOptions vertxOptions() {
        VertxOptions o = new VertxOptions();
        if (eventLoops != null) {
            requireRange("--event-loops", eventLoops, 1, MAX_EVENT_LOOPS);
            o.setEventLoopPoolSize(eventLoops);
        }
        return o;
    }

    private boolean showProgress() {
        try {
            return Progress.show(progress, System.console() != null);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    static final String BUNDLED_NAME = "schemaorg-30.0-all-https.nt (bundled)";

    private static byte[] bundledBytes;

    static byte[] bundledBytes() throws IOException {
        return bundledData();
    }

    static Throwable rootOf(Throwable t) {
        return root(t);
    }

    private static synchronized byte[] bundledData() throws IOException {
        if (bundledBytes == null) {
            try (InputStream in = RunCommand.class.getResourceAsStream(BUNDLED_DATA)) {
                if (in == null) {
                    throw new IOException("bundled resource " + BUNDLED_DATA + " missing from the jar");
                }
                bundledBytes = in.readAllBytes();
            }
        }
        return bundledBytes;
    }

    /** Bytes of an input's start hashed into its identity: a changed file is a new input. */
    static final int IDENTITY_BYTES = 1 << 20;

    /**
     * The identity a resumable input is recorded under (a file by absolute path, size and a
     * SHA-256 of its first MiB; the bundled data likewise), or null for stdin and listeners.
     */
    private InputMark identity() throws IOException {
        if (input == null && !listening()) {
            byte[] data = bundledData();
            return InputMark.start("bundled:" + BUNDLED_DATA, data.length, digest(data, Math.min(data.length, IDENTITY_BYTES)))
                .withHooks(hooksIdentity);
        }
        if (input == null || "-".equals(input) || !Files.isRegularFile(Path.of(input))) {
            return null;
        }
        Path file = Path.of(input).toAbsolutePath();
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(IDENTITY_BYTES);
        }
        return InputMark.start(file.toString(), Files.size(file), digest(head, head.length)).withHooks(hooksIdentity);
    }

    private static String digest(byte[] b, int n) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(b, 0, n);
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK must provide SHA-256", e);
        }
    }

    /**
     * Where this run starts: resuming the same input after what the directory already chained,
     * nothing at all when that input was chained completely (null), or from the start.
     */
    private InputMark startOf(ReceiptStore.Recovery rec, InputMark identity, PrintWriter err) {
        InputMark last = rec == null ? null : rec.lastInput();
        String what = input == null ? "the bundled data" : input;
        if (identity != null && identity.sameInput(last)) {
            if (identity.otherHooksThan(last)) {
                // resuming would chain one input under two hook sets, and a complete input would
                // silently not be evaluated with these hooks at all
                err.println("triple-guard: " + what + " is " + (last.complete() ? "chained completely" : "partly chained")
                    + " in " + out + " under other hooks (identity " + abbrev(last.hooks()) + ", these hooks "
                    + abbrev(identity.hooks()) + "): nothing chained; give the hooks it was chained with, or another "
                    + "--out to chain it under these");
                otherHooks = true;
                return null;
            }
            if (last.complete()) {
                err.println("triple-guard: " + what + " is already chained completely in " + out + " (" + rec.receipts()
                    + " receipts, " + rec.cycles() + " cycles): nothing to do; give another --out to chain it again");
                return null;
            }
            err.println("triple-guard: resuming " + what + " at line " + (last.line() + 1) + " (byte " + last.offset()
                + "): the lines before it are already chained in " + out);
            return last.withHooks(identity.hooks()); // a mark from before hooks were recorded records them from now on
        }
        if (rec != null && !rec.created() && rec.receipts() > 0) {
            err.println("triple-guard: extending the chain in " + out + " (" + rec.receipts() + " receipts, "
                + rec.cycles() + " cycles) with " + what);
        }
        return identity;
    }

    /** A hooks identity's first 12 hex digits, enough to tell two apart in a message. */
    private static String abbrev(String identity) {
        return identity.length() > 12 ? identity.substring(0, 12) + "..." : identity;
    }

    static String bundled(String resource) throws IOException {
        try (InputStream in = RunCommand.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("bundled resource " + resource + " missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Vert.x's own blocking wait, on the command's thread (never an event loop, where
     * {@code Future.await} throws): the result, or the future's failure thrown as it is.
     */
    static <T> T await(Future<T> f) throws Exception {
        return f.await(1, TimeUnit.HOURS);
    }

    private static String rootMessage(Throwable t) {
        return root(t).getMessage();
    }

    private static Throwable root(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
