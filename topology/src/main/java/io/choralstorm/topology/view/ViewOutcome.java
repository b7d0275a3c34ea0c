package io.choralstorm.topology.view;

import java.util.Map;

/**
 * What one {@link ViewStore#apply} did.
 *
 * @param accepted frames counted in the view
 * @param duplicates frames already counted before (a replay or a resend): nothing changed
 * @param stale frames older than the dedup horizon of their device: left out of the view
 * @param failures devices whose update failed, with the cause; their frames changed nothing
 */
public record ViewOutcome(long accepted, long duplicates, long stale, Map<String, RuntimeException> failures) {
    public ViewOutcome {
        failures = Map.copyOf(failures);
    }
}
