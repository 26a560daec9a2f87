package kr.max.factory.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import kr.max.core.AssetPath;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.factory.Connector;
import kr.max.factory.FactoryError;
import kr.max.factory.assets.AssetModel;
import kr.max.factory.assets.TagPath;
import kr.max.factory.twin.Quality;
import kr.max.factory.twin.Sample;
import kr.max.factory.twin.SampleListener;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OPC UA client (Eclipse Milo) that finds an enterprise's tags by browsing the ISA-95 tree
 * ({@code Objects/enterprise/site/area/line/cell/equipment/tag}, by BrowseName), subscribes to every tag the asset
 * model knows with one monitored item each, and delivers each data change as a {@link Sample}: source time as the
 * sample's time, the status as its quality (good, uncertain, bad), and a per-equipment sequence number given in
 * arrival order.
 *
 * <p><b>Reconnection.</b> Milo's session state machine notices a lost server through keep-alives and reconnects
 * by itself; after a server restart the old session is gone, so it opens a new one and tries to transfer the
 * subscription, which fails on a fresh server. The connector then creates the subscription and its monitored
 * items again on the new session. It never opens a second client, so the server holds one session and one
 * subscription per connector whatever happened before.
 *
 * <p>Security policy None with anonymous identity: for loopback and the twin. Writes go to the tag's node; the
 * server's refusal comes back as {@code MAX-FACTORY-062} with the OPC UA status name.
 */
public final class OpcUaConnector implements Connector {

    private static final Logger LOG = LoggerFactory.getLogger(OpcUaConnector.class);

    private final String url;
    private final AssetModel model;
    private final double samplingMillis;
    private final Map<TagPath, NodeId> nodes = new LinkedHashMap<>();
    private final Map<AssetPath, AtomicLong> sequences = new ConcurrentHashMap<>();
    private final AtomicLong recreated = new AtomicLong();
    private volatile OpcUaClient client;
    private volatile OpcUaSubscription subscription;
    private volatile boolean closed;

    /**
     * @param url              {@code opc.tcp://host:port/path}
     * @param model            the asset model: its enterprise is the folder to browse, its tags the ones to subscribe
     * @param samplingInterval the monitored items' sampling interval (zero: as fast as the server reports)
     */
    public OpcUaConnector(String url, AssetModel model, Duration samplingInterval) {
        this.url = url;
        this.model = model;
        this.samplingMillis = samplingInterval.toNanos() / 1e6;
    }

    @Override
    public String protocol() {
        return "OPC UA";
    }

    @Override
    public void start(SampleListener listener) {
        try {
            var c = OpcUaClient.create(url,
                    endpoints -> endpoints.stream()
                            .filter(e -> SecurityPolicy.None.getUri().equals(e.getSecurityPolicyUri()))
                            .findFirst(),
                    transport -> {
                    },
                    config -> config
                            .setApplicationName(LocalizedText.english("M.AX OPC UA connector"))
                            .setApplicationUri("urn:max:factory:opcua-connector")
                            .setRequestTimeout(uint(5_000))
                            // notice a dead server within about two seconds
                            .setKeepAliveInterval(uint(1_000))
                            .setKeepAliveFailuresAllowed(uint(1)));
            c.connect();
            client = c;
            browse(c);
            subscribe(c, listener);
        } catch (UaException e) {
            throw new MaxException(FactoryError.CONNECT_FAILED, Location.NOWHERE, e, "OPC UA", url, e.getMessage());
        }
    }

    /** Depth-first from the enterprise's folder, following hierarchical references by BrowseName. */
    private void browse(OpcUaClient c) throws UaException {
        NodeId enterprise = children(c, NodeIds.ObjectsFolder).stream()
                .filter(r -> r.getBrowseName().getName().equals(model.enterpriseId()))
                .findFirst()
                .flatMap(r -> r.getNodeId().toNodeId(c.getNamespaceTable()))
                .orElseThrow(() -> new UaException(StatusCodes.Bad_NodeIdUnknown,
                        "no folder " + model.enterpriseId() + " under Objects"));
        walk(c, enterprise, new ArrayList<>());
    }

    private void walk(OpcUaClient c, NodeId node, List<String> path) throws UaException {
        for (ReferenceDescription r : children(c, node)) {
            Optional<NodeId> id = r.getNodeId().toNodeId(c.getNamespaceTable());
            if (id.isEmpty()) continue;
            var next = new ArrayList<>(path);
            next.add(r.getBrowseName().getName());
            if (r.getNodeClass() == NodeClass.Variable && next.size() >= 2) {
                var tag = new TagPath(new AssetPath(next.subList(0, next.size() - 1)), next.getLast());
                if (model.tag(tag).isPresent()) nodes.put(tag, id.get());
            } else if (r.getNodeClass() == NodeClass.Object && next.size() <= AssetPath.LEVELS.size()) {
                walk(c, id.get(), next);
            }
        }
    }

