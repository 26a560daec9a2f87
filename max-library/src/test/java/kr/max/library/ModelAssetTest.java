package kr.max.library;

import static kr.max.library.policy.Action.QUERY;
import static kr.max.library.policy.Action.TRAIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kr.max.core.Classification;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.agreement.Constraint.TimeWindow;
import kr.max.library.audit.AuditRecord;
import kr.max.library.crypto.MasterKey;
import kr.max.library.model.ModelAssetError;
import kr.max.library.query.ResultSink;
import kr.max.library.sample.SampleData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models as library assets, through the library: a Korean provider's restricted sensor log, a Korean and a German
 * consumer, a steward; model jobs read rows only after the policy engine decided, every decision is on the audit
 * record, model bytes are encrypted at rest, and a registration that fails or is killed leaves no version.
 */
class ModelAssetTest {

    static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
    static final String SECRET = "model asset test master secret 01";
    static final String SENSORS = "hanbit/sensors";
    static final String RESEARCH = "quality-research";
    /** Bytes that occur in no file of the library unless a model's plaintext were written there. */
    static final byte[] MARKER = "MODEL-PLAINTEXT-QZX-7731".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(T0);
    Library lib;
    Principal admin;
    Principal alice; // provider, hanbit-press (KR)
    Principal carol; // consumer, seoul-analytics (KR)
    Principal bob;   // consumer, bavaria-ai (DE)
    Principal steward;
    final TimeWindow halfYear = new TimeWindow(T0, T0.plus(Duration.ofDays(180)));

    @BeforeEach
    void open() throws Exception {
        lib = Library.open(LibraryConfig.embedded(dir.resolve("home"), MasterKey.of(SECRET)).withClock(clock));
        admin = lib.authenticate(lib.bootstrapAdmin("national-library", "KR", "admin").orElseThrow().token()).orElseThrow();
        lib.createOrganization(admin, "hanbit-press", null, "KR");
        lib.createOrganization(admin, "seoul-analytics", null, "KR");
        lib.createOrganization(admin, "bavaria-ai", null, "DE");
        alice = lib.createUser(admin, "alice", "hanbit-press", Set.of(Role.PROVIDER)).principal();
        carol = lib.createUser(admin, "carol", "seoul-analytics", Set.of(Role.CONSUMER)).principal();
        bob = lib.createUser(admin, "bob", "bavaria-ai", Set.of(Role.CONSUMER)).principal();
        steward = lib.createUser(admin, "sam", "national-library", Set.of(Role.STEWARD)).principal();
        lib.ingest(alice, IngestRequest.of(SampleData.sensors(dir.resolve("sensors.csv"), 600, 3), SENSORS)
                .withClassification(Classification.RESTRICTED));
    }

    @AfterEach
    void close() {
        lib.close();
    }

    /** Column means of what a job read: a small computation inside the library, its result the "model". */
    static final class Means implements ResultSink {
        final List<String> names = new ArrayList<>();
        double[] sums;
        long rows;

        @Override
        public void columns(List<String> names, List<String> sqlTypes) {
            this.names.addAll(names);
            sums = new double[names.size()];
        }

        @Override
        public void row(Object[] values) {
            rows++;
            for (int i = 0; i < values.length; i++) if (values[i] instanceof Number n) sums[i] += n.doubleValue();
        }

