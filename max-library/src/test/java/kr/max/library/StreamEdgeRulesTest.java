package kr.max.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kr.max.core.Classification;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.audit.AuditRecord;
import kr.max.library.crypto.MasterKey;
import kr.max.library.policy.PolicyError;
import kr.max.library.stream.EdgeRules;
import kr.max.library.stream.EdgeRules.TagRule;
import kr.max.library.stream.StreamAppender;
import kr.max.library.stream.StreamError;
import kr.max.library.stream.StreamSample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stream dataset's edge rules in the library: who reads and sets them, their versions, and the audit trail. */
class StreamEdgeRulesTest {

    static final String STREAM = "hanbit/line-1";
    static final EdgeRules RULES = EdgeRules.of(Map.of("operator-id", TagRule.dropped(), "spindle-speed", TagRule.rounded(10),
            "mold-recipe", TagRule.classified(Classification.DESIGNATED)), null);

    @TempDir
    Path dir;
    Library lib;
    Principal admin;
    Principal alice;
    Principal carol;
    Principal eve;
    Principal steward;
    Principal auditor;

    @BeforeEach
    void open() {
        lib = Library.open(LibraryConfig.embedded(dir.resolve("home"), MasterKey.of("edge rules test master secret 01")));
        admin = lib.authenticate(lib.bootstrapAdmin("national-library", "KR", "admin").orElseThrow().token()).orElseThrow();
        lib.createOrganization(admin, "hanbit", "220-81-62517", "KR");
        lib.createOrganization(admin, "seoul-analytics", null, "KR");
        alice = lib.createUser(admin, "alice", "hanbit", Set.of(Role.PROVIDER)).principal();
        carol = lib.createUser(admin, "carol", "seoul-analytics", Set.of(Role.CONSUMER)).principal();
        eve = lib.createUser(admin, "eve", "seoul-analytics", Set.of(Role.PROVIDER)).principal();
        steward = lib.createUser(admin, "sam", "national-library", Set.of(Role.STEWARD)).principal();
        auditor = lib.createUser(admin, "audrey", "national-library", Set.of(Role.AUDITOR)).principal();
        lib.streams().create(alice, STREAM, Classification.INTERNAL);
    }

    @AfterEach
    void close() {
        lib.close();
    }

    List<AuditRecord> audit() {
        var out = new ArrayList<AuditRecord>();
        lib.audit(auditor, STREAM, out::add);
        return out;
    }

    static void denied(Runnable r) {
        assertThatThrownBy(r::run).isInstanceOf(MaxException.class)
                .satisfies(e -> assertThat(((MaxException) e).code()).isEqualTo(PolicyError.DENIED));
    }

    @Test
    void aStreamNeverGivenRulesHasTheDefaultsAsVersionZero() {
        assertThat(lib.streams().edgeRules(alice, STREAM)).isEqualTo(EdgeRules.defaults());
        assertThat(lib.streams().edgeRulesVersion(STREAM)).isZero();
    }

    @Test
    void theOwnerSetsRulesEachChangeANewVersionOnTheAuditChain() {
        EdgeRules v1 = lib.streams().setEdgeRules(alice, STREAM, RULES);
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v1.changedBy()).isEqualTo("alice");
        assertThat(v1.tags()).isEqualTo(RULES.tags());
        EdgeRules v2 = lib.streams().setEdgeRules(alice, STREAM, EdgeRules.of(Map.of("operator-id", TagRule.dropped()), Classification.INTERNAL));
        assertThat(v2.version()).isEqualTo(2);
        assertThat(lib.streams().edgeRules(alice, STREAM)).isEqualTo(v2);
        assertThat(lib.streams().edgeRulesInForce(STREAM)).isEqualTo(v2);
        assertThat(lib.streams().edgeRulesVersion(STREAM)).isEqualTo(2);

