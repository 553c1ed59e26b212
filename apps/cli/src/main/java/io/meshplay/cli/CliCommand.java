package io.meshplay.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A {@code meshplay} sub-command, at any depth ({@code intentions allow} too): gets a {@link Session} for
 * its run and returns an exit code.
 */
abstract class CliCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Override
    public final Integer call() throws Exception {
        MeshplayCli root = (MeshplayCli) spec.root().userObject();
        try (Session session = root.session(spec.commandLine())) {
            return run(session);
        }
    }

    protected abstract int run(Session session) throws Exception;
}
