package kr.max.factory.opcua;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kr.max.core.AssetPath;
import kr.max.core.MaxException;
import kr.max.factory.FactoryError;
import kr.max.factory.assets.AssetModel;
import kr.max.factory.assets.AssetNode;
import kr.max.factory.assets.Name;
import kr.max.factory.assets.Tag;
import kr.max.factory.assets.TagPath;
import kr.max.factory.twin.RealTimeDriver;
import kr.max.factory.twin.Sample;
import kr.max.factory.twin.SampleListener;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.nodes.filters.AttributeFilter;
import org.eclipse.milo.opcua.sdk.server.nodes.filters.AttributeFilterContext;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * The twin's address space: a folder per ISA-95 level under Objects (enterprise, site, area, line, cell,
 * equipment), a Double variable per tag. NodeIds are the paths as strings ({@code ns=…;s=hanbit/changwon/…/IMM-01/
 * melt-temperature}); BrowseNames are the English ids; DisplayNames are English, or Korean for a session whose
 * first locale is {@code ko}.
 *
 * <p>Values are pushed, not sampled: every sample of the simulator goes to the monitored items of its tag as it is
 * produced (report by exception), so a client sees each sample once, with the simulated time as source time.
 */
final class TwinNamespace extends ManagedNamespaceWithLifecycle implements SampleListener {

    static final String URI = "urn:max:factory:twin";

    private final AssetModel model;
    private final RealTimeDriver driver;
    private final Map<TagPath, UaVariableNode> variables = new ConcurrentHashMap<>();
    private final Map<NodeId, List<DataItem>> items = new ConcurrentHashMap<>();

    TwinNamespace(OpcUaServer server, AssetModel model, RealTimeDriver driver) {
        super(server, URI);
        this.model = model;
        this.driver = driver;
        getLifecycleManager().addStartupTask(this::createNodes);
    }

    static String nodeIdOf(String enterprise, AssetPath path) {
        return enterprise + "/" + path;
    }

    private void createNodes() {
        String enterprise = model.enterpriseId();
        UaFolderNode root = folder(enterprise, enterprise, model.enterpriseName());
        root.addReference(new Reference(root.getNodeId(), NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(), false));
        Map<String, UaFolderNode> folders = new ConcurrentHashMap<>();
        for (AssetNode n : model.nodes()) {
            var f = folder(nodeIdOf(enterprise, n.path()), n.id(), n.name());
            var levels = n.path().levels();
            UaFolderNode parent = levels.size() == 1 ? root
                    : folders.get(String.join("/", levels.subList(0, levels.size() - 1)));
            parent.addOrganizes(f);
            folders.put(n.path().toString(), f);
        }
        for (Tag tag : model.tags()) {
            UaFolderNode equipment = folders.get(tag.equipment().toString());
            boolean writable = tag.spec().writable();
            var node = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                    .setNodeId(newNodeId(nodeIdOf(enterprise, tag.equipment()) + "/" + tag.spec().id()))
                    .setBrowseName(newQualifiedName(tag.spec().id()))
                    .setDisplayName(LocalizedText.english(tag.spec().name().en()))
                    .setDescription(LocalizedText.english(tag.spec().name().en() + " [" + tag.spec().unit() + "]"))
                    .setDataType(NodeIds.Double)
                    .setTypeDefinition(NodeIds.BaseDataVariableType)
                    .setAccessLevel(writable ? AccessLevel.READ_WRITE : AccessLevel.READ_ONLY)
                    .setUserAccessLevel(AccessLevel.READ_WRITE) // the node's access level decides: Bad_NotWritable
                    .setMinimumSamplingInterval((double) tag.spec().sampleMillis())
                    .build();
            node.setValue(new DataValue(new StatusCode(StatusCodes.Bad_WaitingForInitialData)));
            node.getFilterChain().addFirst(new Localized(tag.spec().name()));
            if (writable) node.getFilterChain().addFirst(new SetpointWrite(tag.path()));
            getNodeManager().addNode(node);
            equipment.addOrganizes(node);
            variables.put(tag.path(), node);
        }
    }

    private UaFolderNode folder(String id, String browseName, Name name) {
        var f = new UaFolderNode(getNodeContext(), newNodeId(id), newQualifiedName(browseName),
                LocalizedText.english(name.en()));
        f.getFilterChain().addFirst(new Localized(name));
        getNodeManager().addNode(f);
        return f;
    }

    // ---------------------------------------------------------------- samples in

