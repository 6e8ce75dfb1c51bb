package io.github.hotpool.tripleguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.pipeline.store.ReceiptStore;
import io.github.hotpool.pipeline.store.StoreVerifier;
import io.github.hotpool.triples.TermIds;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real {@code triple-guard run --listen} JVM with {@code kill -9} at random moments while
 * a client POSTs documents, restarts it into the same directory each time, and checks after every
 * kill that the chain verifies, and at the end that every document answered 200 before a kill is
 * in the chain exactly once and no document twice.
 */
class CrashRecoveryTest {

    /*
     * Document n is 8 triples <http://ex/dN/i> <http://ex/p> <http://ex/o>: one batch, one run,
     * and the hook below fires on it once, so its receipt lists the 8 subject ids of document n.
     * A document may be durable without its 200 (the kill came between the flush and the answer):
     * it then counts at most once; a 200 means durable, so it must be there exactly once.
     */

    static final int KILLS = Integer.getInteger("hotpool.crash.kills", 50);
    static final String HOOKS = "{\"hooks\":[{\"name\":\"marked\",\"op\":\"ASK_OP\",\"predicate\":\"<http://ex/p>\","
        + "\"object\":\"<http://ex/o>\"}]}";
    static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");
    static final Pattern HEAD = Pattern.compile("head=([0-9a-f]{64})");

