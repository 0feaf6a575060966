/**
 * Benchmark programs run by {@code bench/run.sh}: baselines (raw JDBC, a bare handler on the same HTTP stack),
 * a token minter and a data seeder; none of them is a test.
 */
@NullMarked
package io.flowbin.bench;

import org.jspecify.annotations.NullMarked;
