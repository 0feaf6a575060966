package io.flowbin.metadata;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes a {@link Model} as JSON, and loads the definitions shipped with the server. The output is
 * deterministic (record component order, two-space indent, {@code \n} line ends, plain decimals), so a regenerated
 * file only changes where the pages do. Thread-safe.
 */
public final class ModelJson {
    /** The classpath location of the shipped definitions. */
    public static final String SHIPPED_RESOURCE = "/io/flowbin/metadata/model.json";

    /**
     * Definitions of platform tables that have no reference page to import (privileges, event registrations, ...),
     * kept by hand in the same format and served beside the imported ones.
     */
    public static final List<String> PLATFORM_RESOURCES =
            List.of("/io/flowbin/metadata/security.json", "/io/flowbin/metadata/platform-events.json");

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    // parsed on first use, so a missing or broken file fails that call with its reason rather than class loading
    private static volatile @Nullable Model shipped;
    private static volatile @Nullable Model served;

    private ModelJson() {}

    public static String write(Model model) {
        try {
            return WRITER.writeValueAsString(model) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the model as JSON", e);
        }
    }

    /** @throws IllegalArgumentException when the text is not a model */
    public static Model read(String json) {
        try {
            return MAPPER.readValue(json, Model.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not a model definition: " + e.getOriginalMessage(), e);
        }
    }

    /** The definitions shipped in the server's classpath, read once. */
    public static Model shippedModel() {
        Model model = shipped;
        if (model == null) {
            synchronized (ModelJson.class) {
                model = shipped;
                if (model == null) {
                    model = read(shippedJson());
                    shipped = model;
                }
            }
        }
        return model;
    }

    /** The imported definitions together with the platform tables: every table the server serves, read once. */
    public static Model servedModel() {
        Model model = served;
        if (model == null) {
            synchronized (ModelJson.class) {
                model = served;
                if (model == null) {
                    List<TableDefinition> tables = new ArrayList<>(shippedModel().tables());
                    List<RelationshipDefinition> relationships = new ArrayList<>(shippedModel().relationships());
                    for (String resource : PLATFORM_RESOURCES) {
                        Model platform = read(resourceText(resource));
                        tables.addAll(platform.tables());
                        relationships.addAll(platform.relationships());
                    }
                    model = new Model(tables, relationships);
                    served = model;
                }
            }
        }
        return model;
    }

    /** The shipped JSON text, as stored. */
    public static String shippedJson() {
        return resourceText(SHIPPED_RESOURCE);
    }

    private static String resourceText(String resource) {
        try (InputStream in = ModelJson.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The shipped definitions " + resource + " are missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the shipped definitions " + resource, e);
        }
    }
}
