package io.meshplay.testing;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Closes what a test opened, last first, after each test, even when the test failed:
 * {@code @RegisterExtension final Closer closer = new Closer();} then {@code closer.add(server)}.
 */
public final class Closer implements AfterEachCallback {

    private final List<AutoCloseable> opened = new ArrayList<>();

    /** Closes {@code resource} after the test; returns it for chaining. */
    public <T extends AutoCloseable> T add(T resource) {
        opened.add(resource);
        return resource;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        for (AutoCloseable resource : opened.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        opened.clear();
        if (first != null) {
            throw first;
        }
    }
}