        var changes = audit().stream().filter(r -> r.action().equals("edge-rules") && r.outcome().equals("ok")).toList();
        assertThat(changes).extracting(AuditRecord::principal).containsExactly("alice", "alice");
        assertThat(changes.get(0).detail()).startsWith("version=1 max-class=restricted drop=operator-id round=spindle-speed=10 "
                + "class=mold-recipe=designated sha256=");
        assertThat(changes.get(1).detail()).startsWith("version=2 max-class=internal drop=operator-id");
        assertThat(audit()).filteredOn(r -> r.action().equals("edge-rules") && r.outcome().equals("permit")).hasSize(2);
        assertThat(lib.verifyAudit(auditor).intact()).isTrue();
    }

    @Test
    void theSameRulesSetAgainAreNoNewVersion() {
        EdgeRules v1 = lib.streams().setEdgeRules(alice, STREAM, RULES);
        EdgeRules again = lib.streams().setEdgeRules(alice, STREAM, EdgeRules.of(new java.util.LinkedHashMap<>(RULES.tags()), RULES.maxClass()));
        assertThat(again).isEqualTo(v1);
        assertThat(lib.streams().edgeRulesVersion(STREAM)).isEqualTo(1);
        assertThat(audit()).filteredOn(r -> r.action().equals("edge-rules") && r.outcome().equals("ok"))
                .extracting(AuditRecord::detail).last().isEqualTo("unchanged version=1");
        EdgeRules v2 = lib.streams().setEdgeRules(alice, STREAM, EdgeRules.of(Map.of(), RULES.maxClass()));
        assertThat(v2.version()).isEqualTo(2);
    }

    @Test
    void onlyThoseWhoMayDepositReadTheRulesAndOnlyTheOwnerOrganizationsProvidersSetThem() {
        lib.streams().setEdgeRules(alice, STREAM, RULES);
        for (Principal stranger : List.of(carol, eve)) {
            denied(() -> lib.streams().edgeRules(stranger, STREAM));
            denied(() -> lib.streams().setEdgeRules(stranger, STREAM, EdgeRules.defaults()));
        }
        denied(() -> lib.streams().setEdgeRules(steward, STREAM, EdgeRules.defaults()));
        assertThat(lib.streams().edgeRulesVersion(STREAM)).isEqualTo(1);
        assertThat(audit()).filteredOn(r -> r.action().equals("edge-rules") && r.outcome().equals("denied"))
                .extracting(AuditRecord::principal).containsExactly("carol", "eve", "sam");
        assertThat(audit()).filteredOn(r -> r.action().equals("edge-rules-read") && r.outcome().equals("denied"))
                .extracting(AuditRecord::principal).containsExactly("carol", "eve");
    }

    @Test
    void lettingDesignatedTagsLeaveThePlantIsAStewardsDecisionAsDesignatingIs() {
        lib.streams().setEdgeRules(alice, STREAM, RULES);
        denied(() -> lib.streams().setEdgeRules(alice, STREAM, EdgeRules.of(RULES.tags(), Classification.DESIGNATED)));
        EdgeRules lifted = lib.streams().setEdgeRules(steward, STREAM, EdgeRules.of(RULES.tags(), Classification.DESIGNATED));
        assertThat(lifted.version()).isEqualTo(2);
        assertThat(lifted.keptInPlant()).containsExactly("operator-id");
        // a steward changes the class limit only; the tags stay the provider's
        denied(() -> lib.streams().setEdgeRules(steward, STREAM, EdgeRules.of(Map.of(), Classification.DESIGNATED)));
        denied(() -> lib.streams().setEdgeRules(alice, STREAM, EdgeRules.of(RULES.tags(), Classification.RESTRICTED)));
        assertThat(lib.streams().setEdgeRules(steward, STREAM, EdgeRules.of(RULES.tags(), Classification.RESTRICTED)).version()).isEqualTo(3);
        assertThat(audit()).filteredOn(r -> r.action().equals("edge-rules") && r.outcome().equals("denied")).hasSize(3);
    }

    @Test
    void rulesOfADepositedDatasetOrOfNoDatasetAreRefused() throws Exception {
        assertThatThrownBy(() -> lib.streams().edgeRules(alice, "hanbit/none"))
                .satisfies(e -> assertThat(((MaxException) e).code()).isEqualTo(kr.max.library.catalog.CatalogError.NO_SUCH_DATASET));
        lib.ingest(alice, IngestRequest.of(kr.max.library.sample.SampleData.injectionMolding(dir, 50, 1), "hanbit/press"));
        assertThatThrownBy(() -> lib.streams().setEdgeRules(alice, "hanbit/press", RULES))
                .satisfies(e -> assertThat(((MaxException) e).code()).isEqualTo(StreamError.NOT_A_STREAM));
    }

    @Test
    void anOpenAppenderIsDecidedAgainOnRequestAndAWithdrawnRoleStopsItWithADenialOnRecord() {
        try (StreamAppender a = lib.streams().appender(alice, STREAM, "edge-1")) {
            for (int i = 0; i < 3; i++) lib.streams().mayAppend(alice, a);
            a.append(new StreamSample(1, Instant.parse("2026-12-01T00:00:00Z"), "hanbit/changwon/line-1/cell-1/cnc-01", "t", 1, "GOOD"));
            Principal aliceWithoutProvider = new Principal("alice", "hanbit", "KR", Set.of(Role.CONSUMER));
            denied(() -> lib.streams().mayAppend(aliceWithoutProvider, a));
        }
        var records = audit();
        assertThat(records).filteredOn(r -> r.action().equals("stream-append")).extracting(AuditRecord::outcome).containsExactly("denied");
        assertThat(records).filteredOn(r -> r.action().equals("stream-open")).extracting(AuditRecord::outcome).containsExactly("permit", "ok");
    }
}
