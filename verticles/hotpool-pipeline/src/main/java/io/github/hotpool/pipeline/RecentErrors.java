package io.github.hotpool.pipeline;

import java.util.ArrayDeque;
import java.util.List;

/** The last {@value #KEPT} errors a pipeline reported, oldest first. Thread-safe. */
final class RecentErrors {

    static final int KEPT = 100;

    private final ArrayDeque<String> errors = new ArrayDeque<>();

    /** Keeps {@code message}, dropping the oldest once {@value #KEPT} are kept. */
    synchronized void add(String message) {
        if (errors.size() == KEPT) {
            errors.pollFirst();
        }
        errors.addLast(message);
    }

    /** @return a copy, oldest first */
    synchronized List<String> list() {
        return List.copyOf(errors);
    }
}
