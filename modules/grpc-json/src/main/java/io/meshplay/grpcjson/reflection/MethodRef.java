package io.meshplay.grpcjson.reflection;

import io.meshplay.grpcjson.GrpcJsonException;

/**
 * A method as the user names it: {@code Example/Call}, {@code Example.Call}, {@code /Example/Call} or
 * with a package, {@code pkg.Service/Method} and {@code pkg.Service.Method}.
 *
 * @param service the service's full name, e.g. {@code Example} or {@code grpc.health.v1.Health}
 * @param method  the method's name, e.g. {@code Call}
 */
public record MethodRef(String service, String method) {

    public static MethodRef parse(String text) {
        String t = text.strip();
        if (t.startsWith("/")) {
            t = t.substring(1);
        }
        int cut = t.lastIndexOf('/');
        if (cut < 0) {
            cut = t.lastIndexOf('.');
        }
        if (cut <= 0 || cut == t.length() - 1 || t.indexOf('/') != t.lastIndexOf('/')) {
            throw GrpcJsonException.badInput("'" + text + "' is not a method; expected Service/Method or Service.Method, e.g. Example/Call");
        }
        return new MethodRef(t.substring(0, cut), t.substring(cut + 1));
    }

    @Override
    public String toString() {
        return service + "/" + method;
    }
}
