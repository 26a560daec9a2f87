package kr.max.server;

import io.javalin.http.sse.SseClient;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import kr.max.factory.alarms.AlarmEvent;
import kr.max.factory.alarms.AlarmListener;
import kr.max.factory.assets.TagPath;
import kr.max.factory.twin.Sample;
import kr.max.factory.twin.SampleListener;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live view over server-sent events ({@code GET /v1/live}): tag values and alarm changes as they happen, for the
 * console and for anyone with a token and {@code curl -N}. Values are thinned to at most one per tag and {@link
 * #SAMPLE_PERIOD_MILLIS} of wall time (a twin at 60× would otherwise send thousands a second); alarm events are never
 * thinned.
 *
 * <p>Each client has a bounded queue drained by a virtual thread of its own: a slow client loses its oldest events
 * (counted) and never slows the samples' path into the library.
 */
final class LiveFeed implements SampleListener, AlarmListener {

    static final long SAMPLE_PERIOD_MILLIS = 1_000;
    private static final int QUEUE = 2_048;

    private final JsonMapper json;
    private final Map<SseClient, BlockingQueue<String[]>> clients = new ConcurrentHashMap<>();
    private final Map<TagPath, Long> lastSent = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();

    LiveFeed(JsonMapper json) {
        this.json = json;
    }

    record SampleEvent(String tag, Instant time, double value, String quality) {
    }

    record AlarmView(long sequence, String change, String id, String kind, String priority, String state, String from,
                     String equipment, String messageEn, String messageKo, double value, double limit, Instant time, String who) {
        static AlarmView of(AlarmEvent e) {
            var a = e.alarm();
            return new AlarmView(e.sequence(), e.change().word(), a.id(), a.kind().word(), a.priority().word(), a.state().word(),
                    e.from() == null ? null : e.from().word(), a.equipment().toString(), a.message(Locale.ENGLISH),
                    a.message(Locale.KOREAN), a.valueAtRaise(), a.limit(), e.time(), e.who());
        }
    }

    /** What {@code GET /v1/live} does with its client: registers it and keeps the response open. */
    void accept(SseClient client) {
        // the response stays open first; only then does another thread write to it
        client.keepAlive();
        client.sendComment("M.AX live view: events sample and alarm");
        var queue = new ArrayBlockingQueue<String[]>(QUEUE);
        clients.put(client, queue);
        client.onClose(() -> clients.remove(client));
        Thread.ofVirtual().name("live-feed").start(() -> drain(client, queue));
    }

    private void drain(SseClient client, BlockingQueue<String[]> queue) {
        try {
            while (!client.terminated()) {
                String[] event = queue.poll(15, TimeUnit.SECONDS);
                if (event == null) client.sendComment("keep-alive");
                else client.sendEvent(event[0], event[1]);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException closed) {
            // the client went away mid-write; onClose removes it
        } finally {
            clients.remove(client);
        }
    }

    private void publish(String name, Object payload) {
        if (clients.isEmpty()) return;
        String[] event = {name, json.writeValueAsString(payload)};
        for (var queue : clients.values()) {
            while (!queue.offer(event)) {
                if (queue.poll() != null) dropped.incrementAndGet();
            }
        }
    }

    @Override
    public void onSample(Sample s) {
        if (clients.isEmpty()) return;
        long now = System.currentTimeMillis();
        Long last = lastSent.get(s.tag());
        if (last != null && now - last < SAMPLE_PERIOD_MILLIS) return;
        lastSent.put(s.tag(), now);
        publish("sample", new SampleEvent(s.tag().toString(), s.time(), s.value(), s.quality().name()));
    }

    @Override
    public void onAlarmEvent(AlarmEvent event) {
        publish("alarm", AlarmView.of(event));
    }

    int clients() {
        return clients.size();
    }

    long dropped() {
        return dropped.get();
    }
}
