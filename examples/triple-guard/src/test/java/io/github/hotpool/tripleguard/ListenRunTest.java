package io.github.hotpool.tripleguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.pipeline.store.StoreVerifier;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code triple-guard run --listen 0 --tcp 0} JVM on the ring pipeline: inputs over HTTP and
 * TCP (CR LF, lone CR, the end line), a connection held open mid-input, SIGTERM: the held input is
 * cut after the drain time (its whole line was chained after the linger, its half line is not), the
 * others are chained, the summary's head verifies.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ListenRunTest {

    static final Pattern HTTP = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");
    static final Pattern TCP = Pattern.compile("listening on tcp://127\\.0\\.0\\.1:(\\d+) ");
    static final Pattern HEAD = Pattern.compile("head=([0-9a-f]{64})");
    static final String LINE = "<http://ex/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        + "<http://www.w3.org/2000/01/rdf-schema#Class> .";

    @TempDir
    Path dir;
    final List<Process> children = new ArrayList<>();
    final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void cleanUp() throws IOException {
        children.forEach(Process::destroyForcibly);
        for (Socket s : sockets) {
            s.close();
        }
    }

    @Test
    void httpAndTcpInputs_aHeldConnection_sigterm_cutsTheHeldInput_chainsTheRest_andTheHeadVerifies() throws Exception {
        Path out = dir.resolve("out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
            TripleGuard.class.getName(), "run", "--listen", "0", "--tcp", "0", "--out", out.toString(),
            "--progress", "never").redirectErrorStream(true).start();
        children.add(p);
        StringBuffer text = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    text.append(line).append('\n');
                }
            } catch (IOException e) {
                // the child ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        int httpPort = port(HTTP, text, p);
        int tcpPort = port(TCP, text, p);

        Socket held = new Socket("127.0.0.1", tcpPort);
        held.setSoTimeout(30_000);
        sockets.add(held);
        held.getOutputStream().write((LINE + "\n" + LINE.substring(0, 20)).getBytes(StandardCharsets.UTF_8));
        held.getOutputStream().flush();

        HttpResponse<String> resp = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/")).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString((LINE + "\r\n").repeat(10))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        assertThat(new JsonObject(resp.body()).getLong("triples")).isEqualTo(10);

        String tcpReply;
        try (Socket s = new Socket("127.0.0.1", tcpPort)) {
            s.setSoTimeout(20_000);
            OutputStream os = s.getOutputStream();
            os.write(((LINE + "\r").repeat(9) + "\u0004\n").getBytes(StandardCharsets.UTF_8));
            os.flush();
            tcpReply = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
        assertThat(new JsonObject(tcpReply).getLong("triples")).as(tcpReply).isEqualTo(9);

        long start = System.nanoTime();
        Process term = new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).inheritIO().start();
        assertThat(term.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String heldReply = new BufferedReader(new InputStreamReader(held.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("stopped").isTrue();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        reader.join(10_000);

        assertThat(heldReply).as("the held input's answer").contains("listener stopped");
        assertThat(millis).as("the held connection delays the stop by the drain time at most")
            .isLessThan(RunCommand.DRAIN_MILLIS + 20_000);
        // the held input's whole line went into a row after the linger; its half line was cut
        assertThat(text.toString()).contains("run: triples=20 ").contains("listener stopped: input not ended within the drain time");
        // as on the handle pipeline: a cut network input leaves no failed row and no bad line, so no failure exit
        assertThat(p.exitValue()).as(text.toString()).isZero();
        Matcher head = HEAD.matcher(text);
        assertThat(head.find()).as(text.toString()).isTrue();
        StoreVerifier.Verdict v = StoreVerifier.verify(out, HexFormat.of().parseHex(head.group(1)));
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(Files.readAllLines(out.resolve("receipts.jsonl"))).isNotEmpty();
    }

    static int port(Pattern p, StringBuffer text, Process child) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Matcher m = p.matcher(text);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!child.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("no '" + p + "' within 30 s (alive=" + child.isAlive() + "):\n" + text);
            }
            Thread.sleep(10);
        }
    }
}
