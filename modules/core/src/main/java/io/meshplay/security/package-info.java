/**
 * Who a process is and whom it trusts on the wire: {@code tls.mode} selects a {@link
 * io.meshplay.security.TransportSecurityProvider} ({@code off}, {@code files} from PEM files, {@code
 * connect} from Consul Connect), whose {@link io.meshplay.security.TransportSecurity} gives the server
 * and the client their key and trust managers (which may change at any time: reloads, rotations), tells
 * the client whether a server is the one it asked for, and the server whether a caller may call.
 */
package io.meshplay.security;
