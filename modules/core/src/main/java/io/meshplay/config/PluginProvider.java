package io.meshplay.config;

import java.util.function.Function;

import io.helidon.config.Config;

/**
 * What a plug-in provider is made of: the name {@code <area>.type} selects it by, the options it reads
 * under {@code <area>.<type>} and how it opens from that node. A provider extends this and implements its
 * area's interface ({@code RegistryProvider}, {@code BrokerProvider}), so declaring a plug-in is one
 * constructor call rather than the same three methods written again in each.
 *
 * @param <T> what it opens
 */
public abstract class PluginProvider<T> {

    private final String type;
    private final Options options;
    private final Function<Config, T> open;

    /**
     * @param type    the name in {@code <area>.type}
     * @param options what it reads under {@code <area>.<type>}, for {@code --help}
     * @param open    opens it from its own node, {@code <area>.<type>} (which may be missing: all defaults)
     */
    protected PluginProvider(String type, Options options, Function<Config, T> open) {
        this.type = type;
        this.options = options;
        this.open = open;
    }

    public String type() {
        return type;
    }

    public Options options() {
        return options;
    }

    /** @param config the area's node, e.g. {@code registry} */
    public T create(Config config) {
        return open.apply(config.get(type));
    }
}
