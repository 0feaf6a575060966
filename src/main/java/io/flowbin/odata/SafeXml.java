package io.flowbin.odata;

import java.io.IOException;
import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Parses client XML (FetchXML, paging cookies) with everything that reaches beyond the text switched off: no DTDs,
 * no external entities or schemas, no XInclude, and the JDK's processing limits. Thread-safe.
 */
final class SafeXml {
    /** Longest XML accepted; a query URL cannot carry more. */
    static final int MAX_LENGTH = 65_536;

    private static final DocumentBuilderFactory FACTORY = factory();

    private SafeXml() {}

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
        try {
            DocumentBuilder builder;
            synchronized (FACTORY) {
                builder = FACTORY.newDocumentBuilder();
            }
            builder.setErrorHandler(null);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entities are not allowed");
            });
            return builder.parse(new InputSource(new StringReader(xml)));
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
