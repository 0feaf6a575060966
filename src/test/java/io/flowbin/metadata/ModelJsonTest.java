package io.flowbin.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelJsonTest {

    @Test
    void shippedDefinitionsAreWhatTheImporterProducesFromTheSharedPages() {
        String regenerated = ModelJson.write(SharedPages.model());
        assertEquals(regenerated, ModelJson.shippedJson(),
                "model.json is stale: run ./flowbin import-definitions <shared-dir> "
                        + "src/main/resources/io/flowbin/metadata/model.json");
        assertEquals(SharedPages.model(), ModelJson.shippedModel());
    }

    @Test
    void importDefinitionsRegeneratesTheShippedFile(@TempDir Path folder) throws IOException {
        Path output = folder.resolve("definitions").resolve("model.json");
        ImportDefinitions.main(new String[] {SharedPages.dir().toString(), output.toString()});
        assertEquals(ModelJson.shippedJson(), Files.readString(output, StandardCharsets.UTF_8));
    }

    @Test
    void writtenModelReadsBackEqual() {
        Model model = SharedPages.model();
        String json = ModelJson.write(model);
        assertEquals(model, ModelJson.read(json));
        assertEquals(json, ModelJson.write(ModelJson.read(json)));
    }

    @Test
    void shippedModelIsReadOnce() {
        assertSame(ModelJson.shippedModel(), ModelJson.shippedModel());
    }

    @Test
    void textThatIsNotAModelIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ModelJson.read("{\"tables\": 1}"));
    }
}
