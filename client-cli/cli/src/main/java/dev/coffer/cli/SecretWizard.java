package dev.coffer.cli;

import dev.coffer.api.v1.CreateSecretRequest;
import dev.coffer.api.v1.CreateSecretResponse;
import dev.coffer.client.ResourceNames;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The interactive create flow of the admin portal: each field with its default in brackets,
 * then a summary, then "Create this secret? [y]es / [e]dit / [c]ancel". Only on yes is {@code
 * create} called, once. End of input at any prompt cancels.
 *
 * <p>Contract: talks only to a {@link Prompter}; the caller shows the created value. Enter keeps
 * the bracketed value; {@code -} clears the description and resets the owner to you. Security: never asks for or shows
 * a secret value.
 */
final class SecretWizard {

  private final Prompter prompter;
  private final java.time.Clock clock;

  SecretWizard(Prompter prompter, java.time.Clock clock) {
    this.prompter = prompter;
    this.clock = clock;
  }

  /** Runs the flow over {@code draft}; empty when the person cancelled. */
  Optional<CreateSecretResponse> run(
      SecretDraft draft,
      boolean confirm,
      Function<CreateSecretRequest, CreateSecretResponse> create) {
    prompter.println("New secret. Press Enter to keep the value in [brackets].");
    try {
      while (true) {
        askFields(draft);
        prompter.println("");
        prompter.println("Summary:");
        Printer.lines(draft.summary()).forEach(l -> prompter.println("  " + l));
        if (!draft.readersWarning().isEmpty()) {
          prompter.println("  " + draft.readersWarning());
        }
        char choice = confirm ? askChoice() : 'y';
        if (choice == 'y') {
          return Optional.of(create.apply(draft.toRequest(clock)));
        }
        if (choice == 'c') {
          break;
        }
      }
    } catch (EndOfInput e) {
      prompter.println("");
    }
    prompter.println("Cancelled; nothing was created.");
    return Optional.empty();
  }

  private void askFields(SecretDraft d) {
    if (d.scope == null) {
      d.app = askApplication(d.app);
    }
    d.name = askText("Name", d.name, true, false);
    d.description = askText("Description", d.description, false, true);
    d.expiration = askExpiration(d.expiration);
    d.location = askText("Location", d.location, true, false);
    d.vaulted = askYesNo("Vaulted?", d.vaulted);
    d.sharing = d.vaulted && askYesNo("Sharing enabled?", d.sharing);
    d.owner = askOwner(d.owner);
    d.preapproveOwner = d.vaulted && askYesNo("Pre-approve owner?", d.preapproveOwner);
  }

  private String askApplication(String current) {
    while (true) {
      String app = askText("Application (client id)", current, true, false);
      try {
        ResourceNames.application(app);
        return app;
      } catch (IllegalArgumentException e) {
        prompter.println("  " + e.getMessage());
      }
    }
  }

  /** The owner's principal id, or {@code null} for "you" (the server's default, the caller). */
  private String askOwner(String current) {
    boolean you = current == null || current.isBlank();
    String line = read("Owner [" + (you ? "you" : current) + "]: ").strip();
    if (line.equals("-")) {
      return null;
    }
    return line.isEmpty() ? (you ? null : current) : line;
  }

  /** A line, or {@code current} on Enter; {@code -} clears when allowed; required re-asks. */
  private String askText(String label, String current, boolean required, boolean clearable) {
    while (true) {
      String shown = current == null || current.isEmpty() ? "" : " [" + current + "]";
      String line = read(label + shown + ": ").strip();
      if (clearable && line.equals("-")) {
        return "";
      }
      String value = line.isEmpty() ? (current == null ? "" : current) : line;
      if (!required || !value.isEmpty()) {
        return value;
      }
      prompter.println("  " + label + " is required.");
    }
  }

  private Expiration askExpiration(Expiration current) {
    while (true) {
      String shown = current == null ? "1 year" : current.toString();
      String line = read("Expiration (" + Expiration.FORMS + ") [" + shown + "]: ").strip();
      if (line.isEmpty()) {
        return current;
      }
      try {
        return Expiration.parse(line);
      } catch (IllegalArgumentException e) {
        prompter.println("  " + e.getMessage());
      }
    }
  }

  private boolean askYesNo(String question, boolean current) {
    while (true) {
      String line = read(question + " (y/n) [" + (current ? "yes" : "no") + "]: ");
      switch (line.strip().toLowerCase(Locale.ROOT)) {
        case "" -> {
          return current;
        }
        case "y", "yes" -> {
          return true;
        }
        case "n", "no" -> {
          return false;
        }
        default -> prompter.println("  Please answer y or n.");
      }
    }
  }

  private char askChoice() {
    while (true) {
      String line = read("Create this secret? [y]es / [e]dit / [c]ancel: ");
      switch (line.strip().toLowerCase(Locale.ROOT)) {
        case "y", "yes" -> {
          return 'y';
        }
        case "e", "edit" -> {
          return 'e';
        }
        case "c", "cancel", "n", "no" -> {
          return 'c';
        }
        default -> prompter.println("  Please answer y, e or c.");
      }
    }
  }

  private String read(String prompt) {
    String line = prompter.readLine(prompt);
    if (line == null) {
      throw new EndOfInput();
    }
    return line;
  }

  /** The person closed the input (Ctrl-D). */
  private static final class EndOfInput extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EndOfInput() {
      super(null, null, false, false);
    }
  }
}
