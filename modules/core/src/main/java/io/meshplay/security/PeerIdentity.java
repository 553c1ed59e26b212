package io.meshplay.security;

import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * The other end of a connection as its verified certificate names it.
 *
 * @param uri         the certificate's URI SAN (a SPIFFE ID under {@code connect}), or its subject when it has none
 * @param service     the service name the identity stands for, when the mode can tell (connect: the SPIFFE ID's {@code svc})
 * @param certificate the peer's leaf certificate
 */
public record PeerIdentity(String uri, Optional<String> service, X509Certificate certificate) {

    @Override
    public String toString() {
        return service.map(s -> s + " (" + uri + ")").orElse(uri);
    }
}
