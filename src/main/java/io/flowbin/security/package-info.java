/**
 * Who is calling: bearer token verification, the caller resolved to a system user, and (later) roles, privileges
 * with depth and row access.
 */
@NullMarked
package io.flowbin.security;

import org.jspecify.annotations.NullMarked;
