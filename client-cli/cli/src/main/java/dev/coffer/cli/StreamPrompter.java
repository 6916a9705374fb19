package dev.coffer.cli;

import java.io.BufferedReader;
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

  public StreamPrompter(BufferedReader in, PrintWriter out) {
    this.in = in;
    this.out = out;
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
