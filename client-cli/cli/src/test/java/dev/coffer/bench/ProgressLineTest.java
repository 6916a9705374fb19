package dev.coffer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

  private final StringWriter err = new StringWriter();
  private final AtomicLong now = new AtomicLong(1_000);

  @Test
  void withoutATerminal_onlyNotesArePrinted() {
    ProgressLine line = new ProgressLine(new PrintWriter(err), false, now::get);
    line.progress("verify: 10 calls");
    line.note("verify: done");
    line.clear();
    assertEquals("verify: done\n", err.toString().replace(System.lineSeparator(), "\n"));
  }

  @Test
  void onATerminal_theLineIsRedrawnInPlace_atMostEveryInterval_andClearedBeforeANote() {
    ProgressLine line = new ProgressLine(new PrintWriter(err), true, now::get);
    line.progress("list: 10 calls");
    now.addAndGet(ProgressLine.INTERVAL_MILLIS - 1);
    line.progress("list: 11 calls");
    now.addAndGet(1);
    line.progress("list: 9");
    line.note("list: done");
    assertEquals("\rlist: 10 calls\rlist: 9       \r       \rlist: done\n",
        err.toString().replace(System.lineSeparator(), "\n"));
  }
}
