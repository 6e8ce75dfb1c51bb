package io.github.hotpool.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the code in the docs and the code the tests run the same: a region of a test source
 * file, between {@code // --8<-- [start:NAME]} and {@code // --8<-- [end:NAME]}, must equal (after
 * removing its common indentation) the fenced block that follows {@code <!-- snippet: NAME -->} in
 * a Markdown file of the repository. Stateless.
 */
public final class DocSnippets {

    private DocSnippets() {
    }

    /** The repository's root: the nearest directory above the working directory holding README.md and docs/. */
    public static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs")))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no README.md with a docs/ beside it above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** Region {@code name} of {@code source} (a path from the repository root), dedented. */
    public static String region(String source, String name) throws IOException {
        List<String> lines = Files.readAllLines(repositoryRoot().resolve(source), StandardCharsets.UTF_8);
        int start = indexOf(lines, "// --8<-- [start:" + name + "]", 0, source);
        int end = indexOf(lines, "// --8<-- [end:" + name + "]", start + 1, source);
        return dedent(lines.subList(start + 1, end));
    }

    /** The fenced code block after {@code <!-- snippet: name -->} in {@code markdown} (a path from the repository root). */
    public static String block(String markdown, String name) throws IOException {
        List<String> lines = Files.readAllLines(repositoryRoot().resolve(markdown), StandardCharsets.UTF_8);
        int marker = indexOf(lines, "<!-- snippet: " + name + " -->", 0, markdown);
        int open = marker + 1;
        if (open >= lines.size() || !lines.get(open).startsWith("```")) {
            throw new IllegalStateException(markdown + " line " + (open + 1) + ": a ``` fence must follow the "
                + "snippet marker " + name);
        }
        int close = indexOf(lines, "```", open + 1, markdown);
        return String.join("\n", lines.subList(open + 1, close)) + "\n";
    }

    private static int indexOf(List<String> lines, String marker, int from, String file) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).trim().equals(marker)) {
                return i;
            }
        }
        throw new IllegalStateException(file + ": no line '" + marker + "' after line " + from);
    }

    private static String dedent(List<String> lines) {
        int indent = Integer.MAX_VALUE;
        for (String l : lines) {
            if (!l.isBlank()) {
                indent = Math.min(indent, l.length() - l.stripLeading().length());
            }
        }
        List<String> out = new ArrayList<>(lines.size());
        for (String l : lines) {
            out.add(l.isBlank() ? "" : l.substring(indent));
        }
        return String.join("\n", out) + "\n";
    }
}
