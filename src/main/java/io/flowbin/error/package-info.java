/**
 * The one exception every layer throws for a failure a client should see, with its HTTP status and Dataverse error
 * code. It sits below every other package so that each may use it; {@code http} turns it into the error body.
 */
@NullMarked
package io.flowbin.error;

import org.jspecify.annotations.NullMarked;
