package io.choralstorm.devices;

/** The registry could not answer (store unreachable or too slow, or too many secret checks queued). */
public final class RegistryUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
