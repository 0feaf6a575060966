package io.flowbin.odata;

import java.io.IOException;
import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
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