        byte[] bytes() {
            var sb = new StringBuilder(new String(MARKER, StandardCharsets.US_ASCII));
            for (int i = 0; i < sums.length; i++) sb.append(' ').append(names.get(i)).append('=').append(sums[i] / rows);
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    Models.DatasetRead read(Principal who, String dataset, Means sink) {
        return lib.models().read(who, dataset, TRAIN, RESEARCH, "train", d -> new Models.Reading(List.of("temperature", "pressure"), sink));
    }

    Models.VersionInfo train(Principal who, String dataset, String model) {
        var means = new Means();
        var read = read(who, dataset, means);
        return lib.models().register(who, new Models.Registration(model, "column-means", means.bytes(), "{\"values\":{}}", "{}",
                Map.of("columns", "temperature,pressure"), 42L, "test 1", List.of(read), null, null, null));
    }

    void grant(Principal consumer, Set<kr.max.library.policy.Action> actions) {
        var filed = lib.requestAccess(consumer, SENSORS, RESEARCH, actions, halfYear, Set.of());
        lib.approve(alice, filed.id(), List.of());
    }

    static String deniedRule(Runnable call) {
        var e = (MaxException) org.assertj.core.api.Assertions.catchThrowable(call::run);
        assertThat(e).isNotNull();
        assertThat(e.code()).as(e.getMessage()).isEqualTo(kr.max.library.policy.PolicyError.DENIED);
        return (String) e.args()[2];
    }

    List<AuditRecord> audit() {
        var out = new ArrayList<AuditRecord>();
        lib.audit(new Principal("audrey", "national-library", "KR", Set.of(Role.AUDITOR)), null, out::add);
        return out;
    }

    @Test
    void aConsumerWithoutATrainAgreementIsRefusedBeforeAnyRowIsReadAndTheRefusalIsAudited() {
        var means = new Means();
        assertThat(deniedRule(() -> read(carol, SENSORS, means))).isEqualTo("restricted-agreement-required");
        grant(carol, Set.of(QUERY));
        assertThat(deniedRule(() -> read(carol, SENSORS, means))).isEqualTo("agreement-action-not-permitted");
        assertThat(means.rows).isZero();

        assertThat(audit()).filteredOn(r -> r.principal().equals("carol") && r.action().equals("train"))
                .extracting(AuditRecord::dataset, AuditRecord::outcome)
                .containsExactly(org.assertj.core.api.Assertions.tuple(SENSORS, "denied"), org.assertj.core.api.Assertions.tuple(SENSORS, "denied"));
        // the provider sees the refused attempts in its usage view
        assertThat(lib.usage(alice, SENSORS)).anySatisfy(u -> {
            assertThat(u.principal()).isEqualTo("carol");
            assertThat(u.action()).isEqualTo("train");
            assertThat(u.refused()).isEqualTo(2);
        });
    }

    @Test
    void aModelTrainedOnRestrictedDataIsRestrictedOwnedByTheTrainerAndItsExportIsDecidedOnTheModel() throws Exception {
        grant(carol, Set.of(TRAIN));
        var v = train(carol, SENSORS, "sensor-means");
        assertThat(v.classification()).isEqualTo(Classification.RESTRICTED);
        var entry = lib.models().show(alice, "sensor-means");
        assertThat(entry.ownerOrganization()).isEqualTo("seoul-analytics");
        assertThat(entry.owner()).isEqualTo("carol");

        // lineage: the dataset version by name, ids, commit and content identity; the parameters and the seed
        var lineage = entry.versions().getFirst().lineage();
        assertThat(lineage.data()).singleElement().satisfies(d -> {
            assertThat(d.ref()).isEqualTo(SENSORS + "@1");
            assertThat(d.rows()).isEqualTo(600);
            assertThat(d.ingestId()).isNotBlank();
            assertThat(d.sourceSha256()).hasSize(64);
        });
        assertThat(lineage.parameters()).containsEntry("columns", "temperature,pressure");
        assertThat(lineage.seed()).isEqualTo(42L);

        // the trainer's organization takes its model out; the data's provider and anyone else may not
        Path out = dir.resolve("sensor-means.bin");
        lib.models().export(carol, "sensor-means", out, null);
        assertThat(new String(Files.readAllBytes(out), StandardCharsets.UTF_8)).startsWith(new String(MARKER, StandardCharsets.US_ASCII));
        assertThat(deniedRule(() -> lib.models().export(alice, "sensor-means", dir.resolve("a.bin"), null)))
                .isEqualTo("restricted-agreement-required");
        assertThat(deniedRule(() -> lib.models().export(bob, "sensor-means", dir.resolve("b.bin"), null)))
                .isEqualTo("restricted-agreement-required");
        // using it is decided on the model too: the owner organization runs it, others do not
        assertThat(lib.models().open(carol, "sensor-means@1", "model-score").bytes()).startsWith(MARKER);
        assertThat(deniedRule(() -> lib.models().open(bob, "sensor-means", "model-score"))).isEqualTo("restricted-agreement-required");
        assertThat(Files.exists(dir.resolve("a.bin"))).isFalse();

        assertThat(audit()).filteredOn(r -> r.action().equals("model-export"))
                .extracting(AuditRecord::principal, AuditRecord::outcome)
                .containsExactly(org.assertj.core.api.Assertions.tuple("carol", "permit"), org.assertj.core.api.Assertions.tuple("carol", "ok"),
                        org.assertj.core.api.Assertions.tuple("alice", "denied"), org.assertj.core.api.Assertions.tuple("bob", "denied"));
        assertThat(audit()).filteredOn(r -> r.action().equals("model-register")).singleElement()
                .satisfies(r -> assertThat(r.detail()).contains("trained-on=" + SENSORS + "@1").contains("seed=42")
                        .contains("classification=restricted"));
    }

    @Test
    void aModelCannotBeDeclaredLessProtectedThanItsDataNorTakeVersionsFromAnotherOrganization() {
        grant(carol, Set.of(TRAIN));
        var means = new Means();
        var read = read(carol, SENSORS, means);
        assertThatThrownBy(() -> lib.models().register(carol, new Models.Registration("m", "column-means", means.bytes(), null, null,
                Map.of(), 1L, "test", List.of(read), Classification.PUBLIC, null, null)))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(ModelAssetError.CLASSIFICATION_BELOW_DATA));
        train(carol, SENSORS, "m");
        // alice's organization trains on its own data, but the name belongs to seoul-analytics
        var own = new Means();
        var aliceRead = read(alice, SENSORS, own);
        assertThat(deniedRule(() -> lib.models().register(alice, new Models.Registration("m", "column-means", own.bytes(), null,
                null, Map.of(), 1L, "test", List.of(aliceRead), null, null, null)))).isEqualTo("model-owner-organization-only");
        assertThat(lib.models().show(carol, "m").versions()).hasSize(1);
    }

