/**
 * Who is calling: verification of the bearer tokens that authenticate every Web API request, and the tokens dev mode
 * signs for itself.
 */
@NullMarked
package io.flowbin.security;

import org.jspecify.annotations.NullMarked;
