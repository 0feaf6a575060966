package io.flowbin.odata;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parses client XML (FetchXML, paging cookies) with everything that reaches beyond the text switched off: no DTDs,
 * no external entities or schemas, no XInclude, and the JDK's processing limits. Thread-safe: each thread parses
 * with its own builder.
 */
final class SafeXml {
    /** Longest XML accepted; a query URL cannot carry more. */
    static final int MAX_LENGTH = 65_536;

    private static final DocumentBuilderFactory FACTORY = factory();
    /** Builders are costly to create and not thread-safe; each worker thread keeps one and resets it. */
    private static final ThreadLocal<DocumentBuilder> BUILDERS = ThreadLocal.withInitial(SafeXml::newBuilder);

    /** Stops at the first error instead of printing it, as the parser's default handler would. */
    private static final ErrorHandler FAIL_ON_ERRORS = new ErrorHandler() {
        @Override
        public void warning(SAXParseException exception) {
            // warnings (such as an unused namespace) do not make the text unreadable
        }

        @Override
        public void error(SAXParseException exception) throws SAXException {
            throw exception;
        }

        @Override
        public void fatalError(SAXParseException exception) throws SAXException {
            throw exception;
        }
    };

    private SafeXml() {}

    private static DocumentBuilder newBuilder() {
        try {
            synchronized (FACTORY) {
                return FACTORY.newDocumentBuilder();
            }
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("The JDK's XML parser cannot be configured securely", e);
        }
    }

    private static DocumentBuilderFactory factory() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(false);
            return factory;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("The JDK's XML parser lacks a required security feature", e);
        }
    }

    /** An element of a flat reading: its name, its depth (0 for the root) and its attributes in order. */
    record Tag(String name, int depth, Map<String, String> attributes) {}

    /** The JDK parser's property for resetting a closed reader instead of making a new one. */
    private static final String REUSE_INSTANCE = "reuse-instance";

    private static final ThreadLocal<XMLInputFactory> STREAMS = ThreadLocal.withInitial(SafeXml::newStreamFactory);

    private static XMLInputFactory newStreamFactory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        // the factory is the thread's own and every reader is closed before the next: let it reset the last one
        // instead of building a scanner anew (half the cost of reading a cookie)
        if (factory.isPropertySupported(REUSE_INSTANCE)) {
            factory.setProperty(REUSE_INSTANCE, Boolean.TRUE);
        }
        return factory;
    }

    /**
     * The elements of a small document in document order, read by a streaming parser without building a tree (for
     * paging cookies, read on every page). Refuses any DOCTYPE and any entity reference other than the predefined
     * ones, with an {@link IllegalArgumentException}.
     */
    static List<Tag> tags(String xml) {
        if (xml.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the XML is longer than " + MAX_LENGTH + " characters");
        }
        List<Tag> tags = new ArrayList<>();
        XMLStreamReader reader = null;
        try {
            reader = STREAMS.get().createXMLStreamReader(new StringReader(xml));
            int depth = 0;
            while (reader.hasNext()) {
                switch (reader.next()) {
                    case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE ->
                            throw new IllegalArgumentException("DOCTYPE declarations and entities are not allowed");
                    case XMLStreamConstants.START_ELEMENT -> {
                        Map<String, String> attributes = new LinkedHashMap<>();
                        for (int i = 0; i < reader.getAttributeCount(); i++) {
                            attributes.put(reader.getAttributeLocalName(i), reader.getAttributeValue(i));
                        }
                        tags.add(new Tag(reader.getLocalName(), depth++, attributes));
                    }
                    case XMLStreamConstants.END_ELEMENT -> depth--;
                    default -> {
                        // text, comments and processing instructions carry nothing a cookie needs
                    }
                }
            }
            return tags;
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // nothing is held open for a string source
                }
            }
        }
    }

    /**
     * The document, or an {@link IllegalArgumentException} naming what is wrong with the text (including any
     * DOCTYPE, which is refused).
     */
    static Document parse(String xml) {
        if (xml.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the XML is longer than " + MAX_LENGTH + " characters");
        }
        DocumentBuilder builder = BUILDERS.get();
        builder.reset();
        builder.setErrorHandler(FAIL_ON_ERRORS);
        builder.setEntityResolver((publicId, systemId) -> {
            throw new SAXException("external entities are not allowed");
        });
        try {
            return builder.parse(new InputSource(new StringReader(xml)));
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
