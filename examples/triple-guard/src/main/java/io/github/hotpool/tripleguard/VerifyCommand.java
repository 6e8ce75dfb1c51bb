package io.github.hotpool.tripleguard;

import io.github.hotpool.pipeline.ReceiptLog;
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
@Command(name = "verify", description = "Recompute the lockchain in DIR from its receipts: exit 0 if intact, "
    + "1 naming the first cycle and receipt that do not match, or when the head differs from --head.")
final class VerifyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "output directory of a run")
    Path dir;

    @Option(names = "--head", paramLabel = "HEX", description = "the head a run printed (64 hex digits): without it "
        + "dropped or consistently rewritten last cycles go unnoticed")
    String head;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(dir.resolve(ReceiptLog.RECEIPTS)) || !Files.isRegularFile(dir.resolve(ReceiptLog.LOCKCHAIN))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "DIR " + dir + " holds no "
                + ReceiptLog.RECEIPTS + " and " + ReceiptLog.LOCKCHAIN);
        }
        ReceiptLog.Verdict v = ReceiptLog.verify(dir, published());
        if (!v.ok()) {
            spec.commandLine().getErr().println(dir + ": " + v.reason());
            return TripleGuard.BAD;
        }
        spec.commandLine().getOut().println((v.anchored() ? "intact anchored" : "intact unanchored") + " receipts="
            + v.receipts() + " cycles=" + v.cycles() + " unsealed=" + v.unsealed() + " head=" + v.head());
        if (!v.anchored()) {
            spec.commandLine().getOut().println("note: the chain is consistent but not anchored; pass --head with the "
                + "head the run printed to detect dropped or rewritten cycles");
        }
        return 0;
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