    @Test
    void aModelOfDesignatedDataLeavesOnlyThroughReviewAndItsDataNeverAsRows() {
        lib.describe(steward, SENSORS, new Library.Description(null, null, null, null, null, Classification.DESIGNATED));
        var v = train(alice, SENSORS, "designated-means");
        assertThat(v.classification()).isEqualTo(Classification.DESIGNATED);
        // the owner's export is held for review, not written; no one else may even ask
        assertThat(lib.models().export(alice, "designated-means", dir.resolve("d.bin"), null)).isInstanceOf(Models.HeldModel.class);
        assertThat(dir.resolve("d.bin")).doesNotExist();
        assertThat(deniedRule(() -> lib.models().export(carol, "designated-means", dir.resolve("c.bin"), null)))
                .isEqualTo("designated-named-analysts-only");
        // row-level predictions over designated data would bypass the safe zone's review: refused
        assertThat(deniedRule(() -> lib.models().read(alice, SENSORS, QUERY, null, "predict",
                d -> new Models.Reading(null, new Means())))).isEqualTo("review-output-not-yet-held");
        // other organizations train on designated data only through the safe zone's review, which holds no models
        assertThat(deniedRule(() -> read(carol, SENSORS, new Means()))).isEqualTo("designated-named-analysts-only");
    }

    @Test
    void columnsThatNeverLeaveAreNotOfferedToAnotherOrganizationsModelJobs() {
        lib.protect(alice, SENSORS, Set.of(), Set.of("pressure"));
        grant(carol, Set.of(TRAIN));
        var seen = new ArrayList<String>();
        lib.models().read(carol, SENSORS, TRAIN, RESEARCH, "train", d -> {
            seen.addAll(d.names());
            return new Models.Reading(null, new Means());
        });
        assertThat(seen).contains("temperature").doesNotContain("pressure");
        lib.protect(alice, SENSORS, Set.of(TRAIN), Set.of());
        assertThat(deniedRule(() -> read(carol, SENSORS, new Means()))).isEqualTo("deid-release-required");
    }

