package kr.max.models.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kr.max.core.Classification;
import kr.max.core.MaxException;
import kr.max.core.Principal;
import kr.max.core.Role;
import kr.max.library.IngestRequest;
import kr.max.library.Library;
import kr.max.library.LibraryConfig;
import kr.max.library.Models;
import kr.max.library.audit.AuditRecord;
import kr.max.library.crypto.MasterKey;
import kr.max.library.policy.PolicyError;
import kr.max.library.safezone.SafeZoneError;
import kr.max.library.safezone.SafeZoneOutputs;
import kr.max.models.fixture.LeastSquares;
import kr.max.models.fixture.RegressionData;
import kr.max.models.fixture.TinyOnnx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A designated dataset is trained on only inside, and its model leaves only after review (issue 5): the owner's export
 * is held in the safe zone's output area, reviewed by a provider of the data's organization or a steward (never the
 * requester), and a release lets the model out once — through the real library (H2, Tink, the audit chain).
 */
class DesignatedModelReviewTest {

    static final String PRESS = "hanbit/press";
    static final String MODEL = "press-ols";

    @TempDir
    Path dir;

    Library lib;
    ModelRegistry registry;
    Principal alice;   // provider and analyst of hanbit-press, which owns the data and trains the model
    Principal bob;     // another provider of hanbit-press
    Principal steward; // the library's steward
    Principal carol;   // a consumer of another Korean organization
    Principal hans;    // a provider abroad

    @BeforeEach
    void designatedData() throws Exception {
        lib = Library.open(LibraryConfig.embedded(dir.resolve("home"), MasterKey.of("designated model review test secret 01")));
        registry = new ModelRegistry(lib);
        Principal admin = Principal.localOperator();
        lib.createOrganization(admin, "hanbit-press", null, "KR");
        lib.createOrganization(admin, "seoul-analytics", null, "KR");
        lib.createOrganization(admin, "bavaria-ai", null, "DE");
        lib.createOrganization(admin, "national-library", null, "KR");
        alice = lib.createUser(admin, "alice", "hanbit-press", Set.of(Role.PROVIDER, Role.CONSUMER)).principal();
        bob = lib.createUser(admin, "bob", "hanbit-press", Set.of(Role.PROVIDER)).principal();
        steward = lib.createUser(admin, "sejong", "national-library", Set.of(Role.STEWARD)).principal();
        carol = lib.createUser(admin, "carol", "seoul-analytics", Set.of(Role.CONSUMER)).principal();
        hans = lib.createUser(admin, "hans", "bavaria-ai", Set.of(Role.PROVIDER, Role.CONSUMER)).principal();
        lib.ingest(alice, IngestRequest.of(RegressionData.write(dir.resolve("press.csv"), 600, 3), PRESS));
        lib.describe(steward, PRESS, new Library.Description(null, null, null, null, null, Classification.DESIGNATED));
    }

    @AfterEach
    void close() {
        lib.close();
    }

    Models.HeldModel held(Models.ModelExport e) {
        assertThat(e).isInstanceOf(Models.HeldModel.class);
        return (Models.HeldModel) e;
    }

    SafeZoneOutputs.Output output(Principal who, String id) {
        return lib.outputs(who).stream().filter(o -> o.id().equals(id)).findFirst().orElseThrow();
    }

