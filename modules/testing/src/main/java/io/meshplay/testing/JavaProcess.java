package io.meshplay.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines for child JVMs run from this JVM's class path: servers in their own process, so a test
 * or the bench can kill, restart or measure them apart from the caller. One place for the flags, so a new
 * JDK's warning is silenced everywhere at once.
 */
public final class JavaProcess {

    /**
     * A small, fast-starting heap for servers under test: several run at once on a 2-core machine beside
     * the build, and the serial collector needs no GC threads.
     */
    public static final List<String> SMALL_HEAP = List.of("-Xmx128m", "-XX:+UseSerialGC");

    private JavaProcess() {
    }

    /** {@code java <quiet flags> <jvmArgs> -cp <this JVM's class path> <main> <args>}, on this JVM's JDK. */
    public static List<String> command(List<String> jvmArgs, String mainClass, List<String> args) {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.addAll(quietFlags());
        c.addAll(jvmArgs);
        c.add("-cp");
        c.add(System.getProperty("java.class.path"));
        c.add(mainClass);
        c.addAll(args);
        return c;
    }

    /** {@link #command} with {@link #SMALL_HEAP} and extra JVM flags. */
    public static List<String> small(List<String> jvmArgs, String mainClass, List<String> args) {
        List<String> flags = new ArrayList<>(SMALL_HEAP);
        flags.addAll(jvmArgs);
        return command(flags, mainClass, args);
    }

    /**
     * Flags every child JVM gets: protobuf and netty use Unsafe and native access, which JDK 24+ warns
     * about on stderr (noise in every log a test reads); the Unsafe flag does not exist before 24.
     */
    public static List<String> quietFlags() {
        List<String> f = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 24) {
            f.add("--sun-misc-unsafe-memory-access=allow");
        }
        return f;
    }
}
