package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.CreateSecretResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SecretWizardTest {

  private final List<CreateSecretRequest> created = new ArrayList<>();
  private final Function<CreateSecretRequest, CreateSecretResponse> create =
      req -> {
        created.add(req);
        return CreateSecretResponse.newBuilder().setValue("cfr_cs_new").build();
      };

  private Optional<CreateSecretResponse> run(ScriptedPrompter p, SecretDraft draft) {
    return new SecretWizard(p, CliHarness.NOW_CLOCK).run(draft, true, create);
  }

  @Test
  void acceptingEveryDefault_createsWithTheServerDefaults() {
    ScriptedPrompter p = new ScriptedPrompter("payments_api", "db password", "", "", "", "", "", "y");
    Optional<CreateSecretResponse> result = run(p, new SecretDraft());

    assertTrue(result.isPresent());
    assertEquals(1, created.size());
    CreateSecretRequest r = created.get(0);
    assertEquals("applications/payments_api", r.getParent());
    assertEquals("db password", r.getDisplayName());
    assertEquals("", r.getDescription());
    assertEquals(CreateSecretRequest.ExpirationCase.EXPIRATION_NOT_SET, r.getExpirationCase());
    assertEquals("/", r.getLocation());
    assertFalse(r.getVaulted());
    assertFalse(r.getSharingEnabled());
    assertEquals("", r.getOwner());
    assertFalse(r.getPreapproveOwner());
    assertTrue(p.exhausted());
  }

  @Test
  void prompts_showTheirDefaultsInBrackets_andVaultOnlyQuestionsAreSkippedWhenNotVaulted() {
    ScriptedPrompter p = new ScriptedPrompter("app_one", "n", "", "", "", "", "", "y");
    run(p, new SecretDraft());
    assertTrue(p.asked("Expiration (30d, 12h, YYYY-MM-DD, YYYY-MM-DDThh:mm:ssZ or 'never') [1 year]: "));
    assertTrue(p.asked("Location [/]: "));
    assertTrue(p.asked("Vaulted? (y/n) [no]: "));
    assertTrue(p.asked("Owner [you]: "));
    assertFalse(p.asked("Sharing enabled?"));
    assertFalse(p.asked("Pre-approve owner?"));
    assertTrue(p.asked("Create this secret? [y]es / [e]dit / [c]ancel: "));
    assertTrue(p.shown.contains("Summary:"));
  }

  @Test
  void flagValues_areTheDefaultsOfTheirPrompts() {
    SecretDraft draft = new SecretDraft();
    draft.app = "from_flag";
    ScriptedPrompter p = new ScriptedPrompter("", "name", "", "", "", "", "", "y");
    run(p, draft);
    assertTrue(p.asked("Application (client id) [from_flag]: "));
    assertEquals("applications/from_flag", created.get(0).getParent());
  }

  @Test
  void aVaultedSecret_asksSharingAndPreapproval_andSendsThem() {
    ScriptedPrompter p =
        new ScriptedPrompter(
            "app1", "signing key", "for payments", "2027-11-22", "/Finance", "y", "y", "bob", "yes",
            "y");
    run(p, new SecretDraft());
    CreateSecretRequest r = created.get(0);
    assertTrue(r.getVaulted());
    assertTrue(r.getSharingEnabled());
    assertTrue(r.getPreapproveOwner());
    assertEquals("bob", r.getOwner());
    assertEquals("/Finance", r.getLocation());
    assertEquals("for payments", r.getDescription());
    assertEquals(Instant.parse("2027-11-22T00:00:00Z").getEpochSecond(), r.getExpireTime().getSeconds());
  }

  @Test
  void editThenConfirm_createsOnceWithTheEditedValues() {
    ScriptedPrompter p =
        new ScriptedPrompter(
            "app1", "first", "", "", "", "", "", "e",
            "", "second", "", "never", "", "", "", "y");
    run(p, new SecretDraft());
    assertEquals(1, created.size());
    CreateSecretRequest r = created.get(0);
    assertEquals("second", r.getDisplayName());
    assertTrue(r.getNeverExpires());
    assertTrue(p.asked("Name [first]: "));
    assertTrue(p.exhausted());
  }

  @Test
  void cancel_createsNothing() {
    ScriptedPrompter p = new ScriptedPrompter("app1", "name", "", "", "", "", "", "c");
    assertTrue(run(p, new SecretDraft()).isEmpty());
    assertTrue(created.isEmpty());
    assertTrue(p.shown.contains("Cancelled; nothing was created."));
  }

  @Test
  void endOfInput_cancelsAndCreatesNothing() {
    ScriptedPrompter p = new ScriptedPrompter("app1", "name");
    assertTrue(run(p, new SecretDraft()).isEmpty());
    assertTrue(created.isEmpty());
  }

  @Test
  void badAnswers_areAskedAgain() {
    ScriptedPrompter p =
        new ScriptedPrompter(
            "", "app1", "", "name", "", "tomorrow", "never", "", "maybe", "n", "", "what", "y");
    run(p, new SecretDraft());
    assertEquals(1, created.size());
    assertTrue(created.get(0).getNeverExpires());
    assertTrue(p.shown.contains("  Name is required."));
    assertTrue(p.shown.contains("  Please answer y or n."));
    assertTrue(p.shown.contains("  Please answer y, e or c."));
  }

  @Test
  void withoutConfirmation_theSummaryIsShownAndTheSecretCreated() {
    ScriptedPrompter p = new ScriptedPrompter("app1", "name", "", "", "", "", "");
    new SecretWizard(p, CliHarness.NOW_CLOCK).run(new SecretDraft(), false, create);
    assertEquals(1, created.size());
    assertFalse(p.asked("Create this secret?"));
    assertTrue(p.shown.contains("Summary:"));
  }

  @Test
  void unvaultingOnEdit_dropsSharingAndPreapproval() {
    ScriptedPrompter p =
        new ScriptedPrompter(
            "app1", "n", "", "", "", "y", "y", "", "y", "e",
            "", "", "", "", "", "n", "", "y");
    run(p, new SecretDraft());
    CreateSecretRequest r = created.get(0);
    assertFalse(r.getVaulted());
    assertFalse(r.getSharingEnabled());
    assertFalse(r.getPreapproveOwner());
  }
}
