/**
 * The server's settings: one immutable record read from the environment and checked at start, so that a wrong value
 * stops the server with a message naming the setting instead of failing later under load.
 */
@NullMarked
package io.flowbin.config;

import org.jspecify.annotations.NullMarked;
