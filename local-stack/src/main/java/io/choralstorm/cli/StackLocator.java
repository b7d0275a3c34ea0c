package io.choralstorm.cli;

import io.choralstorm.local.StackConfig;
import io.choralstorm.local.StackException;
import io.choralstorm.local.StackState;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the checkout (the {@code choral.root} property that scripts/choral sets, else the working
 * directory), its stack settings, and the state of a running stack.
 */
final class StackLocator {
    private StackLocator() {
    }

    static Path root() {
        String root = System.getProperty("choral.root");
        return Path.of(root == null || root.isBlank() ? "" : root).toAbsolutePath().normalize();
    }

    static StackConfig config() {
        return StackConfig.load(root(), System.getenv());
    }

    /** The state of a stack that is running now, if any. */
    static Optional<StackState> running() {
        return StackState.read(config().home()).filter(StackState::isAlive);
    }

    /** The running stack, or a clear error saying how to start one. */
    static StackState requireRunning() {
        return running().orElseThrow(() -> new StackException(
            "no local stack is running; start one with: scripts/choral up"));
    }
}
