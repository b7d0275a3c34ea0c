package io.choralstorm.query;

/** What an aggregate query reports for each window. */
public enum Aggregation {
    avg, min, max, sum, count;

    /** This aggregation of {@code window}. */
    public double of(AggregateWindow window) {
        return switch (this) {
            case avg -> window.sum() / window.count();
            case min -> window.min();
            case max -> window.max();
            case sum -> window.sum();
            case count -> window.count();
        };
    }
}
