package io.meshplay.testing.consul;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a class using {@link ConsulExtension}: start the agent with ACLs enabled, {@code default_policy = deny}
 * and a management token ({@link ConsulAgent#managementToken()}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
public @interface ConsulAcl {
}
