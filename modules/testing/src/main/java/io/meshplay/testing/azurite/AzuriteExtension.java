package io.meshplay.testing.azurite;

import io.meshplay.testing.ClassScopedExtension;

/**
 * Starts one real Azurite per test class and injects it as an {@link Azurite} parameter (into test
 * methods, constructors and lifecycle methods). It is stopped by PID after the class, also when a
 * test fails.
 *
 * <pre>{@code
 * @ExtendWith(AzuriteExtension.class)
 * class MyTest {
 *     @Test void works(Azurite azurite) { ... azurite.connectionString() ... }
 * }
 * }</pre>
 */
public final class AzuriteExtension extends ClassScopedExtension<Azurite> {

    public AzuriteExtension() {
        super(Azurite.class, Azurite::launch);
    }
}
