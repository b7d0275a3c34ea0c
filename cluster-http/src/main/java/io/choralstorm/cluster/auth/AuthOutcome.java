package io.choralstorm.cluster.auth;

/** Whether a request's devices may send: every claim must be accepted. */
public enum AuthOutcome {
    ACCEPTED,
    /** A frame presented no secret at all. */
    NO_SECRET,
    /** A device is unknown or revoked, or its secret is wrong: the device is told nothing more. */
    REFUSED
}
