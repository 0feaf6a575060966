/**
 * The blob store under the file columns: blobs written as staged blocks made visible by one commit, read by byte
 * range and deleted, on the local file system or in Azure Blob Storage.
 */
@NullMarked
package io.flowbin.blob;

import org.jspecify.annotations.NullMarked;
