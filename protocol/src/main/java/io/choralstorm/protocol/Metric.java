package io.choralstorm.protocol;

import java.io.Serializable;
import java.util.Objects;

/**
 * One reading of a frame: a flattened metric name and its value as sent.
 *
 * <p>{@link #text()} is the value exactly as the device wrote it (the digits of a number, the
 * content of a string, {@code true}/{@code false}); {@link #number()} is meaningful only when
 * {@link #isNumeric()} and is then always finite.
 */
public final class Metric implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final MetricKind kind;
    private final String text;
    private final double number;

    public Metric(String name, MetricKind kind, String text, double number) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.text = Objects.requireNonNull(text, "text");
        if (kind.isNumeric() && !Double.isFinite(number)) {
            throw new IllegalArgumentException("numeric metric " + name + " is not finite: " + number);
        }
        this.number = kind.isNumeric() ? number : Double.NaN;
    }

    public String name() {
        return name;
    }

    public MetricKind kind() {
        return kind;
    }

    public String text() {
        return text;
    }

    public boolean isNumeric() {
        return kind.isNumeric();
    }

    public double number() {
        return number;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Metric)) {
            return false;
        }
        Metric other = (Metric) o;
        return name.equals(other.name) && kind == other.kind && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, kind, text);
    }

    @Override
    public String toString() {
        return name + "=" + text + " (" + kind + ")";
    }
}