    static String deniedRule(Runnable call) {
        Throwable t = catchThrowable(call::run);
        assertThat(t).isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.code()).isEqualTo(PolicyError.DENIED));
        return (String) ((MaxException) t).args()[2];
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    List<String> trail(String subject) {
        var out = new ArrayList<String>();
        lib.audit(Principal.localOperator(), subject, (AuditRecord r) -> out.add(r.principal() + ":" + r.action() + ":" + r.outcome()));
        return out;
    }

    @Test
    void theOwnersExportIsHeldReviewedByAColleagueAndWrittenOncePerRelease() throws Exception {
        var v = registry.train(alice, LeastSquares.ID, PRESS, Map.of(), 7, MODEL, "quality-research");
        assertThat(v.classification()).isEqualTo(Classification.DESIGNATED);
        Path file = dir.resolve("press-ols.bin");

        // the export is held, not written; the requester is told the output and who reviews it
        var first = held(registry.export(alice, MODEL, file, null, "line-monitoring"));
        assertThat(first.ref()).isEqualTo(MODEL + "@1");
        assertThat(first.reviewers()).containsExactly("hanbit-press");
        assertThat(first.alreadyPending()).isFalse();
        assertThat(file).doesNotExist();
        String id = first.output();
        // asking again while it waits holds nothing new
        var again = held(registry.export(alice, MODEL, file));
        assertThat(again.output()).isEqualTo(id);
        assertThat(again.alreadyPending()).isTrue();
        assertThat(file).doesNotExist();

        // the held output names the model version and its training data; it holds no copy of the model
        var o = output(bob, id);
        assertThat(o.kind()).isEqualTo(SafeZoneOutputs.Kind.MODEL);
        assertThat(o.model()).isEqualTo(MODEL + "@1");
        assertThat(o.datasets()).containsExactly(PRESS);
        assertThat(o.analyst()).isEqualTo("alice");
        assertThat(o.purpose()).isEqualTo("line-monitoring");
        assertThat(o.destination()).isEqualTo("KR");
        assertThat(o.state()).isEqualTo(SafeZoneOutputs.State.PENDING);
        assertThat(lib.outputs(steward)).extracting(SafeZoneOutputs.Output::id).contains(id);
        assertThat(lib.outputs(carol)).extracting(SafeZoneOutputs.Output::id).doesNotContain(id);

        // never the requester, never another organization; and it is not a query result to read
        assertThat(deniedRule(() -> lib.review(alice, id, true, null))).isEqualTo("review-not-own-output");
        assertThat(deniedRule(() -> lib.review(carol, id, true, null))).isEqualTo("review-owner-or-steward-only");
        assertThat(catchThrowable(() -> lib.releasedOutput(alice, id, new ModelRegistryTest.Rows()))).isInstanceOfSatisfying(MaxException.class,
                e -> assertThat(e.code()).isEqualTo(SafeZoneError.NOT_A_RESULT));

        var released = lib.review(bob, id, true, "coefficients of four process variables; no shot in the file");
        assertThat(released.state()).isEqualTo(SafeZoneOutputs.State.RELEASED);
        assertThat(catchThrowable(() -> lib.review(steward, id, false, null))).isInstanceOfSatisfying(MaxException.class,
                e -> assertThat(e.code()).isEqualTo(SafeZoneError.ALREADY_REVIEWED));
        // the release is alice's: bob's own export is a request of his own, held for review
        Path bobs = dir.resolve("bobs.bin");
        assertThat(held(registry.export(bob, MODEL, bobs)).output()).isNotEqualTo(id);
        assertThat(bobs).doesNotExist();

        // the requester's next export writes exactly the bytes the registry keeps
        var exported = registry.export(alice, MODEL, file, null, "line-monitoring");
        assertThat(exported).isInstanceOfSatisfying(Models.ExportedModel.class, e -> assertThat(e.version()).isEqualTo(1));
        byte[] written = Files.readAllBytes(file);
        byte[] kept = lib.models().open(alice, MODEL + "@1", "model-score").bytes();
        assertThat(sha256(written)).isEqualTo(sha256(kept));
        assertThat((long) written.length).isEqualTo(registry.show(alice, MODEL).shown().bytes());
        assertThat(new String(written, java.nio.charset.StandardCharsets.ISO_8859_1)).startsWith(LeastSquares.MAGIC);
        var used = output(alice, id);
        assertThat(used.state()).isEqualTo(SafeZoneOutputs.State.EXPORTED);
        assertThat(used.exportedAt()).isNotNull();

        // once per release: the next export is held again
        Path second = dir.resolve("second.bin");
        var next = held(registry.export(alice, MODEL, second));
        assertThat(next.output()).isNotEqualTo(id);
        assertThat(next.alreadyPending()).isFalse();
        assertThat(second).doesNotExist();

        // every step is on the record: under the model, and the review under the training dataset too
        assertThat(trail("model:" + MODEL)).containsSubsequence("alice:model-export:permit", "alice:model-export:held",
                "alice:model-export:permit", "alice:model-export:held", "alice:review-release:denied", "bob:review-release:ok", "alice:model-export:permit", "alice:model-export:ok", "alice:model-export:permit",
                "alice:model-export:held");
        assertThat(trail(PRESS)).contains("bob:review-release:permit", "carol:review-release:denied");
        var records = new ArrayList<AuditRecord>();
        lib.audit(Principal.localOperator(), "model:" + MODEL, records::add);
        assertThat(records).filteredOn(r -> r.action().equals("model-export") && r.outcome().equals("ok")).singleElement()
                .satisfies(r -> assertThat(r.detail()).contains("output=" + id));
        assertThat(records).filteredOn(r -> r.action().equals("model-export") && r.outcome().equals("held")).first()
                .satisfies(r -> assertThat(r.detail()).contains("output=" + id).contains("reviewers=hanbit-press"));
    }

    @Test
    void aRejectedExportNeverLeavesAndResidencyStillComesFirst() throws Exception {
        registry.train(alice, LeastSquares.ID, PRESS, Map.of(), 7, MODEL, "quality-research");
        Path file = dir.resolve("press-ols.bin");
        String refused = held(registry.export(alice, MODEL, file)).output();
        lib.review(steward, refused, false, "the model memorizes rare shots");

        // the refusal stands: the export is not written; asking again is a new request for review
        var anew = held(registry.export(alice, MODEL, file));
        assertThat(anew.output()).isNotEqualTo(refused);
        assertThat(file).doesNotExist();
        assertThat(catchThrowable(() -> lib.review(bob, refused, true, null))).isInstanceOfSatisfying(MaxException.class,
                e -> assertThat(e.code()).isEqualTo(SafeZoneError.ALREADY_REVIEWED));
        // a steward may release the new request; the model then leaves on it, and the refused one stays refused
        lib.review(steward, anew.output(), true, "coefficients only");
        assertThat(registry.export(alice, MODEL, file)).isInstanceOf(Models.ExportedModel.class);
        assertThat(output(alice, refused).state()).isEqualTo(SafeZoneOutputs.State.REJECTED);
        assertThat(output(alice, anew.output()).state()).isEqualTo(SafeZoneOutputs.State.EXPORTED);

        // residency and the named-accessor rule come before any review: these are refused, and nothing is held
        int outputs = lib.outputs(steward).size();
        assertThat(deniedRule(() -> registry.export(hans, MODEL, dir.resolve("h.bin")))).isEqualTo("residency-designated-domestic-only");
        assertThat(deniedRule(() -> registry.export(alice, MODEL, dir.resolve("de.bin"), "DE"))).isEqualTo("residency-export-destination");
        assertThat(deniedRule(() -> registry.export(carol, MODEL, dir.resolve("c.bin")))).isEqualTo("designated-named-analysts-only");
        assertThat(lib.outputs(steward)).hasSize(outputs);
        assertThat(trail("model:" + MODEL)).contains("sejong:review-reject:ok", "sejong:review-release:ok", "hans:model-export:denied",
                "alice:model-export:denied", "carol:model-export:denied");
    }

    @Test
    void aModelDeclaredDesignatedWithoutTrainingDataIsReviewedByAStewardOnly() throws Exception {
        // the local operator may both deposit and designate; an import has no training data whose provider could review
        Principal operator = Principal.localOperator();
        Path onnx = Files.write(dir.resolve("linear.onnx"), TinyOnnx.linear(new float[]{3, -2, 0.01f}, 10));
        registry.importOnnx(operator, onnx, "press-linear", null, Classification.DESIGNATED);
        var h = held(registry.export(operator, "press-linear", dir.resolve("back.onnx")));
        assertThat(h.reviewers()).isEmpty();
        assertThat(deniedRule(() -> lib.review(bob, h.output(), true, null))).isEqualTo("review-owner-or-steward-only");
        assertThat(deniedRule(() -> lib.review(operator, h.output(), true, null))).isEqualTo("review-not-own-output");
        lib.review(steward, h.output(), true, null);
        registry.export(operator, "press-linear", dir.resolve("back.onnx"));
        assertThat(Files.readAllBytes(dir.resolve("back.onnx"))).isEqualTo(Files.readAllBytes(onnx));
    }
}
