package kr.max.factory.edge;

import static kr.max.factory.edge.EdgeBufferTest.KEY;
import static kr.max.factory.edge.EdgeBufferTest.PROBE_EQUIPMENT;
import static kr.max.factory.edge.EdgeBufferTest.PROBE_TAG;
import static kr.max.factory.edge.EdgeBufferTest.samples;
import static kr.max.factory.edge.EdgeBufferTest.small;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import kr.max.core.MaxException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forwarder against the test hub over real HTTP on loopback. */
class EdgeForwarderTest {

    static final String TOKEN = "test-token-edge";
    static final String PRESS_1 = "plant/press/line-9/cell-1/PRESS-01";
    static final String PRESS_2 = "plant/press/line-9/cell-1/PRESS-02";
    static final EdgeForwarder.Options FAST = new EdgeForwarder.Options(500, Duration.ofMillis(5), Duration.ofMillis(100));

    @TempDir
    Path tmp;
    TestHub hub;
    EdgeBuffer buffer;
    EdgeForwarder forwarder;

    @BeforeEach
    void start() {
        hub = TestHub.start(TOKEN, true);
        buffer = EdgeBuffer.open(tmp.resolve("buffer"), KEY, small());
    }

    @AfterEach
    void stop() {
        if (forwarder != null) forwarder.close();
        buffer.close();
        hub.close();
    }

    EdgeForwarder forwarder(String token, SampleFilter filter) {
        forwarder = new EdgeForwarder(buffer, new HttpHubClient(hub.url(), token, Duration.ofSeconds(5)), "edge-1",
                "press-stream", filter, FAST);
        forwarder.start();
        return forwarder;
    }

    static List<Long> oneTo(long n) {
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    @Test
    void serverErrorsAndOverloadAreRetriedWithBackoffAndEverythingArrivesOnce() {
        hub.failNext(3, 503);
        samples(3000).forEach(buffer::onSample);
        buffer.flush();
        forwarder(TOKEN, SampleFilter.none());
        await().atMost(Duration.ofSeconds(30)).until(() -> hub.committedCount() == 3000);
        hub.failNext(2, 429);
        samples(300).forEach(buffer::onSample);
        await().atMost(Duration.ofSeconds(30)).until(() -> hub.committedCount() == 3300);

        assertThat(forwarder.retries()).isGreaterThanOrEqualTo(5);
        assertThat(hub.committed()).containsOnlyKeys("edge-1/" + PRESS_1, "edge-1/" + PRESS_2, "edge-1/" + PROBE_EQUIPMENT);
        hub.committed().values().forEach(seqs -> assertThat(seqs).isEqualTo(oneTo(1100)));
        await().atMost(Duration.ofSeconds(10)).until(() -> buffer.buffered() == 0);
        assertThat(forwarder.forwarded()).isEqualTo(3300);
        assertThat(forwarder.hubReachable()).isTrue();
    }

    @Test
    void aHubOutageKeepsSamplesInTheBufferUntilItReturns() {
        forwarder(TOKEN, SampleFilter.none());
        samples(300).forEach(buffer::onSample);
        await().atMost(Duration.ofSeconds(30)).until(() -> hub.committedCount() == 300);
        hub.stop();
        samples(600).forEach(buffer::onSample);
        buffer.flush();
        await().atMost(Duration.ofSeconds(30)).until(() -> !forwarder.hubReachable() && forwarder.retries() >= 3);
        assertThat(buffer.buffered()).isEqualTo(600);
        assertThat(forwarder.lastProblem()).isPresent();
        hub.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> hub.committedCount() == 900 && buffer.buffered() == 0);
        hub.committed().values().forEach(seqs -> assertThat(seqs).isEqualTo(oneTo(300)));
        assertThat(forwarder.hubReachable()).isTrue();
    }

    @Test
    void aRefusedSourceStopsAloneAndKeepsItsSamples() {
        hub.refuse("edge-1/" + PROBE_EQUIPMENT, 403);
        forwarder(TOKEN, SampleFilter.none());
        samples(900).forEach(buffer::onSample);
        await().atMost(Duration.ofSeconds(30)).until(() -> hub.committedCount() == 600);
        await().atMost(Duration.ofSeconds(10)).until(() -> forwarder.stoppedSources().containsKey(PROBE_EQUIPMENT));
        MaxException error = forwarder.stoppedSources().get(PROBE_EQUIPMENT);
        assertThat(error.code()).isEqualTo(EdgeError.HUB_REFUSED);
        assertThat(error.getMessage()).contains("403").contains(PROBE_EQUIPMENT);
        assertThat(hub.committed()).doesNotContainKey("edge-1/" + PROBE_EQUIPMENT);
        await().atMost(Duration.ofSeconds(10)).until(() -> buffer.buffered() == 300);
        assertThat(buffer.acknowledged()).doesNotContainKey(PROBE_EQUIPMENT);
    }

