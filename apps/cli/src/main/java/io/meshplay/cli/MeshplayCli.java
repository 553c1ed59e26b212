package io.meshplay.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import io.helidon.config.Config;
import io.meshplay.config.AppArgs;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.config.Options;
import io.meshplay.tracing.TracingOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code meshplay} command (go-micro's {@code micro}): inspect the registry, call services through
 * it, and look into queues, with the same config (and so the same plug-ins) the apps use.
 */
@Command(name = "meshplay",
        description = "Inspect and drive the meshplay mesh: services, health, calls, queues, intentions.",
        subcommands = {ServicesCommand.class, DescribeCommand.class, CallCommand.class, HealthCommand.class,
                PublishCommand.class, SubscribeCommand.class, PoisonCommand.class, IntentionsCommand.class},
        usageHelpAutoWidth = true,
        footerHeading = "%nConfig:%n")
public final class MeshplayCli implements Callable<Integer> {

    /** Held so the level set on it is not lost with a garbage-collected logger. */
    private static final Logger AZURE_LOGGER = Logger.getLogger("com.azure");
    private static final Logger OPENTELEMETRY_LOGGER = Logger.getLogger("io.opentelemetry");
    private static volatile boolean ownsLogging;
    /**
     * The keys the CLI itself reads beside the plug-ins': checked (unknown keys are warnings, bad values
     * errors) and listed in --help. tls.* is listed but not checked, as before.
     */
    static final Options KEYS = TracingOptions.OPTIONS;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "table|json",
            description = "Output format: table (default) or json.")
    Output.Format output = Output.Format.table;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Show stack traces with errors, plug-in logs, and the trace id of call and publish on stderr.")
    boolean verbose;

    @Option(names = "--set", scope = ScopeType.INHERIT, paramLabel = "key=value",
            description = "Override a config key (repeatable), e.g. --set registry.type=memory.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    private final Function<Map<String, String>, Config> configLoader;
    private final InputStream in;
    private final boolean interactive;

    /** As run from a terminal: config from config/ and the environment, stdin, and prompts when a console is attached. */
    public MeshplayCli() {
        // config/cli.yaml, but the lines a user reads say "meshplay:", as the command is called
        this(overrides -> MeshplayConfig.load("cli", overrides, null, KEYS,
                warning -> System.err.println("meshplay: warning: " + warning)), System.in, System.console() != null);
    }

    /**
     * @param configLoader builds the config from the {@code --set} overrides
     * @param in           where {@code call} reads stream requests and {@code poison purge} its answer
     * @param interactive  whether a person can answer a prompt
     */
    public MeshplayCli(Function<Map<String, String>, Config> configLoader, InputStream in, boolean interactive) {
        this.configLoader = configLoader;
        this.in = in;
        this.interactive = interactive;
    }

    public static void main(String[] args) {
        quietLogging();
        int code = commandLine(new MeshplayCli()).execute(args);
        System.exit(code);
    }

    /** The configured picocli command line: error handling and exit codes in {@link ErrorHandler}. */
    public static CommandLine commandLine(MeshplayCli cli) {
        CommandLine cmd = new CommandLine(cli);
        ErrorHandler errors = new ErrorHandler(cli);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setExecutionExceptionHandler(errors);
        cmd.setParameterExceptionHandler(errors);
        cmd.setExitCodeExceptionMapper(errors);
        cmd.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_FOOTER, help -> footer());
        // every command's help ends with the same exit codes, from the one table in ExitCodes
        exitCodesInHelp(cmd);
        return cmd;
    }

    private static void exitCodesInHelp(CommandLine cmd) {
        cmd.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.help());
        cmd.getSubcommands().values().forEach(MeshplayCli::exitCodesInHelp);
    }

    /**
     * Where config comes from, then every plug-in key from its declaration: what --set can name. Printed
     * as is: picocli would wrap the key list without indenting the continuation.
     */
    private static String footer() {
        List<String> lines = new ArrayList<>(List.of(
                "config/meshplay.yaml, then config/cli.yaml, then the environment",
                "(registry.consul.address <- REGISTRY_CONSUL_ADDRESS), then --set key=value.",
                "MESHPLAY_CONFIG_DIR moves the folder. registry.type and broker.type choose the",
                "plug-ins, as for the apps. Keys:"));
        Map<String, String> keys = new java.util.LinkedHashMap<>(AppArgs.commonKeys());
        keys.putAll(io.meshplay.security.TransportSecurities.options().help()); // call and health dial with tls.*
        keys.putAll(KEYS.help()); // call and publish start a trace (exported under tracing.enabled)
        int width = keys.keySet().stream().mapToInt(String::length).max().orElse(0);
        // picocli formats footer lines: a '%' in a description must stay a '%'
        keys.forEach((key, help) -> lines.add(String.format("  %-" + width + "s  %s", key, help)));
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    /** The CLI's version from its jar's manifest; 1.0.0 when run from classes (tests). */
    static String version() {
        String version = MeshplayCli.class.getPackage().getImplementationVersion();
        return version == null ? "1.0.0" : version;
    }

    boolean verbose() {
        return verbose;
    }

    /** Without a command: the overview, and a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    Session session(CommandLine command) {
        if (ownsLogging && verbose) {
            Logger.getLogger("").setLevel(Level.INFO);
        }
        PrintWriter out = command.getOut();
        return new Session(configLoader.apply(Map.copyOf(overrides)), new Output(out, output), command.getErr(), in,
                verbose, interactive);
    }

    /**
     * Logs go to stderr and only warnings by default: stdout is for results, which scripts parse.
     * (Helidon's console handler would write to stdout.)
     */
    private static void quietLogging() {
        ownsLogging = true;
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tH:%1$tM:%1$tS.%1$tL %4$s %3$s - %5$s%6$s%n");
        LogManager.getLogManager().reset();
        ConsoleHandler stderr = new ConsoleHandler();
        stderr.setLevel(Level.ALL);
        stderr.setFormatter(new SimpleFormatter());
        Logger root = Logger.getLogger("");
        root.addHandler(stderr);
        root.setLevel(Level.WARNING);
        // the CLI reports failures itself, in one line; the Azure SDK would add its own for each (a missing
        // queue included), quoting response bodies, which can carry request signatures
        AZURE_LOGGER.setLevel(Level.OFF);
        // under tracing.enabled with Zipkin down, meshplay's tracing says so in one line; the exporter would add
        // a stack trace of its own
        OPENTELEMETRY_LOGGER.setLevel(Level.OFF);
    }
}
