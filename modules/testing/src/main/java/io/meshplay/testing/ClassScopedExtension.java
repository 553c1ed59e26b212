package io.meshplay.testing;

import java.util.function.Supplier;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real process per test class (Azurite, Zipkin), started before the class and injected as a parameter of
 * type {@code T} into test methods, constructors and lifecycle methods; closed after the class, also when a
 * test fails, because it lives in the class's store.
 *
 * @param <T> the handle tests get
 */
public abstract class ClassScopedExtension<T extends AutoCloseable> implements BeforeAllCallback, ParameterResolver {

    private final Class<T> type;
    private final Supplier<T> start;
    private final ExtensionContext.Namespace namespace;

    protected ClassScopedExtension(Class<T> type, Supplier<T> start) {
        this.type = type;
        this.start = start;
        this.namespace = ExtensionContext.Namespace.create(getClass());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        resource(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == type;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return resource(context);
    }

    private T resource(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        @SuppressWarnings("unchecked")
        Resource<T> resource = classContext.getStore(namespace)
                .getOrComputeIfAbsent(type.getName(), k -> new Resource<>(start.get()), Resource.class);
        return resource.value();
    }

    private record Resource<T extends AutoCloseable>(T value) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Exception {
            value.close();
        }
    }
}
