package io.flowbin.config;

/**
 * Prints the settings help without starting anything, for the launcher's {@code --help}. Stateless.
 */
public final class Help {
    private Help() {}

    public static void main(String[] args) {
        System.out.print(ServerConfig.describeSettings());
    }
}