    @Test
    void aWrongTokenHoldsEverySourceAtTheRulesAndSaysSo() {
        forwarder("not-the-token", SampleFilter.none());
        samples(30).forEach(buffer::onSample);
        buffer.flush();
        await().atMost(Duration.ofSeconds(30)).until(() -> forwarder.rulesProblem().isPresent());
        assertThat(forwarder.rulesProblem().orElseThrow().getMessage()).contains("401");
        assertThat(hub.posts()).isZero();
        assertThat(hub.committedCount()).isZero();
        assertThat(buffer.buffered()).isEqualTo(30);
    }

    @Test
    void theNodesOwnRulesApplyBeforeSamplesLeaveAndDroppedSamplesAreNotSentLater() {
        forwarder(TOKEN, SampleFilter.dropTags(Set.of(PROBE_TAG)).andThen(SampleFilter.roundTags(Map.of("force", 10.0))));
        samples(900).forEach(buffer::onSample);
        await().atMost(Duration.ofSeconds(30)).until(() -> hub.committedCount() == 600 && buffer.buffered() == 0);
        assertThat(hub.committed()).doesNotContainKey("edge-1/" + PROBE_EQUIPMENT);
        assertThat(hub.samples("edge-1/" + PRESS_1)).allSatisfy(s -> {
            assertThat(s.tag()).isEqualTo("force");
            assertThat(s.value() % 10.0).isZero();
            assertThat(s.asset()).isEqualTo(PRESS_1);
        });
        assertThat(buffer.acknowledged()).containsEntry(PROBE_EQUIPMENT, 300L);
    }

    @Test
    void theHubsRulesAreFetchedBeforeTheFirstPostAndHoldOnTheWire() {
        hub.rules("{\"version\":7,\"tags\":{\"" + PROBE_TAG + "\":{\"class\":\"designated\"},\"force\":{\"round\":10}}}");
        samples(900).forEach(buffer::onSample);
        buffer.flush();
        forwarder(TOKEN, SampleFilter.none());
        await().atMost(Duration.ofSeconds(30)).until(() -> buffer.buffered() == 0);
        assertThat(hub.rulesRequests()).isEqualTo(1);
        assertThat(forwarder.rules()).hasValueSatisfying(r -> assertThat(r.version()).isEqualTo(7));
        assertThat(hub.committed()).doesNotContainKey("edge-1/" + PROBE_EQUIPMENT);
        assertThat(hub.samples("edge-1/" + PRESS_1)).hasSize(300).allSatisfy(s -> assertThat(s.value() % 10.0).isZero());
        assertThat(hub.stalePosts()).isZero();
    }

    @Test
    void theNodesOwnRulesOnlyAddToTheHubsAndTheHubsRoundingComesLast() {
        hub.rules("{\"version\":2,\"tags\":{\"force\":{\"round\":10}}}");
        // the node rounds to 3 and drops the probe; the hub's step still holds on the wire
        forwarder(TOKEN, SampleFilter.dropTags(Set.of(PROBE_TAG)).andThen(SampleFilter.roundTags(Map.of("force", 3.0))));
        samples(900).forEach(buffer::onSample);
        await().atMost(Duration.ofSeconds(30)).until(() -> buffer.buffered() == 0);
        assertThat(hub.committed()).doesNotContainKey("edge-1/" + PROBE_EQUIPMENT);
        assertThat(hub.samples("edge-1/" + PRESS_2)).hasSize(300).allSatisfy(s -> assertThat(s.value() % 10.0).isZero());
    }

    @Test
    void withoutTheHubsRulesNothingIsForwardedAndTheRefusalIsNamed() {
        hub.refuseRules(403);
        samples(90).forEach(buffer::onSample);
        buffer.flush();
        forwarder(TOKEN, SampleFilter.none());
        await().atMost(Duration.ofSeconds(30)).until(() -> forwarder.rulesProblem().isPresent());
        MaxException why = forwarder.rulesProblem().orElseThrow();
        assertThat(why.code()).isEqualTo(EdgeError.RULES_REFUSED);
        assertThat(why.getMessage()).contains("403").contains("press-stream");
        assertThat(forwarder.rules()).isEmpty();
        assertThat(hub.posts()).isZero();
        assertThat(buffer.buffered()).isEqualTo(90);
        // the hub is asked again at the longest back-off; once it answers, the backlog goes
        hub.refuseRules(null);
        await().atMost(Duration.ofSeconds(30)).until(() -> buffer.buffered() == 0);
        assertThat(hub.committedCount()).isEqualTo(90);
        assertThat(forwarder.rulesProblem()).isEmpty();
    }