    private static List<ReferenceDescription> children(OpcUaClient c, NodeId node) throws UaException {
        BrowseResult result = c.browse(new BrowseDescription(node, BrowseDirection.Forward,
                NodeIds.HierarchicalReferences, true,
                uint(NodeClass.Object.getValue() | NodeClass.Variable.getValue()),
                uint(BrowseResultMask.All.getValue())));
        var refs = result.getReferences();
        return refs == null ? List.of() : List.of(refs);
    }

    private void subscribe(OpcUaClient c, SampleListener listener) throws UaException {
        // publish at least every 100 ms, faster when sampling is faster
        var sub = new OpcUaSubscription(c, Math.max(10, Math.min(100, samplingMillis)));
        sub.setSubscriptionListener(new OpcUaSubscription.SubscriptionListener() {
            @Override
            public void onTransferFailed(OpcUaSubscription s, StatusCode status) {
                // a restarted server has no subscription to hand over: make it again, off Milo's delivery thread
                Thread.ofVirtual().name("max-opcua-resubscribe").start(() -> recreate(s));
            }
        });
        // report every sample, even one that repeats the last value: the time stamp is news too
        var filter = new DataChangeFilter(DataChangeTrigger.StatusValueTimestamp, uint(DeadbandType.None.getValue()), 0.0);
        var items = new ArrayList<OpcUaMonitoredItem>();
        for (var e : nodes.entrySet()) {
            TagPath tag = e.getKey();
            var item = OpcUaMonitoredItem.newDataItem(e.getValue());
            item.setSamplingInterval(samplingMillis);
            item.setQueueSize(uint(1_000));
            item.setDiscardOldest(true);
            item.setFilter(filter);
            item.setDataValueListener((i, value) -> deliver(tag, value, listener));
            items.add(item);
        }
        sub.create();
        sub.addMonitoredItems(items);
        sub.synchronizeMonitoredItems();
        subscription = sub;
    }

    private void recreate(OpcUaSubscription s) {
        if (closed) return;
        try {
            s.create();
            s.synchronizeMonitoredItems();
            recreated.incrementAndGet();
            LOG.info("OPC UA subscription on {} created again after the server lost it", url);
        } catch (UaException e) {
            LOG.warn("OPC UA subscription on {} could not be created again: {}", url, e.getMessage());
        }
    }

    private void deliver(TagPath tag, DataValue value, SampleListener listener) {
        StatusCode status = value.getStatusCode() == null ? StatusCode.GOOD : value.getStatusCode();
        Object v = value.getValue() == null ? null : value.getValue().getValue();
        // Bad_WaitingForInitialData: the server has no sample yet, nothing to deliver
        if (status.getValue() == StatusCodes.Bad_WaitingForInitialData) return;
        double d = v instanceof Number n ? n.doubleValue() : Double.NaN;
        Quality q = status.isGood() ? Quality.GOOD : status.isUncertain() ? Quality.UNCERTAIN : Quality.BAD;
        var time = value.getSourceTime() != null ? value.getSourceTime().getJavaInstant()
                : value.getServerTime() != null ? value.getServerTime().getJavaInstant() : java.time.Instant.now();
        long seq = sequences.computeIfAbsent(tag.equipment(), k -> new AtomicLong()).incrementAndGet();
        listener.onSample(new Sample(tag, time, d, q, seq));
    }

    /** The tags found by browsing, in browse order. */
    public List<TagPath> tags() {
        return List.copyOf(nodes.keySet());
    }

    /** How often the subscription had to be created again after a server restart. */
    public long resubscriptions() {
        return recreated.get();
    }

    @Override
    public void write(TagPath tag, double value) {
        NodeId node = nodes.get(tag);
        if (node == null) throw new MaxException(FactoryError.TAG_NOT_REACHABLE, Location.NOWHERE, tag.toString(), protocol());
        StatusCode status;
        try {
            status = client.writeValues(List.of(node), List.of(DataValue.valueOnly(new Variant(value)))).getFirst();
        } catch (UaException e) {
            status = e.getStatusCode();
        }
        if (!status.isGood()) {
            String name = StatusCodes.lookup(status.getValue()).map(a -> a[0]).orElse(status.toString());
            throw new MaxException(FactoryError.WRITE_REFUSED, Location.NOWHERE, tag.toString(),
                    plain(value), protocol(), name);
        }
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public void close() {
        closed = true;
        OpcUaClient c = client;
        if (c == null) return;
        OpcUaSubscription s = subscription;
        try {
            if (s != null) s.delete();
        } catch (UaException e) {
            // the session goes anyway, and its subscriptions with it
        }
        try {
            c.disconnect();
        } catch (UaException e) {
            LOG.debug("OPC UA disconnect from {}: {}", url, e.getMessage());
        }
    }
}
