package io.github.hotpool.tripleguard;

import io.github.hotpool.pipeline.store.ReceiptStore;
import io.github.hotpool.pipeline.store.StoreVerifier;
import java.io.PrintWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code verify DIR [--head HEX]}: recomputes the lockchain from the receipts a run wrote and,
 * given the head the run printed, checks that the chain ends there.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Recompute the lockchain in DIR from its receipts, one cycle at a time. Exit codes: 0 intact; "
        + "1 tampered or corrupt (naming the first file, line and cycle that do not match, or a --head that is not "
        + "in the chain); 2 usage; 3 with --strict, intact but not anchored at its last cycle or with receipts past "
        + "its last seal.")
final class VerifyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "output directory of a run")
    Path dir;

    @Option(names = "--head", paramLabel = "HEX", description = "a head a run printed (64 hex digits), looked for at "
        + "every cycle: without it, dropped or consistently rewritten last cycles go unnoticed")
    String head;

    @Option(names = "--strict", description = "exit 3 unless the chain is anchored by --head at its last cycle and "
        + "every receipt is sealed")
    boolean strict;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        InputCheck.requireDir(spec.commandLine(), "DIR", dir); // missing, a file, unreadable: said as such
        if (!StoreVerifier.holdsChain(dir)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "DIR " + dir + " holds no "
                + ReceiptStore.RECEIPTS + ", " + ReceiptStore.LOCKCHAIN + " or " + ReceiptStore.CHECKPOINT);
        }
        StoreVerifier.Verdict v;
        try {
            v = StoreVerifier.verify(dir, published());
        } catch (IOException e) {
            spec.commandLine().getErr().println(dir + ": cannot read: " + e);
            return StoreVerifier.EXIT_TAMPERED; // unverifiable is never "intact"
        }
        PrintWriter out = spec.commandLine().getOut();
        if (!v.ok()) {
            spec.commandLine().getErr().println(dir + ": " + v.reason());
            return v.exitCode(strict);
        }
        String anchor = !v.headGiven() ? "unanchored"
            : "anchored at cycle " + v.anchoredAt() + (v.cyclesPastAnchor() > 0 ? " (" + v.cyclesPastAnchor()
                + " later cycles not covered by that head)" : "");
        out.println("intact " + anchor + " format=" + v.format() + " receipts=" + v.receipts() + " cycles=" + v.cycles()
            + " unsealed=" + v.unsealed() + " uncommitted_bytes=" + v.uncommittedBytes() + " head=" + v.head());
        if (!v.headGiven()) {
            out.println("note: the chain is consistent but not anchored; pass --head with the head a run printed to "
                + "detect dropped or rewritten cycles");
        }
        if (v.format() == 1) {
            out.println("note: format 1 chain: only each receipt's 64-byte record is hashed; its hook name and "
                + "subjects are not covered");
        }
        if (v.unsealed() > 0) {
            out.println("note: " + v.unsealed() + " receipts follow the last seal (a run stopped before sealing "
                + "them); the next run into " + dir + " seals them");
        }
        if (v.uncommittedBytes() > 0) {
            out.println("note: " + v.uncommittedBytes() + " bytes past the checkpoint were never acknowledged (a "
                + "crash); the next run into " + dir + " removes them");
        }
        return v.exitCode(strict);
    }

    private byte[] published() {
        if (head == null) {
            return null;
        }
        if (head.length() != 64) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--head " + head + " has " + head.length()
                + " characters, not 64 hex digits");
        }
        try {
            return HexFormat.of().parseHex(head);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--head " + head + " is not hex: " + e.getMessage());
        }
    }
}
