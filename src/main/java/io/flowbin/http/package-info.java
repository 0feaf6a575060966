/**
 * The web server edge: routes, bearer authentication, request size limits, and the one place where failures become
 * Dataverse's error body. Undertow types stay in this package.
 */
@NullMarked
package io.flowbin.http;

import org.jspecify.annotations.NullMarked;
