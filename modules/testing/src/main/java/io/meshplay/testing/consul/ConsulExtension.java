package io.meshplay.testing.consul;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Starts one real Consul dev agent per test class (a dev agent starts in well under a second, and a
 * class-wide agent keeps tests fast) and injects it as a {@link ConsulAgent} parameter into
 * constructors, lifecycle methods and tests. The agent is stopped by PID after the class.
 *
 * <pre>{@code
 * @ExtendWith(ConsulExtension.class)
 * @ConsulAcl                      // optional: ACLs on, default deny, a management token
 * class MyTest {
 *     @Test void works(ConsulAgent consul) { ... consul.httpAddress() ... }
 * }
 * }</pre>
 */
public final class ConsulExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ConsulExtension.class);
    private static final String KEY = "agent";

    @Override
    public void beforeAll(ExtensionContext context) {
        boolean acl = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), ConsulAcl.class).isPresent();
        // a nested class reuses its enclosing class's agent
        if (context.getStore(NAMESPACE).get(KEY, Stopper.class) != null) {
            return;
        }
        ConsulAgent agent = ConsulAgent.start(acl);
        context.getStore(NAMESPACE).put(KEY, new Stopper(agent));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Stopper stopper = context.getStore(NAMESPACE).remove(KEY, Stopper.class);
        if (stopper != null) {
            stopper.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == ConsulAgent.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Stopper stopper = extensionContext.getStore(NAMESPACE).get(KEY, Stopper.class);
        if (stopper == null) {
            throw new ParameterResolutionException("no Consul agent: ConsulExtension starts one per class in beforeAll");
        }
        return stopper.agent;
    }

    /** Stops the agent even when afterAll does not run (e.g. the class failed to initialise). */
    private record Stopper(ConsulAgent agent) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            agent.close();
        }
    }
}
