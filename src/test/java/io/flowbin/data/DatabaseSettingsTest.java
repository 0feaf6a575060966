package io.flowbin.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

    @Test
    void embeddedDatabaseLivesInTheDataFolder() {
        DatabaseSettings settings = DatabaseSettings.embedded(Path.of("/srv/flowbin-data"));
        assertTrue(settings.jdbcUrl().startsWith("jdbc:h2:file:/srv/flowbin-data/db/flowbin;"), settings.jdbcUrl());
        assertTrue(settings.jdbcUrl().contains("DB_CLOSE_ON_EXIT=FALSE"));
        assertEquals(DatabaseSettings.DEFAULT_MAX_POOL_SIZE, settings.maxPoolSize());
        assertEquals(16, settings.maxPoolSize());
    }

    @Test
    void passwordNeverAppearsInText() {
        DatabaseSettings settings = new DatabaseSettings(
                "jdbc:postgresql://db/flowbin?user=flowbin&password=hunter2&ssl=true", "flowbin", "secret", 8);
        assertFalse(settings.toString().contains("hunter2") || settings.toString().contains("secret"),
                settings.toString());
        assertTrue(settings.redactedUrl().endsWith("password=***&ssl=true"), settings.redactedUrl());
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new DatabaseSettings("jdbc:sqlite:flowbin.db", null, null, 16));
        assertThrows(IllegalArgumentException.class,
                () -> new DatabaseSettings("jdbc:h2:mem:flowbin", null, null, 0));
        assertThrows(IllegalArgumentException.class, () -> DatabaseSettings.embedded(Path.of("/tmp/a;b")));
    }
}
