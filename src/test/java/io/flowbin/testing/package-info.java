/** Shared test fixtures: sample table definitions and fresh H2 and PostgreSQL databases to run tests against. */
@NullMarked
package io.flowbin.testing;

import org.jspecify.annotations.NullMarked;
