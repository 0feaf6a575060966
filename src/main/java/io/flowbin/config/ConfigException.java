package io.flowbin.config;

/**
 * A setting with a value the server cannot start with; the message names the setting and the value it had (secrets
 * excepted). Immutable.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String setting;

    public ConfigException(String setting, String message) {
        super(message);
        this.setting = setting;
    }

    public ConfigException(String setting, String message, Throwable cause) {
        super(message, cause);
        this.setting = setting;
    }

    /** The environment variable at fault, such as {@code FLOWBIN_PORT}. */
    public String setting() {
        return setting;
    }
}
