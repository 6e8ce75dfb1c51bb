package io.github.hotpool.tripleguard;

import io.github.hotpool.pipeline.store.ReceiptStore;
import io.github.hotpool.pipeline.store.StoreReport;
import io.github.hotpool.pipeline.store.StoreVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code report DIR}: a table of the hooks in a run's output, with how often each fired (a receipt
 * whose result is not 0) in each lockchain cycle and in total. The chain is verified first: a
 * report of a chain that does not verify is refused (exit 1).
 */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Print, for the output directory of a run, how often each hook fired per lockchain cycle and in "
        + "total (a hook fires when its receipt's result is not 0). Exit codes: 0 printed; 1 the chain in DIR does "
        + "not verify; 2 usage.")
final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "output directory of a run")
    Path dir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        InputCheck.requireDir(spec.commandLine(), "DIR", dir);
        if (!StoreVerifier.holdsChain(dir)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "DIR " + dir + " holds no "
                + ReceiptStore.RECEIPTS + ", " + ReceiptStore.LOCKCHAIN + " or " + ReceiptStore.CHECKPOINT);
        }
        StoreVerifier.Verdict v;
        StoreReport.Tally t;
        try {
            v = StoreVerifier.verify(dir, null);
            if (!v.ok()) {
                err.println("triple-guard report: " + dir + " does not verify, so it is not reported: " + v.reason());
                return TripleGuard.BAD;
            }
            t = StoreReport.tally(dir);
        } catch (IOException e) {
            err.println("triple-guard report: cannot read " + dir + ": " + InputCheck.ioReason(e));
            return TripleGuard.BAD;
        }
        out.println("hooks fired in " + dir + ": receipts=" + t.receipts() + " cycles=" + v.cycles() + " sealed"
            + (v.unsealed() > 0 ? " + 1 open (" + v.unsealed() + " unsealed receipts)" : "") + " head=" + v.head());
        if (t.hooks().isEmpty()) {
            out.println("no receipts: no hook's predicate occurred in the input");
            return 0;
        }
        for (String row : table(t, v.cycles())) {
            out.println(row);
        }
        return 0;
    }

    /**
     * The table: a header of hook names, one row per chain cycle that has receipts (fired
     * receipts per hook), a {@code fired} row of totals and a {@code receipts} row of evaluations.
     */
    static List<String> table(StoreReport.Tally t, long sealedCycles) {
        List<StoreReport.HookCount> hooks = t.hooks();
        String[] head = new String[hooks.size() + 1];
        head[0] = "cycle";
        for (int i = 0; i < hooks.size(); i++) {
            StoreReport.HookCount h = hooks.get(i);
            head[i + 1] = h.hook() != null ? h.hook() : "#" + h.hookId();
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(head);
        for (StoreReport.CycleCount c : t.cycles()) {
            String[] row = new String[head.length];
            row[0] = c.chainCycle() + (c.chainCycle() >= sealedCycles ? " (open)" : "");
            for (int i = 0; i < hooks.size(); i++) {
                row[i + 1] = Long.toString(c.firedBy(hooks.get(i).hookId()));
            }
            rows.add(row);
        }
        String[] fired = new String[head.length];
        String[] evaluated = new String[head.length];
        fired[0] = "fired";
        evaluated[0] = "receipts";
        for (int i = 0; i < hooks.size(); i++) {
            fired[i + 1] = Long.toString(hooks.get(i).fired());
            evaluated[i + 1] = Long.toString(hooks.get(i).receipts());
        }
        rows.add(fired);
        rows.add(evaluated);
        int[] width = new int[head.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>(rows.size());
        for (String[] row : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                if (i == 0) {
                    b.append(row[i]).append(" ".repeat(width[i] - row[i].length()));
                } else {
                    b.append("  ").append(" ".repeat(width[i] - row[i].length())).append(row[i]);
                }
            }
            lines.add(b.toString());
        }
        return lines;
    }
}
