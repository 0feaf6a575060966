package io.flowbin.odata;

import io.flowbin.error.DataverseException;
import io.flowbin.error.ErrorCodes;
import io.flowbin.metadata.Catalog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import org.apache.olingo.commons.api.edm.Edm;
import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.server.api.OData;
import org.apache.olingo.server.api.ODataLibraryException;
import org.apache.olingo.server.api.ServiceMetadata;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.queryoption.SystemQueryOptionKind;
import org.apache.olingo.server.core.uri.parser.Parser;
import org.apache.olingo.server.core.uri.parser.UriParserSemanticException;
import org.apache.olingo.server.core.uri.validator.UriValidationException;
import org.jspecify.annotations.Nullable;

/**
 * The EDM of the catalog with Olingo: parses request URIs against it and holds the CSDL document, serialised once.
 * Thread-safe.
 */
public final class ODataModel {
    private final OData odata = OData.newInstance();
    private final Edm edm;
    private final byte[] metadataXml;

    public ODataModel(Catalog catalog) {
        ServiceMetadata serviceMetadata = odata.createServiceMetadata(new EdmProvider(catalog), List.of());
        edm = serviceMetadata.getEdm();
        try (InputStream xml = odata.createSerializer(ContentType.APPLICATION_XML)
                .metadataDocument(serviceMetadata)
                .getContent()) {
            metadataXml = xml.readAllBytes();
        } catch (ODataLibraryException | IOException e) {
            throw new IllegalStateException("The CSDL document could not be built from the table definitions", e);
        }
    }

    public Edm edm() {
        return edm;
    }

    /** The CSDL ({@code $metadata}) document. */
    public byte[] metadataXml() {
        return metadataXml.clone();
    }

    byte[] metadataXmlShared() {
        return metadataXml;
    }

    /** Parses a resource path and query (both as sent, not decoded) into Olingo's URI model. */
    public UriInfo parse(String path, @Nullable String query, String serviceRoot) {
        String rejected = unsupportedOption(query);
        if (rejected != null) {
            throw new DataverseException(400, ErrorCodes.INVALID_QUERY,
                    "The query parameter " + rejected + " is not supported");
        }
        try {
            return new Parser(edm, odata).parseUri(path, query, null, serviceRoot);
        } catch (UriParserSemanticException e) {
            boolean missingResource = e.getMessageKey() == UriParserSemanticException.MessageKeys.RESOURCE_NOT_FOUND;
            throw new DataverseException(missingResource ? 404 : 400, ErrorCodes.INVALID_QUERY, message(e), e);
        } catch (ODataLibraryException e) {
            throw new DataverseException(400, ErrorCodes.INVALID_QUERY, message(e), e);
        }
    }

    /** Dataverse refuses $skip, $search and $format (and $levels outside $expand). */
    private static @Nullable String unsupportedOption(@Nullable String query) {
        if (query == null) {
            return null;
        }
        for (String parameter : query.split("&")) {
            String name = parameter.contains("=") ? parameter.substring(0, parameter.indexOf('=')) : parameter;
            if (name.equals("$skip") || name.equals("$search") || name.equals("$format")) {
                return "'" + name + "'";
            }
        }
        return null;
    }

    static String message(ODataLibraryException e) {
        String text = e.getTranslatedMessage(Locale.ENGLISH).getMessage();
        return text == null || text.isBlank() ? "The URI is malformed." : text;
    }

    static boolean isValidation(Throwable e) {
        return e instanceof UriValidationException;
    }

    static boolean has(UriInfo info, SystemQueryOptionKind kind) {
        return info.getSystemQueryOptions().stream().anyMatch(option -> option.getKind() == kind);
    }
}
