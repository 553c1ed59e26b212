package io.meshplay.config;

/**
 * A credential read from config (a token, a key, a connection string). Its {@code toString()} says only
 * whether it is set, so a record or log line that holds one cannot print it by accident.
 *
 * @param value the credential; {@code null} or blank when none is set
 */
public record Secret(String value) {

    public static final Secret NONE = new Secret(null);

    public boolean present() {
        return value != null && !value.isBlank();
    }

    @Override
    public String toString() {
        return present() ? "(set)" : "(none)";
    }
}
