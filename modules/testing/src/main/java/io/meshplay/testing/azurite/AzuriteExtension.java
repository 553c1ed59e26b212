package io.meshplay.testing.azurite;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

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
public final class AzuriteExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(AzuriteExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        azurite(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) throws ParameterResolutionException {
        return parameter.getParameter().getType() == Azurite.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) throws ParameterResolutionException {
        return azurite(context);
    }

    /** The class-level Azurite: stored in the class context, so it closes when the class is done. */
    private static Azurite azurite(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext.getStore(NAMESPACE)
                .getOrComputeIfAbsent("azurite", k -> new Resource(Azurite.launch()), Resource.class)
                .azurite();
    }

    private record Resource(Azurite azurite) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            azurite.close();
        }
    }
}
