package io.meshplay.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/docker/Dockerfile cannot be built here (no container engine), so this checks what a build
 * would need: every COPY source is something the Maven build produces (or a file in the repo), the
 * .dockerignore lets it through, and the entrypoint starts the jar whose manifest names the app's main.
 */
class DockerfileTest {

    private static final Path DOCKERFILE = DeployFiles.DEPLOY.resolve("docker/Dockerfile");
    private static final Pattern COPY = Pattern.compile("(?m)^COPY\\s+(\\S+)\\s+(\\S+)\\s*$");

    private final String dockerfile = DeployFiles.read(DOCKERFILE);

    @Test
    void jreBaseNonRootUserAndEntrypointRunningTheCopiedJar() {
        // users get an upstream JRE 21+; deploy/local/containers passes its local base through the same argument
        assertThat(dockerfile).containsPattern("(?m)^ARG BASE_IMAGE=eclipse-temurin:(2[1-9]|[3-9][0-9])-jre\\b")
                .containsPattern("(?m)^FROM \\$\\{BASE_IMAGE}$");
        Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(dockerfile);
        assertThat(user.find()).isTrue();
        assertThat(user.group(1)).isNotIn("root", "0");
        // @/app/jvm.args: the start-up cache's flags, written by the training run at build time
        assertThat(dockerfile).containsPattern("(?m)^ENTRYPOINT \\[.*exec java @/app/jvm.args \\$JAVA_OPTS -jar /app/app.jar")
                .containsPattern("(?m)^RUN meshplay-aot-train$")
                .containsPattern("(?m)^HEALTHCHECK .*CMD \\[\"meshplay-healthcheck\"]");
        assertThat(copies()).contains(List.of("apps/${APP}/target/meshplay-${APP}.jar", "/app/app.jar"),
                List.of("apps/${APP}/target/lib/", "/app/lib/"));
        assertThat(dockerfile).containsPattern("(?m)^ARG APP=server$").contains("MESHPLAY_CONFIG_DIR=/app/config")
                .containsPattern("-XX:MaxRAMPercentage=\\d+").doesNotContainPattern("-Xmx\\d+");
    }

    @ParameterizedTest
    @ValueSource(strings = {"server", "client-pingpong", "client-stream", "client-azqueue-pub", "cli"})
    void copySourcesAreProducedByTheBuild(String app) throws IOException {
        for (List<String> copy : copies()) {
            String source = copy.get(0).replace("${APP}", app);
            if (source.equals("apps/" + app + "/target/meshplay-" + app + ".jar")) {
                // the jar plugin writes target/<finalName>.jar
                assertThat(DeployFiles.pomElement(app, "finalName")).isEqualTo("meshplay-" + app);
            } else if (source.equals("apps/" + app + "/target/lib/")) {
                // the dependency plugin's copy-libs execution (parent pom) writes target/lib in every app that declares it
                assertThat(DeployFiles.read(DeployFiles.ROOT.resolve("apps/" + app + "/pom.xml"))).contains("<artifactId>maven-dependency-plugin</artifactId>");
                assertThat(DeployFiles.read(DeployFiles.ROOT.resolve("pom.xml")))
                        .contains("<outputDirectory>${project.build.directory}/lib</outputDirectory>")
                        .contains("<classpathPrefix>lib/</classpathPrefix>");
            } else {
                assertThat(DeployFiles.ROOT.resolve(source)).as("COPY " + source).exists();
            }
            assertThat(ignoredByDocker(source)).as(source + " passes Dockerfile.dockerignore").isFalse();
        }
        // the jar's Main-Class is the app's main, which exists and has a main method
        String main = DeployFiles.pomElement(app, "mainClass");
        Path source = DeployFiles.ROOT.resolve("apps/" + app + "/src/main/java/" + main.replace('.', '/') + ".java");
        assertThat(source).isRegularFile();
        assertThat(Files.readString(source)).containsPattern("public static void main\\(String\\[\\] args\\)");
        // where this build already made the jar (every app is before this module in the reactor), read its manifest
        Path jar = DeployFiles.ROOT.resolve("apps/" + app + "/target/meshplay-" + app + ".jar");
        if (Files.isRegularFile(jar)) {
            try (JarFile j = new JarFile(jar.toFile())) {
                Manifest manifest = j.getManifest();
                assertThat(manifest.getMainAttributes().getValue("Main-Class")).isEqualTo(main);
                for (String entry : manifest.getMainAttributes().getValue("Class-Path").split(" ")) {
                    assertThat(entry).startsWith("lib/");
                }
            }
        }
    }

    @Test
    void healthcheckAndTrainingScriptsAreExecutable() {
        assertThat(DeployFiles.DEPLOY.resolve("docker/healthcheck")).isExecutable();
        assertThat(DeployFiles.DEPLOY.resolve("docker/aot-train")).isExecutable();
    }

    private List<List<String>> copies() {
        List<List<String>> copies = new ArrayList<>();
        Matcher m = COPY.matcher(dockerfile);
        while (m.find()) {
            copies.add(List.of(m.group(1), m.group(2)));
        }
        assertThat(copies).isNotEmpty();
        return copies;
    }

    /** Dockerfile.dockerignore as Docker reads it: rules in order, '!' re-includes, a folder rule covers its contents. */
    private static boolean ignoredByDocker(String source) {
        String path = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
        boolean ignored = false;
        for (String line : DeployFiles.read(DeployFiles.DEPLOY.resolve("docker/Dockerfile.dockerignore")).split("\n")) {
            String rule = line.strip();
            if (rule.isEmpty() || rule.startsWith("#")) {
                continue;
            }
            boolean keep = rule.startsWith("!");
            String glob = (keep ? rule.substring(1) : rule).replaceAll("/$", "");
            var matcher = java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + glob);
            // a rule on a folder covers what is inside it; the last matching rule wins
            for (Path p = Path.of(path); p != null; p = p.getParent()) {
                if (matcher.matches(p)) {
                    ignored = !keep;
                    break;
                }
            }
        }
        return ignored;
    }
}
