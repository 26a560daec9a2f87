package kr.max.factory.opcua;

import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.factory.FactoryError;
import kr.max.factory.twin.LineSimulator;
import kr.max.factory.twin.RealTimeDriver;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;

/**
 * The twin's tags served over OPC UA (Eclipse Milo), as a machine's own OPC UA server would: browse path
 * {@code Objects/enterprise/site/area/line/cell/equipment/tag}, a Double variable per tag whose source time is
 * the sample's simulated time and whose status is the sample's quality, writable setpoints that go to the simulator
 * (refused with {@code Bad_NotWritable}, {@code Bad_OutOfRange}, {@code Bad_TypeMismatch} or
 * {@code Bad_NoCommunication} as the simulator decides).
 *
 * <p>Security: one endpoint with security policy None and anonymous access, meant for loopback and tests; the
 * server still needs an application certificate, generated in memory once per process (RSA key generation is slow).
 * A plant deployment would add Basic256Sha256 endpoints and user tokens.
 *
 * <p>The simulator must run under {@code driver}: values arrive through its listener, writes go through
 * {@link RealTimeDriver#submit}.
 */
public final class OpcUaTwinServer implements AutoCloseable {

    private static final String PATH = "/max";
    private static final String APPLICATION_URI = "urn:max:factory:twin-server";
    private static volatile Identity identity;

    private final OpcUaServer server;
    private final TwinNamespace namespace;
    private final LineSimulator simulator;
    private final String url;

    private record Identity(KeyPair keyPair, X509Certificate certificate) {
    }

    private OpcUaTwinServer(OpcUaServer server, TwinNamespace namespace, LineSimulator simulator, String url) {
        this.server = server;
        this.namespace = namespace;
        this.simulator = simulator;
        this.url = url;
    }

    /**
     * Starts a server on {@code host:port} (a port of 0 is not supported by Milo's endpoint configuration; pick a
     * free one) serving {@code simulator}'s tags.
     *
     * A port of 0 takes a free one ({@link #url()} names it).
     *
     * @throws MaxException {@code MAX-FACTORY-065} if the server cannot start (the port taken, say)
     */
    public static OpcUaTwinServer start(LineSimulator simulator, RealTimeDriver driver, String host, int port) {
        // the endpoint URL must name the port, so 0 (any free port) is resolved first: a small race, loopback only
        if (port == 0) {
            try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
                port = probe.getLocalPort();
            } catch (java.io.IOException e) {
                throw new MaxException(FactoryError.SERVER_START_FAILED, Location.NOWHERE, e, "OPC UA", host + ":0", e.toString());
            }
        }
        String endpoint = "opc.tcp://" + host + ":" + port + PATH;
        try {
            Identity id = identity();
            var trust = new MemoryTrustListManager();
            var quarantine = new MemoryCertificateQuarantine();
            var factory = new RsaSha256CertificateFactory() {
                @Override
                protected KeyPair createRsaSha256KeyPair() {
                    return id.keyPair();
                }

                @Override
                protected X509Certificate[] createRsaSha256CertificateChain(KeyPair keyPair) {
                    return new X509Certificate[] {id.certificate()};
                }
            };
            var group = DefaultApplicationGroup.createAndInitialize(trust, new MemoryCertificateStore(), factory,
                    new DefaultServerCertificateValidator(trust, quarantine));
            var endpointConfig = EndpointConfig.newBuilder()
                    .setBindAddress(host)
                    .setHostname(host)
                    .setBindPort(port)
                    .setPath(PATH)
                    .setCertificate(id.certificate())
                    .setSecurityPolicy(SecurityPolicy.None)
                    .setSecurityMode(MessageSecurityMode.None)
                    .addTokenPolicies(USER_TOKEN_POLICY_ANONYMOUS)
                    .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                    .build();
            var config = OpcUaServerConfig.builder()
                    .setApplicationUri(APPLICATION_URI)
                    .setApplicationName(LocalizedText.english("M.AX line twin"))
                    .setProductUri("urn:max:factory")
                    .setBuildInfo(new BuildInfo("urn:max:factory", "M.AX", "M.AX line twin", OpcUaServer.SDK_VERSION,
                            "", DateTime.now()))
                    .setEndpoints(Set.of(endpointConfig))
                    .setCertificateManager(new DefaultCertificateManager(quarantine, group))
                    .setIdentityValidator(AnonymousIdentityValidator.INSTANCE)
                    .build();
            var server = new OpcUaServer(config, profile -> new OpcTcpServerTransport(
                    OpcTcpServerTransportConfig.newBuilder().build()));
            var namespace = new TwinNamespace(server, simulator.model(), driver);
            namespace.startup();
            server.startup().get(30, TimeUnit.SECONDS);
            simulator.addListener(namespace);
            return new OpcUaTwinServer(server, namespace, simulator, endpoint);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new MaxException(FactoryError.SERVER_START_FAILED, Location.NOWHERE, cause, "OPC UA", endpoint,
                    String.valueOf(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MaxException(FactoryError.SERVER_START_FAILED, Location.NOWHERE, e, "OPC UA", endpoint, "interrupted");
        } catch (Exception e) {
            throw new MaxException(FactoryError.SERVER_START_FAILED, Location.NOWHERE, e, "OPC UA", endpoint, e.toString());
        }
    }

    /** One self-signed application certificate per process: a 2048-bit RSA key takes long enough to matter in tests. */
    private static Identity identity() throws Exception {
        Identity id = identity;
        if (id != null) return id;
        synchronized (OpcUaTwinServer.class) {
            if (identity == null) {
                KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
                var builder = new SelfSignedCertificateBuilder(keyPair)
                        .setCommonName("M.AX line twin")
                        .setOrganization("M.AX")
                        .setApplicationUri(APPLICATION_URI)
                        .addDnsName("localhost")
                        .addIpAddress("127.0.0.1");
                identity = new Identity(keyPair, builder.build());
            }
            return identity;
        }
    }

    /** {@code opc.tcp://host:port/max}. */
    public String url() {
        return url;
    }

    /** Sessions open on the server now. */
    public int sessionCount() {
        return server.getSessionManager().getCurrentSessionCount().intValue();
    }

    /** Subscriptions alive on the server now. */
    public int subscriptionCount() {
        return server.getSubscriptions().size();
    }

    /** Monitored data items alive on the server now. */
    public int monitoredItemCount() {
        return namespace.dataItemCount();
    }

    /** Stops serving; the simulator runs on. */
    @Override
    public void close() {
        simulator.removeListener(namespace);
        try {
            server.shutdown().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // shutting down anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        namespace.shutdown();
    }
}
