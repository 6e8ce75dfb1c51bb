package io.github.hotpool.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With {@code -Dhotpool.checks=false} nothing bounds a lane index but the pipeline's own logic:
 * a batch must still never receive a 9th statement. Switches.CHECKS is a static final, so the
 * scenario runs in a child JVM ({@link ChecksOffMain}).
 */
class ChecksOffTest {

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void checksOff_aNinthStatementNeverReachesAnotherSlot_andCrInputGivesTheLfHead() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // surefire's booter jar may stand for the class path; this property holds the real one
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(java, "-Dhotpool.checks=false", "-Xmx256m", "-cp", cp,
            ChecksOffMain.class.getName()).redirectErrorStream(true).start();
        boolean exited = child.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }
        String output = read(child);

        assertThat(exited).as("child JVM finished within 60 s; output so far:%n%s", output).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("guard ok").contains("pipeline ok");
    }

    private static String read(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
