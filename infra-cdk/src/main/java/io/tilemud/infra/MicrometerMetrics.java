package io.tilemud.infra;

import io.tilemud.contract.MetricNames;

/**
 * CloudWatch metric names of the meters in {@link MetricNames}. Micrometer's CloudWatch registry publishes each meter
 * with a statistic suffix ({@code .count} for counters, {@code .value} for gauges, {@code .sum/.count/.avg/.max} for
 * timers) and every non-blank tag as a dimension; alarms must use the published names, so the suffixing lives here.
 */
final class MicrometerMetrics {
    private MicrometerMetrics() {
    }

    static String counter(String meterName) {
        return meterName + ".count";
    }

    static String gauge(String meterName) {
        return meterName + ".value";
    }

    /** Mean of a timer over each publish step, in milliseconds (the registry's base time unit). */
    static String timerAverage(String meterName) {
        return meterName + ".avg";
    }
}
