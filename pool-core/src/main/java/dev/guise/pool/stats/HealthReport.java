package dev.guise.pool.stats;

/**
 * What one health-check pass did: connections closed for each reason, and revalidations.
 *
 * @param closedIdle closed after idling longer than the idle timeout
 * @param closedOld closed past their maximum lifetime
 * @param closedBroken closed, or half-closed, by the peer
 * @param markedUnhealthy closed after at least the error threshold of failed exchanges
 * @param validated revalidated and found healthy
 * @param failedValidation revalidated and found unhealthy (and closed)
 */
public record HealthReport(
    int closedIdle,
    int closedOld,
    int closedBroken,
    int markedUnhealthy,
    int validated,
    int failedValidation) {}
