package io.choralstorm.topology.config;

import io.choralstorm.settings.SettingsSource;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * One topology setting: its key (unit in the name), default, one-line doc, parser and check.
 * Defined once, as a constant of {@link TopologySettings}.
 *
 * @param <T> the parsed type
 */
public final class Setting<T> {

    private final String key;
    private final String defaultText;
    private final String doc;
    private final Function<String, T> parser;
    private final Predicate<T> check;
    private final String rule;
    private final UnaryOperator<String> display;

    private Setting(Builder<T> b) {
        this.key = b.key;
        this.defaultText = b.defaultText;
        this.doc = b.doc;
        this.parser = b.parser;
        this.check = b.check;
        this.rule = b.rule;
        this.display = b.display;
    }

    static Builder<String> text(String key, String defaultText) {
        return new Builder<>(key, defaultText, String::trim).check(v -> !v.isEmpty(), "must not be empty");
    }

    static Builder<Integer> positiveInt(String key, int defaultValue) {
        return new Builder<>(key, Integer.toString(defaultValue), s -> Integer.valueOf(s.trim()))
            .check(v -> v > 0, "must be a whole number > 0");
    }

    /** A whole number with no check of its own: add one with {@link Builder#check}. */
    static Builder<Long> wholeLong(String key, long defaultValue) {
        return new Builder<>(key, Long.toString(defaultValue), s -> Long.valueOf(s.trim()));
    }

    static Builder<Long> positiveLong(String key, long defaultValue) {
        return new Builder<>(key, Long.toString(defaultValue), s -> Long.valueOf(s.trim()))
            .check(v -> v > 0, "must be a whole number > 0");
    }

    public String key() {
        return key;
    }

    /** The environment variable that overrides this setting, by the rule every ChoralStorm setting follows. */
    public String envName() {
        return SettingsSource.envName(key);
    }

    public String defaultText() {
        return defaultText;
    }

    public String doc() {
        return doc;
    }

    /** The value as it may be logged: secrets inside it masked. */
    public String display(String text) {
        return display.apply(text);
    }

    /** Parses and checks {@code text}; the error names the key, the value, the rule and the source. */
    T parse(String text, String source) {
        T value;
        try {
            value = parser.apply(text);
        } catch (RuntimeException e) {
            IllegalArgumentException error = invalid(text, source);
            error.initCause(e);
            throw error;
        }
        if (!check.test(value)) {
            throw invalid(text, source);
        }
        return value;
    }

    private IllegalArgumentException invalid(String text, String source) {
        return new IllegalArgumentException("setting " + key + " " + rule + ", got '" + display(text) + "' from "
            + source + " (default " + defaultText + "; " + doc + ")");
    }

    @Override
    public String toString() {
        return key;
    }

    static final class Builder<T> {
        private final String key;
        private final String defaultText;
        private final Function<String, T> parser;
        private Predicate<T> check = v -> true;
        private String rule = "is invalid";
        private String doc = "";
        private UnaryOperator<String> display = UnaryOperator.identity();

        private Builder(String key, String defaultText, Function<String, T> parser) {
            this.key = Objects.requireNonNull(key);
            this.defaultText = Objects.requireNonNull(defaultText);
            this.parser = Objects.requireNonNull(parser);
        }

        Builder<T> check(Predicate<T> more, String moreRule) {
            Predicate<T> previous = check;
            check = v -> previous.test(v) && more.test(v);
            rule = moreRule;
            return this;
        }

        Builder<T> shownAs(UnaryOperator<String> masking) {
            display = masking;
            return this;
        }

        Setting<T> doc(String text) {
            doc = text;
            return new Setting<>(this);
        }
    }
}
