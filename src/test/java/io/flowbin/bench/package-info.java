/**
 * Benchmark programs run by {@code bench/run.sh} and {@code bench/queries.sh}: baselines (raw JDBC, a bare handler on
 * the same HTTP stack, the query statements over raw JDBC), a token minter, data seeders and a paging client; none of
 * them is a test.
 */
@NullMarked
package io.flowbin.bench;

import org.jspecify.annotations.NullMarked;
