package io.github.hotpool.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For a test class that makes Vert.x or Netty log on purpose (a stage that throws, a message to a
 * consumer that is gone, a connection accepted while the server closes): while the class runs,
 * the named loggers record instead of printing, and after its last test every record must match
 * a declared expectation and every {@code always} expectation must have matched, or the class
 * fails. Races the test provokes but cannot pin down are declared {@code mayOccur}.
 */
public final class LogCapture implements BeforeAllCallback, AfterAllCallback {

    private record Expectation(String logger, Pattern message, boolean required) {
    }

    private final List<Expectation> expected = new ArrayList<>();
    private final List<Logger> loggers = new ArrayList<>(); // strong references: JUL holds loggers weakly
    private final List<String> records = new CopyOnWriteArrayList<>();
    private final List<String> matchedBy = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            String message = r.getMessage() + (r.getThrown() == null ? "" : " " + r.getThrown());
            records.add(r.getLoggerName() + ": " + message);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** A record of {@code logger} matching {@code regex} must appear at least once. */
    public LogCapture always(String logger, String regex) {
        expected.add(new Expectation(logger, Pattern.compile(regex), true));
        return this;
    }

    /** A record of {@code logger} matching {@code regex} may appear (a race the test provokes). */
    public LogCapture mayOccur(String logger, String regex) {
        expected.add(new Expectation(logger, Pattern.compile(regex), false));
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        for (Expectation e : expected) {
            Logger l = Logger.getLogger(e.logger());
            if (!loggers.contains(l)) {
                loggers.add(l);
                l.setUseParentHandlers(false);
                l.addHandler(handler);
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        for (Logger l : loggers) {
            l.removeHandler(handler);
            l.setUseParentHandlers(true);
        }
        List<String> unexpected = new ArrayList<>();
        for (String r : records) {
            Expectation hit = null;
            for (Expectation e : expected) {
                if (r.startsWith(e.logger() + ": ") && e.message().matcher(r.substring(e.logger().length() + 2)).find()) {
                    hit = e;
                    break;
                }
            }
            if (hit == null) {
                unexpected.add(r);
            } else {
                matchedBy.add(hit.logger() + " " + hit.message());
            }
        }
        List<String> missing = new ArrayList<>();
        for (Expectation e : expected) {
            if (e.required() && !matchedBy.contains(e.logger() + " " + e.message())) {
                missing.add(e.logger() + ": /" + e.message() + "/");
            }
        }
        if (!unexpected.isEmpty() || !missing.isEmpty()) {
            throw new AssertionError(context.getDisplayName() + ": unexpected log records " + unexpected
                + ", expected records missing " + missing);
        }
    }
}
