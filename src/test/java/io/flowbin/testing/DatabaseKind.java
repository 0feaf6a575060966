package io.flowbin.testing;

/** The databases every storage test runs against. */
public enum DatabaseKind {
    H2,
    POSTGRESQL
}
