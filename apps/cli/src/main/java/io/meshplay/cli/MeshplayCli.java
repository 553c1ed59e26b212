package io.meshplay.cli;

/** Placeholder until the CLI lands (issue 7). */
public final class MeshplayCli {
    private MeshplayCli() {
    }

    public static void main(String[] args) {
        System.err.println("meshplay: the CLI is not built yet");
        System.exit(2);
    }
}
