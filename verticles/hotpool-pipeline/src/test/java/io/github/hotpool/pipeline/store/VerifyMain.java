package io.github.hotpool.pipeline.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs in a child JVM for {@link StoreVerifierMemoryTest}, whose heap limit it runs under.
 * {@code VerifyMain DIR}: verifies DIR with {@link StoreVerifier}, prints one line
 * {@code ok|FAIL receipts=N cycles=N unsealed=N max_heap=BYTES [reason]} and exits with the
 * verdict's exit code. {@code VerifyMain --whole-file DIR}: the control, reading
 * {@code receipts.jsonl} whole as the verifier before the receipt store did
 * ({@code Files.readAllLines}); prints {@code lines=N max_heap=BYTES}.
 */
public final class VerifyMain {

    private VerifyMain() {
    }

    public static void main(String[] args) throws Exception {
        long maxHeap = Runtime.getRuntime().maxMemory();
        if (args.length == 2 && args[0].equals("--whole-file")) {
            List<String> lines = Files.readAllLines(Path.of(args[1]).resolve(ReceiptStore.RECEIPTS),
                StandardCharsets.UTF_8);
            System.out.println("lines=" + lines.size() + " max_heap=" + maxHeap);
            return;
        }
        StoreVerifier.Verdict v = StoreVerifier.verify(Path.of(args[0]), null);
        System.out.println((v.ok() ? "ok" : "FAIL") + " receipts=" + v.receipts() + " cycles=" + v.cycles()
            + " unsealed=" + v.unsealed() + " max_heap=" + maxHeap + (v.ok() ? "" : " " + v.reason()));
        System.exit(v.exitCode(false));
    }
}