    @Test
    void aHubWithoutTheRulesRouteGetsNothing() {
        hub.refuseRules(404);
        samples(30).forEach(buffer::onSample);
        buffer.flush();
        forwarder(TOKEN, SampleFilter.none());
        await().atMost(Duration.ofSeconds(30)).until(() -> hub.rulesRequests() >= 1 && forwarder.rulesProblem().isPresent());
        assertThat(forwarder.rulesProblem().orElseThrow().getMessage()).contains("404");
        assertThat(hub.posts()).isZero();
        assertThat(hub.committedCount()).isZero();
        assertThat(buffer.buffered()).isEqualTo(30);
    }

    @Test
    void rulesTheEdgeCannotReadHoldForwardingAsRefusedOnesDo() {
        hub.rules("{\"version\":3,\"tags\":{\"force\":{\"pseudonymize\":true}}}");
        samples(30).forEach(buffer::onSample);
        buffer.flush();
        forwarder(TOKEN, SampleFilter.none());
        await().atMost(Duration.ofSeconds(30)).until(() -> forwarder.rulesProblem().isPresent());
        assertThat(forwarder.rulesProblem().orElseThrow().code()).isEqualTo(EdgeError.RULES_UNAVAILABLE);
        assertThat(forwarder.rulesProblem().orElseThrow().getMessage()).contains("pseudonymize");
        assertThat(hub.posts()).isZero();
    }

    @Test
    void aChangeOfTheHubsRulesIsNoticedInThePostsAnswerAndAppliesToTheBacklog() {
        forwarder(TOKEN, SampleFilter.none());
        samples(300).forEach(buffer::onSample);
        await().atMost(Duration.ofSeconds(30)).until(() -> hub.committedCount() == 300 && buffer.buffered() == 0);
        assertThat(hub.committed()).containsKey("edge-1/" + PROBE_EQUIPMENT);
        hub.rules("{\"version\":2,\"tags\":{\"" + PROBE_TAG + "\":{\"drop\":true},\"force\":{\"round\":50}}}");
        samples(600).forEach(buffer::onSample);
        await().atMost(Duration.ofSeconds(30)).until(() -> buffer.buffered() == 0);
        assertThat(hub.stalePosts()).isPositive();
        assertThat(hub.rulesRequests()).isEqualTo(2);
        assertThat(forwarder.rules()).hasValueSatisfying(r -> assertThat(r.version()).isEqualTo(2));
        assertThat(hub.committed().get("edge-1/" + PROBE_EQUIPMENT)).isEqualTo(oneTo(100));
        assertThat(hub.samples("edge-1/" + PRESS_1)).hasSize(300);
        assertThat(hub.samples("edge-1/" + PRESS_1).subList(100, 300)).allSatisfy(s -> assertThat(s.value() % 50.0).isZero());
    }

    @Test
    void afterARestartTheForwarderResumesFromTheHubsMarkSoNothingIsSentTwice() {
        hub.preset("edge-1/" + PRESS_1, 200);
        samples(900).forEach(buffer::onSample);
        buffer.flush();
        forwarder(TOKEN, SampleFilter.none());
        await().atMost(Duration.ofSeconds(30)).until(() -> buffer.buffered() == 0);
        assertThat(hub.committed().get("edge-1/" + PRESS_1)).isEqualTo(LongStream.rangeClosed(201, 300).boxed().toList());
        assertThat(hub.committed().get("edge-1/" + PRESS_2)).isEqualTo(oneTo(300));
        assertThat(hub.duplicates()).isZero();
        assertThat(forwarder.forwarded()).isEqualTo(700);
    }

    @Test
    void theWireFormatIsTheContract() {
        var s = new EdgeSample(PRESS_1, "force", 7,
                java.time.Instant.parse("2026-12-01T00:00:00.123Z"), 1.5, kr.max.factory.twin.Quality.GOOD);
        var bad = new EdgeSample(PRESS_1, "force", 8,
                java.time.Instant.parse("2026-12-01T00:00:01Z"), Double.NaN, kr.max.factory.twin.Quality.BAD);
        String json = new String(HttpHubClient.body("edge-1/" + PRESS_1, 4, List.of(s, bad)), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"source\":\"edge-1/" + PRESS_1 + "\",\"rules_version\":4,\"samples\":["
                + "{\"seq\":7,\"time\":\"2026-12-01T00:00:00.123Z\",\"asset\":\"" + PRESS_1 + "\",\"tag\":\"force\",\"value\":1.5,\"quality\":\"GOOD\"},"
                + "{\"seq\":8,\"time\":\"2026-12-01T00:00:01Z\",\"asset\":\"" + PRESS_1 + "\",\"tag\":\"force\",\"value\":null,\"quality\":\"BAD\"}]}");
    }
}
