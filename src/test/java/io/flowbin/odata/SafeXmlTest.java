package io.flowbin.odata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SafeXmlTest {
    @Test
    void cookiesAreReadElementByElementWithTheirAttributes() {
        List<SafeXml.Tag> tags = SafeXml.tags("<cookie page=\"1\">\n  <name last=\"a&amp;b &lt;c&gt; &quot;d&quot;"
                + " &apos;e&apos; &#65;&#x42;\" first='x\ty' /><flowsessionbinaryid last=\"{01A2}\"></flowsessionbinaryid>"
                + "</cookie>");
        assertEquals(List.of(new SafeXml.Tag("cookie", 0, Map.of("page", "1")),
                new SafeXml.Tag("name", 1, Map.of("last", "a&b <c> \"d\" 'e' AB", "first", "x y")),
                new SafeXml.Tag("flowsessionbinaryid", 1, Map.of("last", "{01A2}"))), tags);
        assertEquals(List.of(new SafeXml.Tag("cookie", 0, Map.of("pagenumber", "2", "istracking", "False"))),
                SafeXml.tags("<cookie pagenumber=\"2\" istracking=\"False\" />"));
    }

    @Test
    void anythingButPlainElementsIsRefused() {
        for (String xml : List.of(
                "<!DOCTYPE cookie [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><cookie a=\"&x;\"/>",
                "<?xml version=\"1.0\"?><cookie/>",
                "<cookie><!-- c --></cookie>",
                "<cookie a=\"&x;\"/>",
                "<cookie a=\"&#xZZ;\"/>",
                "<cookie a=\"1\" a=\"2\"/>",
                "<cookie a=1/>",
                "<cookie a=\"<\"/>",
                "<cookie><name></cookie>",
                "<cookie>",
                "<cookie/><cookie/>",
                "text<cookie/>",
                "<cookie/>text",
                "<cookie a=\"1\"b=\"2\"/>",
                "",
                "<cookie a=\"unterminated/>")) {
            assertThrows(IllegalArgumentException.class, () -> SafeXml.tags(xml), xml);
        }
    }
}
