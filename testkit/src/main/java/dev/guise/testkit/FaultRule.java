package dev.guise.testkit;

/**
 * An installed fault: the handle {@link Faults#add} returns and {@link Faults#remove} takes.
 *
 * @param id unique within its server
 * @param scope where it applies
 * @param fault what it does
 */
public record FaultRule(long id, FaultScope scope, Fault fault) {}
