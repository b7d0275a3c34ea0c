package io.choralstorm.local;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ChildProcessTest {
    private static final Duration GRACE = Duration.ofSeconds(10);

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private ChildProcess child;

    @After
    public void stopChild() {
        if (child != null) {
            child.stop(GRACE);
        }
    }

    @Test
    public void launchRecordsThePidAndStopEndsTheProcessAndRemovesThePidFile() throws Exception {
        // given
        Path pidFile = temp.getRoot().toPath().resolve("sleep.pid");
        child = launchSleep(pidFile);
        long pid = child.pid();

        // when
        String recorded = Files.readString(pidFile, StandardCharsets.US_ASCII);
        child.stop(GRACE);

        // then
        assertEquals("pid file content", Long.toString(pid), recorded);
        assertFalse("process " + pid + " is gone", ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertFalse("pid file removed", Files.exists(pidFile));
    }

    @Test
    public void leftoverWhoseCommandLineMatchesIsKilled() {
        // given: a pid file whose process outlived the run that started it
        Path pidFile = temp.getRoot().toPath().resolve("leftover.pid");
        child = launchSleep(pidFile);
        long pid = child.pid();

        // when
        ChildProcess.killLeftover("sleeper", pidFile, "sleep", GRACE);

        // then
        assertFalse("leftover " + pid + " killed", ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertFalse("pid file removed", Files.exists(pidFile));
    }

    @Test
    public void processWhoseCommandLineDoesNotMatchIsLeftAlone() {
        // given: the pid was reused by an unrelated process
        Path pidFile = temp.getRoot().toPath().resolve("reused.pid");
        child = launchSleep(pidFile);

        // when
        ChildProcess.killLeftover("cassandra", pidFile, "CassandraDaemon", GRACE);

        // then
        assertTrue("unrelated process still alive", child.isAlive());
        assertFalse("stale pid file removed", Files.exists(pidFile));
    }

    @Test
    public void pidFileOfAFinishedProcessIsRemoved() throws Exception {
        // given
        Path pidFile = temp.getRoot().toPath().resolve("gone.pid");
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor(10, TimeUnit.SECONDS);
        Files.writeString(pidFile, Long.toString(finished.pid()), StandardCharsets.US_ASCII);

        // when
        ChildProcess.killLeftover("sleeper", pidFile, "sleep", GRACE);

        // then
        assertFalse("pid file removed", Files.exists(pidFile));
    }

    @Test
    public void deathDuringStartIsReportedWithTheExitCodeAndTheEndOfTheLog() throws Exception {
        // given: a process that prints 40 lines and fails
        Path logFile = temp.getRoot().toPath().resolve("failing.log");
        child = ChildProcess.launch("failing", List.of("sh", "-c", "for i in $(seq 1 40); do echo line $i; done;"
            + " exit 3"), temp.getRoot().toPath(), logFile, temp.getRoot().toPath().resolve("failing.pid"));
        assertTrue("failing process ended", child.waitFor(GRACE));

        // when
        String message = child.diedDuringStart().getMessage();

        // then
        assertTrue("exit code in: " + message, message.contains("exited with code 3 before it was ready"));
        assertTrue("last line in: " + message, message.endsWith("line 40"));
        assertTrue("30th line from the end in: " + message, message.contains("\nline 11\n"));
        assertFalse("31st line from the end not in: " + message, message.contains("line 10\n"));
    }

    @Test
    public void logTailOfAProcessThatPrintedNothingIsEmpty() {
        // given
        child = launchSleep(temp.getRoot().toPath().resolve("quiet.pid"));

        // when
        String tail = child.logTail(5);

        // then
        assertEquals("tail of an empty log", "", tail);
    }

    private ChildProcess launchSleep(Path pidFile) {
        return ChildProcess.launch("sleeper", List.of("sleep", "60"), temp.getRoot().toPath(),
            temp.getRoot().toPath().resolve("sleep.log"), pidFile);
    }
}
