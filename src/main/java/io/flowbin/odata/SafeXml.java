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

    /**
     * The elements of a small document in document order (for paging cookies, read on every page). A strict reader
     * of the little XML a cookie is: elements with attributes, character data, the five predefined entities and
     * character references. It has no notion of a DOCTYPE, an external entity or any other entity, so there is
     * nothing to expand or fetch: a {@code <!}, a {@code <?}, an unknown entity or a document that is not
     * well-formed is refused with an {@link IllegalArgumentException}. (A general parser costs several times
     * more to set up per document than a cookie takes to read.)
     */
    static List<Tag> tags(String xml) {
        if (xml.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the XML is longer than " + MAX_LENGTH + " characters");
        }
        return new CookieReader(xml).read();
    }

    /** Reads one document for {@link #tags(String)}. Not thread-safe; one per document. */
    private static final class CookieReader {
        private final String xml;
        private int at;

        CookieReader(String xml) {
            this.xml = xml;
        }

        List<Tag> read() {
            List<Tag> tags = new ArrayList<>();
            java.util.ArrayDeque<String> open = new java.util.ArrayDeque<>();
            boolean rootClosed = false;
            while (at < xml.length()) {
                char c = xml.charAt(at);
                if (c != '<') {
                    if (c == '&') {
                        entity();
                    } else if (!Character.isWhitespace(c) && (open.isEmpty())) {
                        throw fail("text outside the root element");
                    } else {
                        at++;
                    }
                    continue;
                }
                at++;
                if (peek() == '!' || peek() == '?') {
                    throw fail("DOCTYPE declarations, comments and processing instructions are not allowed");
                }
                if (peek() == '/') {
                    at++;
                    String name = name();
                    spaces();
                    expect('>');
                    if (open.isEmpty() || !open.pop().equals(name)) {
                        throw fail("the end tag </" + name + "> does not close the open element");
                    }
                    rootClosed = open.isEmpty();
                    continue;
                }
                if (rootClosed || open.isEmpty() && !tags.isEmpty()) {
                    throw fail("a second root element");
                }
                String name = name();
                Map<String, String> attributes = new LinkedHashMap<>();
                while (true) {
                    boolean spaced = spaces();
                    char next = peek();
                    if (next == '/') {
                        at++;
                        expect('>');
                        tags.add(new Tag(name, open.size(), attributes));
                        rootClosed = open.isEmpty();
                        break;
                    }
                    if (next == '>') {
                        at++;
                        tags.add(new Tag(name, open.size(), attributes));
                        open.push(name);
                        break;
                    }
                    if (!spaced) {
                        throw fail("attributes must be separated by white space");
                    }
                    String attribute = name();
                    spaces();
                    expect('=');
                    spaces();
                    if (attributes.put(attribute, value()) != null) {
                        throw fail("the attribute " + attribute + " appears twice");
                    }
                }
            }
            if (tags.isEmpty() || !open.isEmpty()) {
                throw fail("the document ends before its root element does");
            }
            return tags;
        }

        private char peek() {
            if (at >= xml.length()) {
                throw fail("the document ends in the middle of a tag");
            }
            return xml.charAt(at);
        }

        private void expect(char wanted) {
            if (peek() != wanted) {
                throw fail("'" + wanted + "' expected at " + at);
            }
            at++;
        }

        private boolean spaces() {
            int start = at;
            while (at < xml.length() && (xml.charAt(at) == ' ' || xml.charAt(at) == '\t' || xml.charAt(at) == '\n'
                    || xml.charAt(at) == '\r')) {
                at++;
            }
            return at > start;
        }

        private String name() {
            int start = at;
            while (at < xml.length()) {
                char c = xml.charAt(at);
                boolean allowed = Character.isLetter(c) || c == '_' || c == ':'
                        || at > start && (Character.isDigit(c) || c == '-' || c == '.');
                if (!allowed) {
                    break;
                }
                at++;
            }
            if (at == start) {
                throw fail("a name expected at " + at);
            }
            return xml.substring(start, at);
        }

        private String value() {
            char quote = peek();
            if (quote != '"' && quote != '\'') {
                throw fail("an attribute value must be quoted");
            }
            at++;
            StringBuilder value = new StringBuilder();
            while (true) {
                char c = peek();
                if (c == quote) {
                    at++;
                    return value.toString();
                }
                switch (c) {
                    case '<' -> throw fail("'<' in an attribute value");
                    case '&' -> value.appendCodePoint(entity());
                    // attribute-value normalisation, as every XML parser does it
                    case '\t', '\n', '\r' -> {
                        value.append(' ');
                        at++;
                    }
                    default -> {
                        value.append(c);
                        at++;
                    }
                }
            }
        }

        /** A predefined entity or a character reference at {@code &}; returns its code point. */
        private int entity() {
            int end = xml.indexOf(';', at);
            if (end < 0 || end - at > 12) {
                throw fail("an entity reference without its ';'");
            }
            String reference = xml.substring(at + 1, end);
            at = end + 1;
            switch (reference) {
                case "lt": return '<';
                case "gt": return '>';
                case "amp": return '&';
                case "quot": return '"';
                case "apos": return '\'';
                default: break;
            }
            try {
                int codePoint = reference.startsWith("#x") ? Integer.parseInt(reference.substring(2), 16)
                        : reference.startsWith("#") ? Integer.parseInt(reference.substring(1)) : -1;
                if (codePoint >= 0 && Character.isValidCodePoint(codePoint)) {
                    return codePoint;
                }
            } catch (NumberFormatException e) {
                // named below
            }
            throw fail("entities other than the predefined ones are not allowed: &" + reference + ";");
        }

        private IllegalArgumentException fail(String why) {
            return new IllegalArgumentException(why);
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
