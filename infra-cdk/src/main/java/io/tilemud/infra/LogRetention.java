package io.tilemud.infra;

import software.amazon.awscdk.services.logs.RetentionDays;

import java.util.List;

/** Maps a retention in days to CloudWatch Logs' fixed choices, so context can say {@code logRetentionDays=14}. */
final class LogRetention {
    /** Plain ints so {@link StackSettings} can validate without touching jsii types. */
    static final List<Integer> SUPPORTED_DAYS = List.of(1, 3, 5, 7, 14, 30, 60, 90, 180, 365);

    private LogRetention() {
    }

    static void validate(int days) {
        if (!SUPPORTED_DAYS.contains(days)) {
            throw new IllegalArgumentException("logRetentionDays must be one of " + SUPPORTED_DAYS + ", got " + days);
        }
    }

    static RetentionDays of(int days) {
        validate(days);
        return switch (days) {
            case 1 -> RetentionDays.ONE_DAY;
            case 3 -> RetentionDays.THREE_DAYS;
            case 5 -> RetentionDays.FIVE_DAYS;
            case 7 -> RetentionDays.ONE_WEEK;
            case 14 -> RetentionDays.TWO_WEEKS;
            case 30 -> RetentionDays.ONE_MONTH;
            case 60 -> RetentionDays.TWO_MONTHS;
            case 90 -> RetentionDays.THREE_MONTHS;
            case 180 -> RetentionDays.SIX_MONTHS;
            default -> RetentionDays.ONE_YEAR;
        };
    }
}
