/** HTTP tests of the Web API against a running server, each on H2 and on PostgreSQL. */
@NullMarked
package io.flowbin.it;

import org.jspecify.annotations.NullMarked;
