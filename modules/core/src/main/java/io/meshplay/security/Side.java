package io.meshplay.security;

/** Which end of a call the security is for: one config shape ({@code tls.*}) serves both. */
public enum Side {
    /** Accepts calls: presents its certificate, verifies callers' when mutual TLS is on, authorizes calls. */
    SERVER,
    /** Makes calls: verifies the server is the service it asked for, presents its own certificate if it has one. */
    CLIENT
}
