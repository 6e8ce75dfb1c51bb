package io.github.hotpool.tripleguard;

import io.github.hotpool.pipeline.ReceiptLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code verify DIR}: recomputes the lockchain from the receipts a run wrote. */
@Command(name = "verify", description = "Recompute the lockchain in DIR from its receipts: exit 0 if intact, "
    + "1 naming the first cycle and receipt that do not match.")
final class VerifyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "output directory of a run")
    Path dir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(dir.resolve(ReceiptLog.RECEIPTS)) || !Files.isRegularFile(dir.resolve(ReceiptLog.LOCKCHAIN))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "DIR " + dir + " holds no "
                + ReceiptLog.RECEIPTS + " and " + ReceiptLog.LOCKCHAIN);
        }
        ReceiptLog.Verdict v = ReceiptLog.verify(dir);
        if (!v.ok()) {
            spec.commandLine().getErr().println(dir + ": " + v.reason());
            return TripleGuard.BAD;
        }
        spec.commandLine().getOut().println("intact receipts=" + v.receipts() + " cycles=" + v.cycles()
            + " unsealed=" + v.unsealed() + " head=" + v.head());
        return 0;
    }
}
