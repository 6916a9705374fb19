package dev.coffer.cli;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A {@link Prompter} that answers from a script and remembers what it was asked and shown. */
final class ScriptedPrompter implements Prompter {
  private final Deque<String> answers;
  final List<String> prompts = new ArrayList<>();
  final List<String> shown = new ArrayList<>();
  final List<String> hidden = new ArrayList<>();

  ScriptedPrompter(String... answers) {
    this.answers = new ArrayDeque<>(List.of(answers));
  }

  @Override
  public String readLine(String prompt) {
    prompts.add(prompt);
    return answers.poll();
  }

  /** Answers like {@link #readLine}, remembering that this prompt asked with echo off. */
  @Override
  public String readHidden(String prompt) {
    hidden.add(prompt);
    return readLine(prompt);
  }

  @Override
  public void println(String line) {
    shown.add(line);
  }

  boolean exhausted() {
    return answers.isEmpty();
  }

  boolean asked(String promptStart) {
    return prompts.stream().anyMatch(p -> p.startsWith(promptStart));
  }
}
