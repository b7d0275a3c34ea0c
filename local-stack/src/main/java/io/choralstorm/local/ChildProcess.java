package io.choralstorm.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server started as a child process of the stack JVM: its output appended to a log file, its pid recorded in a
 * pid file so that a later run can find it if this JVM died without stopping it.
 */
final class ChildProcess {
    private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);
    private static final int TAIL_BYTES = 64 * 1024;

    private final String component;
    private final Process process;
    private final Path logFile;
    private final Path pidFile;

    private ChildProcess(String component, Process process, Path logFile, Path pidFile) {
        this.component = component;
        this.process = process;
        this.logFile = logFile;
        this.pidFile = pidFile;
    }

    /** Starts the command in workDir, output and errors appended to logFile, and writes its pid to pidFile. */
    static ChildProcess launch(String component, List<String> command, Path workDir, Path logFile, Path pidFile) {
        try {
            Files.createDirectories(workDir);
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
            process.getOutputStream().close();

            Files.writeString(pidFile, Long.toString(process.pid()), StandardCharsets.US_ASCII);
            LOG.info("[{}] started pid {}, log {}", component, process.pid(), logFile);
            return new ChildProcess(component, process, logFile, pidFile);
        } catch (IOException e) {
            throw new StackException("cannot start " + component + " (" + command.get(0) + "): " + e.getMessage(), e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path logFile() {
        return logFile;
    }

    /** Waits for the process to end by itself; true if it did within the timeout. */
    boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while waiting for " + component + " to exit", e);
        }
    }

    /** The failure to report when the process ended while we waited for it to become ready. */
    StackException diedDuringStart() {
        return new StackException(component + " (pid " + process.pid() + ") exited with code " + process.exitValue()
            + " before it was ready; last lines of " + logFile + ":\n" + logTail(30));
    }

    /** The failure to report when the process did not become ready in time. */
    StackException notReadyWithin(Duration timeout, String settingName, Exception lastError) {
        String tail = logTail(30);
        return new StackException(component + " was not ready within " + timeout.toSeconds() + " s (last error: "
            + (lastError == null ? "none" : lastError.getMessage()) + "); raise " + settingName
            + " if the machine is slow; last lines of " + logFile + ":\n" + tail, lastError);
    }

    /** SIGTERM, then SIGKILL after the grace period; removes the pid file. */
    void stop(Duration grace) {
        terminate(process.toHandle(), component, grace);
        deletePidFile(pidFile);
    }

    /** The last lines of the log file, or a note saying why there are none. */
    String logTail(int lines) {
        if (!Files.isRegularFile(logFile)) {
            return "(no log file " + logFile + ")";
        }
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long start = Math.max(0, file.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    /**
     * Kills the process recorded in a pid file left by a run that did not stop cleanly, if it is still alive and
     * its command line contains marker; removes the pid file either way.
     */
    static void killLeftover(String component, Path pidFile, String marker, Duration grace) {
        Optional<ProcessHandle> leftover = readPid(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (leftover.isEmpty()) {
            deletePidFile(pidFile);
            return;
        }

        ProcessHandle handle = leftover.get();
        String commandLine = handle.info().commandLine().orElse("");
        if (commandLine.contains(marker)) {
            LOG.warn("[{}] killing pid {} left by an earlier run (pid file {})", component, handle.pid(), pidFile);
            terminate(handle, component, grace);
        } else {
            LOG.info("[{}] pid file {} names pid {}, which is not {} now; leaving it alone", component, pidFile,
                handle.pid(), component);
        }
        deletePidFile(pidFile);
    }

    private static void terminate(ProcessHandle handle, String component, Duration grace) {
        if (!handle.isAlive()) {
            return;
        }

        handle.destroy();
        if (awaitExit(handle, grace)) {
            LOG.info("[{}] pid {} stopped", component, handle.pid());
            return;
        }

        LOG.warn("[{}] pid {} still alive {} s after SIGTERM; killing it", component, handle.pid(), grace.toSeconds());
        handle.destroyForcibly();
        if (!awaitExit(handle, grace)) {
            throw new StackException(component + " (pid " + handle.pid() + ") survived SIGKILL for "
                + grace.toSeconds() + " s");
        }
    }

    private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        CompletableFuture<ProcessHandle> exit = handle.onExit();
        try {
            exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new StackException("cannot wait for pid " + handle.pid() + ": " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while waiting for pid " + handle.pid() + " to exit", e);
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim()));
        } catch (NumberFormatException e) {
            LOG.warn("pid file {} does not hold a pid; ignoring it", pidFile);
            return Optional.empty();
        } catch (IOException e) {
            throw new StackException("cannot read pid file " + pidFile + ": " + e.getMessage(), e);
        }
    }

    private static void deletePidFile(Path pidFile) {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new StackException("cannot delete pid file " + pidFile + ": " + e.getMessage(), e);
        }
    }
}
