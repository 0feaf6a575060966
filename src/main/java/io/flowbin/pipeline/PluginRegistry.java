package io.flowbin.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;

/** The in-process plug-ins on the class path, by class name, found once with {@link ServiceLoader}. Thread-safe. */
final class PluginRegistry {
    private final Map<String, Plugin> plugins;

    private PluginRegistry(Map<String, Plugin> plugins) {
        this.plugins = Map.copyOf(plugins);
    }

    static PluginRegistry discover(ClassLoader loader) {
        Map<String, Plugin> found = new LinkedHashMap<>();
        for (Plugin plugin : ServiceLoader.load(Plugin.class, loader)) {
            found.put(plugin.getClass().getName(), plugin);
        }
        return new PluginRegistry(found);
    }

    @Nullable Plugin plugin(String typeName) {
        return plugins.get(typeName);
    }

    Map<String, Plugin> all() {
        return plugins;
    }
}