    @Override
    public void onSample(Sample s) {
        UaVariableNode node = variables.get(s.tag());
        if (node == null) return;
        var time = new DateTime(s.time());
        StatusCode status = switch (s.quality()) {
            case GOOD -> StatusCode.GOOD;
            case BAD -> new StatusCode(StatusCodes.Bad_NoCommunication);
            case UNCERTAIN -> new StatusCode(StatusCodes.Uncertain_EngineeringUnitsExceeded);
        };
        var value = new DataValue(new Variant(s.value()), status, time, DateTime.now());
        node.setValue(value);
        List<DataItem> watching = items.get(node.getNodeId());
        if (watching != null) {
            for (DataItem item : watching) if (item.isSamplingEnabled()) item.setValue(value);
        }
    }

    // ---------------------------------------------------------------- monitored items

    @Override
    public void onDataItemsCreated(List<DataItem> created) {
        for (DataItem item : created) {
            NodeId id = item.getReadValueId().getNodeId();
            items.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(item);
            // the current value first, as a sampling server would send it
            getNodeManager().getNode(id).ifPresent(n -> {
                if (n instanceof UaVariableNode v && item.isSamplingEnabled()) item.setValue(v.getValue());
            });
        }
    }

    @Override
    public void onDataItemsModified(List<DataItem> modified) {
        // values are pushed as produced: a new sampling interval changes nothing here
    }

    @Override
    public void onDataItemsDeleted(List<DataItem> deleted) {
        for (DataItem item : deleted) {
            List<DataItem> l = items.get(item.getReadValueId().getNodeId());
            if (l != null) l.remove(item);
        }
    }

    @Override
    public void onMonitoringModeChanged(List<MonitoredItem> changed) {
        // isSamplingEnabled() is read at each sample
    }

    /** Data items alive, for tests that check nothing is left behind. */
    int dataItemCount() {
        return items.values().stream().mapToInt(List::size).sum();
    }

    // ---------------------------------------------------------------- filters

    /** DisplayName in Korean for sessions that ask for {@code ko} first, English otherwise. */
    private static final class Localized implements AttributeFilter {
        private final LocalizedText ko;
        private final LocalizedText en;

        Localized(Name name) {
            this.ko = new LocalizedText("ko", name.ko());
            this.en = new LocalizedText("en", name.en());
        }

        @Override
        public Object getAttribute(AttributeFilterContext ctx, AttributeId attributeId) {
            if (attributeId != AttributeId.DisplayName) return ctx.getAttribute(attributeId);
            boolean korean = ctx.getSession()
                    .map(s -> s.getLocaleIds() != null && s.getLocaleIds().length > 0
                            && s.getLocaleIds()[0] != null && s.getLocaleIds()[0].startsWith("ko"))
                    .orElse(false);
            return korean ? ko : en;
        }
    }

    /** A write to a setpoint goes to the simulator; its refusal comes back as the OPC UA status it means. */
    private final class SetpointWrite implements AttributeFilter {
        private final TagPath tag;

        SetpointWrite(TagPath tag) {
            this.tag = tag;
        }

        @Override
        public void writeAttribute(AttributeFilterContext ctx, AttributeId attributeId, Object value) throws UaException {
            if (attributeId != AttributeId.Value) {
                ctx.writeAttribute(attributeId, value);
                return;
            }
            Object v = value instanceof DataValue dv && dv.getValue() != null ? dv.getValue().getValue() : null;
            if (!(v instanceof Number number)) throw new UaException(StatusCodes.Bad_TypeMismatch, "a number is expected");
            double d = number.doubleValue();
            var done = new CompletableFuture<Void>();
            driver.submit(sim -> {
                try {
                    sim.write(tag, d);
                    done.complete(null);
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
            try {
                done.get(5, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof MaxException m) throw new UaException(statusOf(m), m.getMessage());
                throw new UaException(StatusCodes.Bad_InternalError, String.valueOf(e.getCause()));
            } catch (TimeoutException e) {
                throw new UaException(StatusCodes.Bad_Timeout, "the simulation is not running");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UaException(StatusCodes.Bad_Shutdown, "interrupted");
            }
            // the tag's next sample reports the new setpoint with its time; the node shows it until then
            ctx.setAttribute(AttributeId.Value, new DataValue(new Variant(d), StatusCode.GOOD, DateTime.now()));
        }
    }

    static long statusOf(MaxException e) {
        if (!(e.code() instanceof FactoryError f)) return StatusCodes.Bad_InternalError;
        return switch (f) {
            case NOT_WRITABLE -> StatusCodes.Bad_NotWritable;
            case SETPOINT_OUT_OF_LIMITS -> StatusCodes.Bad_OutOfRange;
            case VALUE_NOT_OF_TYPE -> StatusCodes.Bad_TypeMismatch;
            case COMMUNICATION_LOST -> StatusCodes.Bad_NoCommunication;
            case UNKNOWN_TAG, NOT_SIMULATED -> StatusCodes.Bad_NodeIdUnknown;
            default -> StatusCodes.Bad_InternalError;
        };
    }

}
