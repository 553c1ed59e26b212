package io.meshplay.client;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509ExtendedTrustManager;

import io.meshplay.security.TransportSecurity;

/**
 * A client's trust manager for one service: the mode's chain verification, then
 * {@link TransportSecurity#verifyServer} for who the server must be. Host names are never checked here:
 * grpc-java asks for HTTPS host-name verification against the target's authority, which for
 * {@code meshplay:///<service>} is a service name and for a registered instance an IP address; what a
 * server must prove is the mode's business (connect: the SPIFFE ID names the service; files: the chain,
 * and {@code tls.files.server-name} when set).
 */
final class ServerVerifyingTrustManager extends X509ExtendedTrustManager {

    private final TransportSecurity security;
    private final String service;

    ServerVerifyingTrustManager(TransportSecurity security, String service) {
        this.security = security;
        this.service = service;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        if (engine != null) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm(null);
            engine.setSSLParameters(parameters);
        }
        security.trustManager().checkServerTrusted(chain, authType, engine);
        security.verifyServer(service, chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        security.trustManager().checkServerTrusted(chain, authType, socket);
        security.verifyServer(service, chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        security.trustManager().checkServerTrusted(chain, authType);
        security.verifyServer(service, chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("a client's trust manager does not verify clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("a client's trust manager does not verify clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a client's trust manager does not verify clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return security.trustManager().getAcceptedIssuers();
    }
}
