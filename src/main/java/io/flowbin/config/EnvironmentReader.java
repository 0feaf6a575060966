package io.flowbin.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads typed values from an environment map, turning each unreadable value into a {@link ConfigException} that names
 * its setting. A blank value counts as unset, as container tools often pass {@code NAME=} for "no value". Immutable.
 */
final class EnvironmentReader {
    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final Map<String, String> environment;

    EnvironmentReader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Nullable String text(Setting setting) {
        String value = environment.get(setting.key);
        return value == null || value.isBlank() ? null : value;
    }

    String text(Setting setting, String defaultValue) {
        String value = text(setting);
        return value == null ? defaultValue : value;
    }

    int integer(Setting setting, int defaultValue, int min, int max) {
        String value = text(setting);
        if (value == null) {
            return defaultValue;
        }
        try {
            long number = Long.parseLong(value.strip());
            if (number < min || number > max) {
                throw outOfRange(setting, min, max, value);
            }
            return (int) number;
        } catch (NumberFormatException e) {
            throw outOfRange(setting, min, max, value);
        }
    }

    boolean bool(Setting setting, boolean defaultValue) {
        String value = text(setting);
        if (value == null) {
            return defaultValue;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(
                    setting.key, setting.key + " must be true or false, was '" + value + "'");
        };
    }

    @Nullable UUID guid(Setting setting) {
        String value = text(setting);
        if (value == null) {
            return null;
        }
        // UUID.fromString alone accepts short groups such as 1-2-3-4-5, which are not GUIDs
        if (!GUID.matcher(value.strip()).matches()) {
            throw new ConfigException(
                    setting.key,
                    setting.key + " must be a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301, was '" + value + "'");
        }
        return UUID.fromString(value.strip());
    }

    @Nullable URI httpUrl(Setting setting) {
        String value = text(setting);
        if (value == null) {
            return null;
        }
        String message = setting.key + " must be an absolute http or https URL, was '" + value + "'";
        try {
            URI uri = new URI(value.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new ConfigException(setting.key, message);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(setting.key, message, e);
        }
    }

    Path path(Setting setting, String defaultValue) {
        String value = text(setting, defaultValue);
        try {
            return Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException(
                    setting.key, setting.key + " must be a folder path, was '" + value + "': " + e.getReason(), e);
        }
    }

    static ConfigException outOfRange(Setting setting, long min, long max, String value) {
        return new ConfigException(
                setting.key, setting.key + " must be a number from " + min + " to " + max + ", was '" + value + "'");
    }
}
