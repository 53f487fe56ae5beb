package dev.userfabric.application.wiring;

import java.util.function.BooleanSupplier;

/** A server the service cannot do its work without, and whether it can be reached now. */
public record Dependency(String name, BooleanSupplier reachable) {}
