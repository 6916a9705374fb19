package dev.coffer.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * A {@link Prompter} over a reader and a writer: the console's, or any pair in tests. Security:
 * keeps nothing it reads.
 */
public final class StreamPrompter implements Prompter {

  private final BufferedReader in;
  private final PrintWriter out;
  private final Console console; // null: no terminal to turn echo off on

  public StreamPrompter(BufferedReader in, PrintWriter out) {
    this(in, out, null);
  }

  /** @param console the terminal whose echo {@link #readHidden} turns off, or null */
  public StreamPrompter(BufferedReader in, PrintWriter out, Console console) {
    this.in = in;
    this.out = out;
    this.console = console;
  }

  @Override
  public String readHidden(String prompt) {
    if (console == null) {
      return readLine(prompt);
    }
    char[] typed = console.readPassword("%s", prompt);
    if (typed == null) {
      return null;
    }
    try {
      return new String(typed);
    } finally {
      java.util.Arrays.fill(typed, '\0');
    }
  }

  @Override
  public String readLine(String prompt) {
    out.print(prompt);
    out.flush();
    try {
      return in.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the terminal", e);
    }
  }

  @Override
  public void println(String line) {
    out.println(line);
    out.flush();
  }
}
