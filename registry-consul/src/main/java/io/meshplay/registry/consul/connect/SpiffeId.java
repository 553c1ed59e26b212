package io.meshplay.registry.consul.connect;

import java.net.URI;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A Consul Connect service identity, {@code spiffe://<trust-domain>/ns/<ns>/dc/<dc>/svc/<service>}, as
 * found in a leaf certificate's URI SAN.
 */
record SpiffeId(String uri, String trustDomain, String datacenter, String service) {

    private static final int URI_SAN = 6;

    /** The SPIFFE ID of a Connect service certificate, if its URI has the {@code /svc/} form. */
    static Optional<SpiffeId> parse(String uri) {
        if (uri == null) {
            return Optional.empty();
        }
        URI parsed;
        try {
            parsed = URI.create(uri);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!"spiffe".equalsIgnoreCase(parsed.getScheme()) || parsed.getHost() == null || parsed.getPath() == null) {
            return Optional.empty();
        }
        // ns/<ns>/dc/<dc>/svc/<service>; Consul Enterprise puts more segments before svc, so find svc by name
        List<String> parts = List.of(parsed.getPath().replaceFirst("^/", "").split("/"));
        int svc = parts.lastIndexOf("svc");
        int dc = parts.indexOf("dc");
        if (svc < 0 || svc != parts.size() - 2 || parts.get(svc + 1).isEmpty()) {
            return Optional.empty();
        }
        String datacenter = dc >= 0 && dc + 1 < parts.size() ? parts.get(dc + 1) : "";
        return Optional.of(new SpiffeId(uri, parsed.getHost().toLowerCase(Locale.ROOT), datacenter, parts.get(svc + 1)));
    }

    /** The first URI SAN of {@code certificate}, whatever its form. */
    static Optional<String> uriSan(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return Optional.empty();
            }
            for (List<?> name : names) {
                if (name.size() >= 2 && Integer.valueOf(URI_SAN).equals(name.get(0))) {
                    return Optional.of(String.valueOf(name.get(1)));
                }
            }
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The certificate's Connect identity, if its URI SAN is one. */
    static Optional<SpiffeId> of(X509Certificate certificate) {
        return uriSan(certificate).flatMap(SpiffeId::parse);
    }

    /** Whether this ID belongs to {@code domain} ({@code <uuid>.consul}), ignoring case as host names do. */
    boolean inTrustDomain(String domain) {
        return trustDomain.equalsIgnoreCase(domain);
    }

    @Override
    public String toString() {
        return uri;
    }
}
