/**
 * File columns of any table: single-request, chunked and block uploads into the blob store, ranged downloads, the
 * {@code fileattachment} row that describes each stored file, upload sessions and the cleanup of abandoned uploads.
 */
@NullMarked
package io.flowbin.files;

import org.jspecify.annotations.NullMarked;
