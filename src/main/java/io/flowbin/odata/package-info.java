/**
 * The OData v4 protocol: the EDM built from the catalog, URI parsing with Apache Olingo, CSDL, request bodies to
 * typed column values and rows to Dataverse-shaped JSON. Protocol details stop here; messages see typed requests.
 */
@NullMarked
package io.flowbin.odata;

import org.jspecify.annotations.NullMarked;