    @Test
    void modelBytesAreEncryptedAtRestAndSurviveRecovery() throws Exception {
        var v = train(alice, SENSORS, "sensor-means");
        assertThat(PlaintextScan.hitsOfBytes(dir.resolve("home"), MARKER)).isEmpty();
        lib.close();
        lib = Library.open(LibraryConfig.embedded(dir.resolve("home"), MasterKey.of(SECRET)).withClock(clock));
        assertThat(lib.models().open(alice, v.ref(), "model-score").bytes()).startsWith(MARKER);
        assertThat(lib.models().list(alice)).extracting(Models.ModelSummary::name, Models.ModelSummary::versions)
                .containsExactly(org.assertj.core.api.Assertions.tuple("sensor-means", 1));
        assertThat(PlaintextScan.hitsOfBytes(dir.resolve("home"), MARKER)).isEmpty();
    }

    @Test
    void aRegistrationThatFailsInItsCommitLeavesNoVersionNoObjectAndNoKey() throws Exception {
        var means = new Means();
        var read = read(alice, SENSORS, means);
        long keysBefore = files(dir.resolve("home").resolve("keys"));
        long objectsBefore = files(dir.resolve("home").resolve("objects"));
        assertThatThrownBy(() -> lib.models().register(alice, new Models.Registration("sensor-means", "column-means", means.bytes(),
                null, null, Map.of(), 1L, "test", List.of(read), null, null, null), (h, v) -> {
            throw new IllegalStateException("the disk filled up in the middle of the commit");
        })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> lib.models().show(alice, "sensor-means"))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(ModelAssetError.NO_SUCH_MODEL));
        assertThat(files(dir.resolve("home").resolve("keys"))).isEqualTo(keysBefore);
        assertThat(files(dir.resolve("home").resolve("objects"))).isEqualTo(objectsBefore);
        assertThat(files(dir.resolve("home").resolve("staging"))).isZero();
        assertThat(audit()).filteredOn(r -> r.action().equals("model-register")).extracting(AuditRecord::outcome).containsExactly("failed");
    }

    @Test
    void aRegistrationKilledBeforeItsCommitLeavesNoVersionAndItsStagedObjectGoesAtTheNextStart() throws Exception {
        lib.close();
        Path home = dir.resolve("home");
        Process child = ChildJvm.start(CrashRegisterMain.class, dir.resolve("child.log"), home.toString(), SECRET);
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> !child.isAlive());
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as(Files.readString(dir.resolve("child.log"))).isEqualTo(CrashRegisterMain.HALTED);
        // the child died inside the commit: its encrypted object sits in a staging area nobody owns
        assertThat(files(home.resolve("staging"))).isPositive();

        lib = Library.open(LibraryConfig.embedded(home, MasterKey.of(SECRET)).withClock(clock));
        assertThat(files(home.resolve("staging"))).isZero();
        assertThat(lib.models().list(Principal.localOperator())).isEmpty();
        assertThatThrownBy(() -> lib.models().show(Principal.localOperator(), CrashRegisterMain.MODEL))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(ModelAssetError.NO_SUCH_MODEL));
        // and the same registration simply runs again
        var v = lib.models().register(Principal.localOperator(), CrashRegisterMain.registration());
        assertThat(v.number()).isEqualTo(1);
        assertThat(lib.verifyAudit(Principal.localOperator()).intact()).isTrue();
    }

    @Test
    void importsAreDepositsByProvidersAndUnknownModelsAreNamed() {
        var imported = new Models.Registration("imported", "onnx", MARKER, null, null, Map.of(), null, "test", List.of(), null,
                "a model trained elsewhere", "net.onnx sha256=00");
        assertThat(deniedRule(() -> lib.models().register(carol, imported))).isEqualTo("role-provider-required");
        var v = lib.models().register(alice, imported);
        assertThat(v.classification()).isEqualTo(Classification.INTERNAL);
        assertThat(lib.models().list(carol)).isEmpty(); // internal: not even listed outside its organization
        assertThat(lib.models().show(alice, "imported").description()).isEqualTo("a model trained elsewhere");
        assertThatThrownBy(() -> lib.models().open(alice, "imported@2", "model-score"))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(ModelAssetError.NO_SUCH_VERSION));
        assertThatThrownBy(() -> lib.models().open(alice, "Not A Name", "model-score"))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(ModelAssetError.INVALID_NAME));
    }

    private static long files(Path root) throws java.io.IOException {
        if (!Files.exists(root)) return 0;
        try (var walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }
}
