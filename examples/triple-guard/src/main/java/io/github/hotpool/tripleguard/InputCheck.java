package io.github.hotpool.tripleguard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The one check every command makes of a path it is given, before it reads or creates anything:
 * a missing, unreadable or wrong-kind path is a usage error (exit 2) naming the flag or parameter,
 * the path and the problem. Stateless.
 */
final class InputCheck {

    private InputCheck() {
    }

    /** Why {@code path} cannot be read as a file, or null when it can. */
    static String fileProblem(Path path) {
        return !Files.exists(path) ? "does not exist" : Files.isDirectory(path) ? "is a directory"
            : !Files.isReadable(path) ? "is not readable" : null;
    }

    /** Why {@code path} cannot be read as a directory, or null when it can. */
    static String dirProblem(Path path) {
        return !Files.exists(path) ? "does not exist" : !Files.isDirectory(path) ? "is not a directory"
            : !Files.isReadable(path) || !Files.isExecutable(path) ? "is not readable" : null;
    }

    /** Throws a usage error naming {@code what} (e.g. {@code FILE}, {@code --hooks}) unless {@code path} is a readable file. */
    static void requireFile(CommandLine cli, String what, Path path) {
        String problem = fileProblem(path);
        if (problem != null) {
            throw new CommandLine.ParameterException(cli, what + " " + path + " " + problem);
        }
    }

    /** Throws a usage error naming {@code what} unless {@code path} is a readable directory. */
    static void requireDir(CommandLine cli, String what, Path path) {
        String problem = dirProblem(path);
        if (problem != null) {
            throw new CommandLine.ParameterException(cli, what + " " + path + " " + problem);
        }
    }

    /** Throws a usage error naming {@code flag}, the value and the range unless {@code min <= value <= max}. */
    /**
     * Ports the flags name (null or 0: none, or any free one) must be free on 127.0.0.1 and apart:
     * found here, before the output directory is touched, instead of as a failed deploy after it.
     * A port taken between this check and the listen is still reported, by the deploy.
     *
     * @param flagsAndPorts flag, port, flag, port, ...
     */
    static void requireFreePorts(CommandLine cli, Object... flagsAndPorts) {
        java.util.Map<Integer, String> named = new java.util.HashMap<>();
        for (int i = 0; i < flagsAndPorts.length; i += 2) {
            String flag = (String) flagsAndPorts[i];
            Integer port = (Integer) flagsAndPorts[i + 1];
            if (port == null || port == 0) {
                continue;
            }
            String other = named.putIfAbsent(port, flag);
            if (other != null) {
                throw new CommandLine.ParameterException(cli, other + " and " + flag + " both name port " + port
                    + ": give each its own");
            }
            try (java.net.ServerSocket s = new java.net.ServerSocket()) {
                s.setReuseAddress(true); // as the listeners bind: a closed connection's TIME_WAIT does not count
                s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            } catch (IOException e) {
                throw new CommandLine.ParameterException(cli, flag + " " + port + ": cannot listen on 127.0.0.1:" + port
                    + ": " + e.getMessage() + " (another process has it; give another port, or 0 for any free one)");
            }
        }
    }

    static void requireRange(CommandLine cli, String flag, long value, long min, long max) {
        if (value < min || value > max) {
            throw new CommandLine.ParameterException(cli, flag + " " + value + " outside [" + min + ", " + max + "]");
        }
    }

    /**
     * What a file-system exception says, with its kind: several name only the path in their
     * message ({@code AccessDeniedException} says "/x/out", not "permission denied").
     */
    static String ioReason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException) {
            java.nio.file.FileSystemException f = (java.nio.file.FileSystemException) e;
            String kind = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                : e instanceof java.nio.file.NotDirectoryException ? "not a directory"
                : e instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
                : f.getReason() != null ? f.getReason() : e.getClass().getSimpleName();
            return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + kind;
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
