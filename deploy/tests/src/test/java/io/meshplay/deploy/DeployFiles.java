package io.meshplay.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.meshplay.config.AppArgs;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.testing.Processes;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Reading the repository the way the deploy/ files refer to it: YAML documents, apps, config keys. */
final class DeployFiles {

    static final Path ROOT = Processes.repoRoot();
    static final Path DEPLOY = ROOT.resolve("deploy");
    /** The apps a container image can hold (deploy/docker/Dockerfile's APP). */
    static final Set<String> APPS = Set.of("server", "client-pingpong", "client-stream", "client-azqueue-pub", "cli");
    /** Environment variables that are not config keys but that the apps or images read. */
    static final Set<String> NON_CONFIG_ENV = Set.of("MESHPLAY_CONFIG_DIR", "JAVA_OPTS");

    private static final Pattern KEY_LINE = Pattern.compile("^(\\s*)(#\\s*)?([a-z][a-z0-9-]*):(\\s.*)?$");

    private DeployFiles() {
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Every document of a YAML file (k8s files hold several). */
    static List<Map<String, Object>> documents(Path file) {
        return documents(read(file), file.toString());
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(String yaml, String name) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml(new LoaderOptions()).loadAll(yaml)) {
            if (doc != null) {
                if (!(doc instanceof Map)) {
                    throw new AssertionError(name + ": a document is not a mapping: " + doc);
                }
                docs.add((Map<String, Object>) doc);
            }
        }
        return docs;
    }

    static Map<String, Object> document(Path file) {
        List<Map<String, Object>> docs = documents(file);
        if (docs.size() != 1) {
            throw new AssertionError(file + " should hold one YAML document, holds " + docs.size());
        }
        return docs.getFirst();
    }

    static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Navigates nested maps/lists: {@code at(doc, "spec", "template", "spec")}; a missing step fails the test. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object node, Object... path) {
        Object current = node;
        StringBuilder where = new StringBuilder();
        for (Object step : path) {
            where.append('/').append(step);
            if (step instanceof Integer i && current instanceof List<?> list && i < list.size()) {
                current = list.get(i);
            } else if (current instanceof Map<?, ?> map && map.containsKey(step)) {
                current = map.get(step);
            } else {
                throw new AssertionError("no " + where + " in " + node);
            }
        }
        return (T) current;
    }

    /**
     * Config keys the apps know: those set in config/*.yaml and core's built-in defaults, those documented
     * there as commented-out examples ({@code # address: http://...} under {@code consul:}), and the common
     * keys every app's --help lists.
     */
    static Set<String> knownConfigKeys() {
        Set<String> keys = new TreeSet<>(AppArgs.commonKeys().keySet());
        try (Stream<Path> files = Files.list(ROOT.resolve("config"))) {
            files.filter(f -> f.toString().endsWith(".yaml")).forEach(f -> keys.addAll(keysOf(read(f))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (var in = MeshplayConfig.class.getClassLoader().getResourceAsStream(MeshplayConfig.DEFAULTS_RESOURCE)) {
            keys.addAll(keysOf(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return keys;
    }

    /** Dotted paths of every key line, commented-out ones included, by indentation. */
    static Set<String> keysOf(String yaml) {
        Set<String> keys = new TreeSet<>();
        Deque<Map.Entry<Integer, String>> parents = new ArrayDeque<>();
        for (String line : yaml.split("\n")) {
            Matcher m = KEY_LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            int indent = m.group(1).length();
            while (!parents.isEmpty() && parents.peek().getKey() >= indent) {
                parents.pop();
            }
            StringBuilder path = new StringBuilder();
            parents.descendingIterator().forEachRemaining(p -> path.append(p.getValue()).append('.'));
            path.append(m.group(3));
            keys.add(path.toString());
            String value = m.group(4) == null ? "" : m.group(4).strip();
            if (m.group(2) == null && (value.isEmpty() || value.startsWith("#"))) {
                parents.push(Map.entry(indent, m.group(3)));
            }
        }
        return keys;
    }

    /**
     * The config key an environment variable sets, as Helidon maps it (REGISTRY_CONSUL_ADDRESS ->
     * registry.consul.address, _DASH_ for '-'): asked of Helidon itself, so a name it would not map fails.
     */
    static String configKeyOf(String env) {
        String expected = env.toLowerCase(Locale.ROOT).replace("_dash_", "-").replace('_', '.');
        Map<String, String> expanded = io.helidon.config.EnvironmentVariables.expand(Map.of(env, "x"));
        if (!expanded.containsKey(expected)) {
            throw new AssertionError("Helidon does not map " + env + " to " + expected + " (it gives " + expanded.keySet() + ")");
        }
        return expected;
    }

    /** The project version without -SNAPSHOT, which the image tags carry. */
    static String imageVersion() {
        Matcher m = Pattern.compile("<artifactId>meshplay-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(read(ROOT.resolve("pom.xml")));
        if (!m.find()) {
            throw new AssertionError("no meshplay-parent version in pom.xml");
        }
        return m.group(1).replace("-SNAPSHOT", "");
    }

    /** A property or element of an app's pom, e.g. {@code mainClass} or {@code finalName}. */
    static String pomElement(String app, String element) {
        Matcher m = Pattern.compile("<" + element + ">([^<]+)</" + element + ">").matcher(read(ROOT.resolve("apps/" + app + "/pom.xml")));
        if (!m.find()) {
            throw new AssertionError("apps/" + app + "/pom.xml has no <" + element + ">");
        }
        return m.group(1).strip();
    }

    /** The Azurite version deploy/local pins for npm, which the container images should match. */
    static String azuriteVersion() {
        Matcher m = Pattern.compile("\"azurite\"\\s*:\\s*\"([^\"]+)\"").matcher(read(DEPLOY.resolve("local/azurite.package.json")));
        if (!m.find()) {
            throw new AssertionError("no azurite version in deploy/local/azurite.package.json");
        }
        return m.group(1);
    }
}
