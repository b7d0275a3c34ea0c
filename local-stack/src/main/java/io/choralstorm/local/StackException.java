package io.choralstorm.local;

/**
 * A local-stack component could not start, answer or stop. The message names the component, the value seen
 * and the setting to change; it is meant to be printed to the operator as is.
 */
public class StackException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
