package io.meshplay.testing.zipkin;

import io.meshplay.testing.ClassScopedExtension;

/**
 * Starts one real Zipkin per test class and injects it as a {@link ZipkinProcess} parameter (into test
 * methods, constructors and lifecycle methods); stopped by PID after the class, also when a test fails.
 *
 * <pre>{@code
 * @ExtendWith(ZipkinExtension.class)
 * class MyTest {
 *     @Test void traced(ZipkinProcess zipkin) { ... zipkin.spansEndpoint() ... }
 * }
 * }</pre>
 */
public final class ZipkinExtension extends ClassScopedExtension<ZipkinProcess> {

    public ZipkinExtension() {
        super(ZipkinProcess.class, ZipkinProcess::start);
    }
}
