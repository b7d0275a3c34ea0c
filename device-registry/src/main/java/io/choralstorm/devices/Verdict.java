package io.choralstorm.devices;

/**
 * The registry's answer to a presented secret. Only {@link #ACCEPTED} lets frames in; the other
 * three are told apart in the server's own debug log, never to the device.
 */
public enum Verdict {
    ACCEPTED,
    UNKNOWN_DEVICE,
    REVOKED,
    WRONG_SECRET
}