    @TempDir
    Path dir;
    final List<Process> children = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        children.forEach(Process::destroyForcibly);
    }

    record Child(Process process, int port, StringBuffer out, Thread reader) {
    }

    Child start(Path out, Path hooks) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
            TripleGuard.class.getName(), "run", "--listen", "0", "--out", out.toString(), "--hooks", hooks.toString(),
            "--cycle-receipts", "16", "--progress", "never").redirectErrorStream(true);
        Process p = pb.start();
        children.add(p);
        StringBuffer text = new StringBuffer();
        AtomicInteger port = new AtomicInteger(-1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    text.append(line).append('\n');
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.set(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                // the child died: its output ends here
            }
        });
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (port.get() < 0) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new AssertionError("child did not start listening within 30 s (alive=" + p.isAlive()
                    + "):\n" + text);
            }
            Thread.sleep(10);
        }
        return new Child(p, port.get(), text, reader);
    }

    static String doc(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            sb.append("<http://ex/d").append(n).append('/').append(i).append("> <http://ex/p> <http://ex/o> .\n");
        }
        return sb.toString();
    }

    static void kill9(Process p) throws Exception {
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(p.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).as("kill -9 returned").isTrue();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("child %d died after kill -9", p.pid()).isTrue();
    }

    @Test
    @Timeout(value = 600)
    void killNineAtRandomMoments_restartsVerify_andEveryAnsweredDocumentIsChainedExactlyOnce() throws Exception {
        long seed = Long.getLong("hotpool.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        String replay = " (seed " + seed + ", replay with -Dhotpool.seed=" + seed + ")";
        Path out = dir.resolve("out");
        Path hooks = Files.writeString(dir.resolve("hooks.json"), HOOKS);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<Integer, Boolean> answered = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger cut = new AtomicInteger(); // requests a kill cut off before their answer

        for (int kill = 0; kill < KILLS; kill++) {
            Child child = start(out, hooks);
            AtomicBoolean stop = new AtomicBoolean();
            Thread client = new Thread(() -> {
                while (!stop.get()) {
                    int n = next.getAndIncrement();
                    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + child.port() + "/"))
                        .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(doc(n))).build();
                    try {
                        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
                        if (resp.statusCode() == 200) {
                            answered.put(n, Boolean.TRUE);
                        }
                    } catch (IOException | InterruptedException e) {
                        cut.incrementAndGet();
                        return; // the child died under this request: not answered
                    }
                }
            });
            client.start();
            Thread.sleep(random.nextInt(50, 800)); // a fresh JVM answers its first request in a few hundred ms
            kill9(child.process());
            stop.set(true);
            client.join(30_000);
            assertThat(client.isAlive()).as("client stopped after the kill").isFalse();
            StoreVerifier.Verdict v = StoreVerifier.verify(out, null);
            assertThat(v.ok()).as("verify after kill %d%s: %s", kill + 1, replay, v.reason()).isTrue();
        }

        // a last, clean run: SIGTERM drains and seals; its printed head anchors the whole chain
        Child last = start(out, hooks);
        int n = next.getAndIncrement();
        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + last.port() + "/"))
            .POST(HttpRequest.BodyPublishers.ofString(doc(n))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).isEqualTo(200);
        answered.put(n, Boolean.TRUE);
        Process term = new ProcessBuilder("kill", "-TERM", Long.toString(last.process().pid())).inheritIO().start();
        assertThat(term.waitFor(10, TimeUnit.SECONDS)).isTrue(); // SIGTERM: the shutdown hook drains and seals
        assertThat(last.process().waitFor(60, TimeUnit.SECONDS)).as("clean stop").isTrue();
        last.reader().join(10_000); // its last lines
        assertThat(last.process().exitValue()).as("exit code of the clean stop:\n%s", last.out()).isZero();
        Matcher head = HEAD.matcher(last.out());
        assertThat(head.find()).as("summary line in:\n%s", last.out()).isTrue();
        StoreVerifier.Verdict v = StoreVerifier.verify(out, HexFormat.of().parseHex(head.group(1)));
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.exitCode(true)).as("anchored at its last cycle, nothing unsealed" + replay).isZero();

        Map<String, Integer> docOfSubject = new HashMap<>();
        for (int d = 0; d < next.get(); d++) {
            docOfSubject.put(HexFormat.of().toHexDigits(TermIds.of("<http://ex/d" + d + "/0>")), d);
        }
        int[] chained = new int[next.get()];
        for (String line : Files.readAllLines(out.resolve(ReceiptStore.RECEIPTS))) {
            JsonArray subjects = new JsonObject(line).getJsonArray("subjects");
            assertThat(subjects).as("a fired receipt lists its subjects: %s", line).isNotNull();
            Integer d = docOfSubject.get(subjects.getString(0));
            assertThat(d).as("receipt of a document this test sent: %s", line).isNotNull();
            chained[d]++;
        }
        for (int d = 0; d < chained.length; d++) {
            assertThat(chained[d]).as("document %d chained at most once%s", d, replay).isLessThanOrEqualTo(1);
            if (answered.containsKey(d)) {
                assertThat(chained[d]).as("document %d was answered 200, so it is chained%s", d, replay).isEqualTo(1);
            }
        }
        assertThat(answered.size()).as("documents answered across %d kills", KILLS).isPositive();
        assertThat(cut.get()).as("kills that cut a request off mid-flight").isPositive();
        System.out.println("CrashRecoveryTest: " + KILLS + " kills, " + cut.get() + " of them mid-request, "
            + answered.size() + " of " + next.get() + " documents answered" + replay);
    }

    static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * A receipt's fields but its lockchain cycle: batch numbers ({@code cycle}, and the {@code spanId}
     * derived from them) included, since a resumed run numbers on from the checkpoint's {@code batches}.
     */
    static String content(String line) {
        JsonObject j = new JsonObject(line);
        return j.getLong("cycle") + " " + j.getString("spanId") + " " + j.getString("hook") + " " + j.getInteger("lanes") + " " + j.getInteger("flags") + " " + j.getString("aHash")
            + " " + j.getString("result") + " " + j.getJsonArray("subjects");
    }

    static java.util.TreeMap<String, Integer> contents(Path out) throws IOException {
        java.util.TreeMap<String, Integer> m = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(out.resolve(ReceiptStore.RECEIPTS))) {
            m.merge(content(line), 1, Integer::sum);
        }
        return m;
    }

    /**
     * A file run killed with kill -9 and started again with the same command resumes after what
     * its checkpoint says is chained: in the end the chain holds exactly the receipts of one
     * uninterrupted run over the file, none twice.
     */
    @Test
    @Timeout(value = 300)
    void fileRunKilledAndRestarted_resumes_andChainsEveryReceiptExactlyOnce() throws Exception {
        long seed = Long.getLong("hotpool.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        String replay = " (seed " + seed + ", replay with -Dhotpool.seed=" + seed + ")";
        StringBuilder big = new StringBuilder();
        String data = new String(RunCommand.bundled(RunCommand.BUNDLED_DATA).getBytes(StandardCharsets.UTF_8),
            StandardCharsets.UTF_8);
        for (int i = 0; i < 30; i++) { // 541,830 triples: enough work left for 10 kills mid-run
            big.append(data.replace("<https://schema.org/", "<https://schema.org/c" + i + "/"));
        }
        Path file = Files.writeString(dir.resolve("big.nt"), big);
        Path reference = dir.resolve("reference");
        TripleGuardTest.Result ref = TripleGuardTest.cli("run", file.toString(), "--out", reference.toString(),
            "--progress", "never");
        assertThat(ref.code()).as(ref.err()).isZero();

        Path out = dir.resolve("out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int kills = 0;
        int resumes = 0;
        for (int attempt = 0; attempt < 60; attempt++) {
            Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                TripleGuard.class.getName(), "run", file.toString(), "--out", out.toString(), "--progress", "never")
                .redirectErrorStream(true).start();
            children.add(p);
            StringBuffer text = new StringBuffer();
            Thread reader = new Thread(() -> {
                try {
                    text.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // died
                }
            });
            reader.start();
            boolean exited;
            if (kills < 10) {
                // kill mid-work: once this run has added receipts, after a random moment more
                long before = Files.exists(out.resolve(ReceiptStore.RECEIPTS)) ? Files.size(out.resolve(ReceiptStore.RECEIPTS)) : 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (p.isAlive() && size(out.resolve(ReceiptStore.RECEIPTS)) <= before) {
                    assertThat(System.nanoTime()).as("run %d makes progress within 60 s", attempt).isLessThan(deadline);
                    Thread.sleep(5);
                }
                exited = p.waitFor(random.nextInt(0, 150), TimeUnit.MILLISECONDS);
            } else {
                exited = p.waitFor(120, TimeUnit.SECONDS);
            }
            if (!exited) {
                if (kills == 0) {
                    // the first stop is a SIGTERM (systemctl stop, Ctrl-C): the run says what it leaves
                    Process term = new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).inheritIO().start();
                    assertThat(term.waitFor(10, TimeUnit.SECONDS) && term.exitValue() == 0).as("kill -TERM").isTrue();
                    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the run exits on SIGTERM").isTrue();
                    reader.join(10_000);
                    assertThat(text.toString()).as("after SIGTERM").contains("stopped by a signal before the run finished")
                        .contains("run the same command again to go on where it stopped");
                } else {
                    kill9(p);
                }
                kills++;
                reader.join(10_000);
                StoreVerifier.Verdict v = StoreVerifier.verify(out, null);
                assertThat(v.ok()).as("verify after kill %d%s: %s", kills, replay, v.reason()).isTrue();
                continue;
            }
            reader.join(10_000);
            assertThat(p.exitValue()).as("run after %d kills:%n%s", kills, text).isZero();
            if (text.indexOf("resuming ") >= 0) {
                resumes++;
            }
            break;
        }
        assertThat(kills).as("kills before the run could finish" + replay).isGreaterThanOrEqualTo(10);
        assertThat(resumes).as("the finishing run resumed").isEqualTo(1);
        StoreVerifier.Verdict v = StoreVerifier.verify(out, null);
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(contents(out)).as("receipts of the killed-and-resumed run vs one clean run" + replay)
            .isEqualTo(contents(reference));
    }
}
