package kr.max.factory.edge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.library.stream.EdgeRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the {@link EdgeBuffer} has captured to the hub, as fast as the hub accepts, and acknowledges it in the
 * buffer as the hub commits it — through the hub's edge rules (decision 0019), fetched before anything is sent.
 *
 * <p>One thread reads the buffer in log order, up to {@linkplain Options#batchSize a batch} at a time, splits it by
 * source and posts each source's samples in sequence order, after the node's own {@link SampleFilter} and then the
 * hub's rules ({@link SampleFilter#hubRules}): the hub's rounding comes last, so a value on the wire is always a
 * multiple of the hub's step, and the node's options can only hold back more. The hub's {@code committed_through}
 * becomes the buffer's acknowledgement, so the cursor only ever moves to what the hub has committed. Before the first
 * post of a source the forwarder asks the hub how far it has committed that source and skips what the hub already
 * holds: after a crash between the hub's commit and the cursor's write the same samples are sent at most once more,
 * and the hub's dedupe on sequence numbers makes that harmless.
 *
 * <p>The rules fail closed: until the hub has given them, nothing is sent ({@link #rulesProblem()} says why:
 * {@code MAX-EDGE-014} refused, {@code MAX-EDGE-015} not to be had); the samples wait in the buffer. Each post names the
 * rules' version it was filtered under and each answer the version in force: a newer one is fetched at once, and the
 * samples not yet committed are filtered again from the buffer's originals (a hub takes no post filtered under
 * rules it has replaced).
 *
 * <p>A hub that is down, failing (5xx), overloaded (429) or silent is retried with capped exponential back-off with
 * jitter, forever; capture goes on meanwhile. A refusal of samples (any other 4xx) stops that source only, reported
 * in {@link #stoppedSources()} ({@code MAX-EDGE-010}); its samples stay in the buffer. A refusal of the rules holds
 * every source and is asked again at the longest back-off.
 */
public final class EdgeForwarder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeForwarder.class);

    /**
     * @param batchSize  most samples read from the buffer (and posted per source) at once
     * @param minBackoff first wait after a failure
     * @param maxBackoff the longest wait between attempts
     */
    public record Options(int batchSize, Duration minBackoff, Duration maxBackoff) {

        public static Options defaults() {
            return new Options(5000, Duration.ofMillis(100), Duration.ofSeconds(10));
        }
    }

    private final EdgeBuffer buffer;
    private final HubClient hub;
    private final String edgeId;
    private final String dataset;
    private final SampleFilter local;
    private final Options options;
    private final Set<String> resumed = new HashSet<>();
    private final Map<String, MaxException> stopped = new ConcurrentHashMap<>();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final Object sleeper = new Object();
    private volatile boolean hubReachable;
    private volatile String lastProblem;
    private volatile EdgeRules rules;
    private volatile SampleFilter filter;
    private volatile MaxException rulesProblem;
    private volatile boolean closed;
    private Thread thread;

    /**
     * @param edgeId  this edge's id; the hub knows each equipment as {@code edgeId/equipment path}
     * @param dataset the hub's stream dataset the samples go to
     * @param local   the node's own rules, applied before the hub's ({@link SampleFilter#none()} for none)
     */
    public EdgeForwarder(EdgeBuffer buffer, HubClient hub, String edgeId, String dataset, SampleFilter local, Options options) {
        this.buffer = buffer;
        this.hub = hub;
        this.edgeId = edgeId;
        this.dataset = dataset;
        this.local = local;
        this.options = options;
    }

    /** Starts forwarding on a thread of its own. */
    public synchronized void start() {
        if (thread != null) return;
        thread = Thread.ofPlatform().name("max-edge-forward").daemon().start(this::run);
    }

    private void run() {
        try (EdgeBuffer.Reader reader = buffer.reader()) {
            while (!closed) {
                // no rules, no forwarding: the samples wait in the buffer
                if (rules == null && !fetchRules()) return;
                // a read spans sources; each source's share is posted in chunks of at most the batch size
                List<EdgeSample> batch = reader.next(options.batchSize() * 4);
                if (batch.isEmpty()) {
                    reader.await(Duration.ofMillis(200));
                    continue;
                }
                var bySource = new LinkedHashMap<String, List<EdgeSample>>();
                for (EdgeSample s : batch) bySource.computeIfAbsent(s.source(), k -> new ArrayList<>()).add(s);
                for (var e : bySource.entrySet()) {
                    List<EdgeSample> all = e.getValue();
                    for (int from = 0; from < all.size(); from += options.batchSize()) {
                        if (closed) return;
                        forward(e.getKey(), all.subList(from, Math.min(all.size(), from + options.batchSize())));
                    }
                }
            }
        } catch (RuntimeException e) {
            lastProblem = e.getMessage();
            LOG.error("edge forwarding stopped: {}", e.getMessage(), e);
        }
    }

    private void forward(String source, List<EdgeSample> samples) {
        if (stopped.containsKey(source)) return;
        String hubSource = edgeId + "/" + source;
        if (!resumed.contains(source)) {
            if (!resume(source, hubSource)) return;
        }
        long lastInBatch = samples.getLast().seq();
        int attempt = 0;
        while (!closed) {
            if (rules == null && !fetchRules()) return;
            EdgeRules inForce = rules;
            SampleFilter f = filter;
            long acked = buffer.acknowledged().getOrDefault(source, 0L);
            // filtered from the originals each time: rules that changed meanwhile apply to what is not yet committed
            var send = new ArrayList<EdgeSample>(samples.size());
            for (EdgeSample s : samples) {
                if (s.seq() <= acked) continue;
                EdgeSample out = f.apply(s);
                if (out != null) send.add(out);
            }
            if (send.isEmpty()) {
                // everything was filtered out or is already at the hub: acknowledge so it is never sent again
                buffer.acknowledge(source, lastInBatch);
                return;
            }
            long lastSent = send.getLast().seq();
            HubClient.Reply reply = hub.post(dataset, hubSource, inForce.version(), send);
            switch (reply) {
                case HubClient.Committed c -> {
                    hubReachable = true;
                    long mark = c.committedThrough();
                    forwarded.addAndGet(send.stream().filter(s -> s.seq() <= mark).count());
                    if (c.rulesVersion() > inForce.version()) {
                        // the hub's rules changed: what it did not commit is filtered again under the new ones
                        if (mark > acked) buffer.acknowledge(source, Math.min(mark, lastInBatch));
                        LOG.info("the hub's edge rules of {} changed to version {}; fetching them", dataset, c.rulesVersion());
                        if (!refetchRules(c.rulesVersion())) sleep(attempt++);
                        continue;
                    }
                    if (mark >= lastSent) {
                        buffer.acknowledge(source, Math.max(mark, lastInBatch));
                        return;
                    }
                    if (mark <= acked) {
                        // the hub committed nothing of what it was sent: wait instead of spinning
                        problem("hub mark " + mark + " did not advance");
                        sleep(attempt++);
                    } else {
                        buffer.acknowledge(source, mark);
                        attempt = 0;
                    }
                }
                case HubClient.Unavailable u -> {
                    problem(u.reason());
                    sleep(attempt++);
                }
                case HubClient.Refused r -> {
                    refuse(source, hubSource, r);
                    return;
                }
            }
        }
    }

    /**
     * Fetches the hub's edge rules, waiting (with back-off) until they are in hand; false if the forwarder was closed
     * first. A refusal is asked again at the longest back-off: someone may grant the edge's token in the meantime.
     */
    private boolean fetchRules() {
        int attempt = 0;
        while (!closed) {
            switch (hub.rules(dataset)) {
                case HubClient.Rules r -> {
                    hubReachable = true;
                    EdgeRules got = r.rules();
                    filter = local.andThen(SampleFilter.hubRules(got));
                    rules = got;
                    if (rulesProblem != null) LOG.info("the hub's edge rules of {} are in hand again", dataset);
                    rulesProblem = null;
                    LOG.info("edge rules of {} version {} in force; kept in the plant: {}", dataset, got.version(),
                            got.keptInPlant().isEmpty() ? "-" : String.join(", ", got.keptInPlant()));
                    return true;
                }
                case HubClient.Unavailable u -> {
                    holdForRules(new MaxException(EdgeError.RULES_UNAVAILABLE, Location.NOWHERE, dataset, hub.endpoint(), u.reason()));
                    problem(u.reason());
                    sleep(attempt++);
                }
                case HubClient.Unreadable u -> {
                    hubReachable = true;
                    holdForRules(new MaxException(EdgeError.RULES_UNAVAILABLE, Location.NOWHERE, dataset, hub.endpoint(),
                            "rules this edge cannot apply, " + u.reason()));
                    sleep(Math.max(attempt++, 30));
                }
                case HubClient.Refused f -> {
                    hubReachable = true;
                    holdForRules(new MaxException(EdgeError.RULES_REFUSED, Location.NOWHERE, dataset, Integer.toString(f.status()),
                            f.message()));
                    sleep(Math.max(attempt++, 30));
                }
            }
        }
        return false;
    }

    /** Replaces the rules in force by the hub's newer ones; false when what came back is not newer than {@code announced}. */
    private boolean refetchRules(long announced) {
        rules = null;
        filter = null;
        return fetchRules() && rules.version() >= announced;
    }

    private void holdForRules(MaxException why) {
        MaxException before = rulesProblem;
        rules = null;
        filter = null;
        rulesProblem = why;
        if (before == null || !before.getMessage().equals(why.getMessage())) LOG.error(why.getMessage());
    }

    /** Asks the hub how far it has committed the source; false if the source was refused or the forwarder closed. */
    private boolean resume(String source, String hubSource) {
        int attempt = 0;
        while (!closed) {
            switch (hub.committedThrough(dataset, hubSource)) {
                case HubClient.Committed c -> {
                    hubReachable = true;
                    long acked = buffer.acknowledged().getOrDefault(source, 0L);
                    if (c.committedThrough() > acked) {
                        buffer.acknowledge(source, c.committedThrough());
                    } else if (Math.max(0, c.committedThrough()) < acked) {
                        // (a hub that never saw the source says -1 or 0; the edge numbers from 1)
                        LOG.warn(new MaxException(EdgeError.HUB_BEHIND, Location.NOWHERE, hubSource,
                                Long.toString(c.committedThrough()), Long.toString(acked)).getMessage());
                    }
                    resumed.add(source);
                    return true;
                }
                case HubClient.Unavailable u -> {
                    problem(u.reason());
                    sleep(attempt++);
                }
                case HubClient.Refused r -> {
                    refuse(source, hubSource, r);
                    return false;
                }
            }
        }
        return false;
    }

    private void refuse(String source, String hubSource, HubClient.Refused r) {
        hubReachable = true;
        var error = new MaxException(EdgeError.HUB_REFUSED, Location.NOWHERE, hubSource, Integer.toString(r.status()),
                r.message());
        stopped.put(source, error);
        LOG.error(error.getMessage());
    }

    private void problem(String reason) {
        boolean wasReachable = hubReachable;
        hubReachable = false;
        retries.incrementAndGet();
        if (wasReachable || !reason.equals(lastProblem)) {
            LOG.warn(new MaxException(EdgeError.HUB_UNREACHABLE, Location.NOWHERE, hub.endpoint(), reason).getMessage());
        }
        lastProblem = reason;
    }

    /** Capped exponential back-off with jitter: half the step fixed, half random, so edges do not return in step. */
    private void sleep(int attempt) {
        long min = options.minBackoff().toMillis();
        long cap = options.maxBackoff().toMillis();
        long step = Math.min(cap, min << Math.min(attempt, 20));
        long wait = step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
        synchronized (sleeper) {
            if (closed) return;
            try {
                sleeper.wait(Math.max(1, wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }
    }

    /** Samples the hub committed since this forwarder started. */
    public long forwarded() {
        return forwarded.get();
    }

    /** Failed attempts so far (each followed by a back-off). */
    public long retries() {
        return retries.get();
    }

    /** Whether the last exchange with the hub got an answer from it. */
    public boolean hubReachable() {
        return hubReachable;
    }

    /** Why the hub could not be reached last, if it could not. */
    public Optional<String> lastProblem() {
        return Optional.ofNullable(lastProblem);
    }

    /** The hub's edge rules in force, or empty while there are none (and nothing is forwarded). */
    public Optional<EdgeRules> rules() {
        return Optional.ofNullable(rules);
    }

    /** Why nothing is forwarded for want of the hub's edge rules ({@code MAX-EDGE-014}, {@code -015}), if so. */
    public Optional<MaxException> rulesProblem() {
        return Optional.ofNullable(rulesProblem);
    }

    /** Sources the hub refused, with the error ({@code MAX-EDGE-010}). */
    public Map<String, MaxException> stoppedSources() {
        return Map.copyOf(stopped);
    }

    /** Stops forwarding (a post under way finishes or times out first). */
    @Override
    public void close() {
        closed = true;
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
