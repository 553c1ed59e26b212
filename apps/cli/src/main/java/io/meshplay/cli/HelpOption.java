package io.meshplay.cli;

import picocli.CommandLine.Option;

/** {@code -h/--help} on every command (a mixin, so there is no meaningless {@code --version} beside it). */
public final class HelpOption {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
}
