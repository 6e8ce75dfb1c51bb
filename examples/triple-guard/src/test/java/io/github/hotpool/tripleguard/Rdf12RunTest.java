package io.github.hotpool.tripleguard;

import static io.github.hotpool.tripleguard.TripleGuardTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.triples.TermIds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** RDF 1.2 input end to end: {@code check} accepts it, {@code run} fires a hook whose object is a triple term. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Rdf12RunTest {

    private static final String REIFIES = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies>";
    /** The hook names its triple term in another spelling than the data: ids are of the canonical form. */
    private static final String HOOKS = "{\"hooks\": [{\"name\": \"reifies-claim\", \"op\": \"ASK_OP\", \"predicate\": \""
        + REIFIES.replace("\"", "\\\"") + "\", \"object\": \"<<(<http://ex/alice> <http://ex/says>\\t\\\"hi\\\"@EN--ltr)>>\"}]}";

    @TempDir
    Path dir;

    private Path data(String name, String objectOfR1) throws Exception {
        String nt = "<http://ex/alice> <http://ex/says> \"hi\"@en--ltr .\n"
            + "<http://ex/r1> " + REIFIES + " " + objectOfR1 + " .\n"
            + "<http://ex/r2> " + REIFIES + " <<( <http://ex/bob> <http://ex/says> \"hi\"@en--ltr )>> .\n"
            + "<http://ex/r3> <http://ex/about> <<( <http://ex/x> <http://ex/y> <<( _:a <http://ex/z> \"deep\" )>> )>> .\n";
        return Files.writeString(dir.resolve(name), nt, StandardCharsets.UTF_8);
    }

    private static String hex(String term) {
        return String.format("%016x", TermIds.of(term));
    }

    @Test
    void check_acceptsRdf12() throws Exception {
        TripleGuardTest.Result r = cli("check", data("in.nt", "<<( <http://ex/alice> <http://ex/says> \"hi\"@en--ltr )>>").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("valid lines=4 triples=4 bad_lines=0");
    }

    @Test
    void run_hookOnATripleTermObject_firesOnTheRunHoldingThatTripleTerm() throws Exception {
        Path hooks = Files.writeString(dir.resolve("hooks.json"), HOOKS, StandardCharsets.UTF_8);
        Path out = dir.resolve("out");
        TripleGuardTest.Result r = cli("run", data("in.nt", "<<(<http://ex/alice><http://ex/says>\"hi\"@en--ltr)>>").toString(),
            "--hooks", hooks.toString(), "--out", out.toString(), "--progress", "never");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("triples=4");
        List<String> receipts = Files.readAllLines(out.resolve("receipts.jsonl"));
        assertThat(receipts).filteredOn(l -> l.contains("\"hook\":\"reifies-claim\"") && l.contains("\"result\":\"0000000000000001\""))
            .isNotEmpty()
            .allMatch(l -> l.contains(hex("<http://ex/r1>"))); // the run of rdf:reifies triples that holds it
        assertThat(cli("verify", out.toString()).code()).isZero();
    }

    @Test
    void run_withoutTheMatchingTripleTerm_hookDoesNotFire() throws Exception {
        Path hooks = Files.writeString(dir.resolve("hooks.json"), HOOKS, StandardCharsets.UTF_8);
        Path out = dir.resolve("out");
        TripleGuardTest.Result r = cli("run", data("in.nt", "<<( <http://ex/alice> <http://ex/says> \"hi\"@en--rtl )>>").toString(),
            "--hooks", hooks.toString(), "--out", out.toString(), "--progress", "never");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> receipts = Files.readAllLines(out.resolve("receipts.jsonl"));
        assertThat(receipts).noneMatch(l -> l.contains("\"hook\":\"reifies-claim\"") && l.contains("\"result\":\"0000000000000001\""));
    }
}
