package dev.coffer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The --all loop: follows tokens to the end, and is bounded when a server never ends. */
class PageOptionsTest {

  @Test
  void all_followsFreshTokensToTheEmptyOne() {
    PageOptions paging = new PageOptions();
    paging.all = true;
    AtomicInteger calls = new AtomicInteger();
    List<String> pages = paging.fetch(t -> calls.incrementAndGet() < 4 ? "sealed-" + calls : "",
        next -> next);
    assertEquals(List.of("sealed-1", "sealed-2", "sealed-3", ""), pages);
  }

  @Test
  void all_stopsAfterMaxPages_whenEveryTokenIsNew() {
    PageOptions paging = new PageOptions();
    paging.all = true;
    AtomicInteger calls = new AtomicInteger();
    List<String> pages = paging.fetch(t -> "sealed-" + calls.incrementAndGet(), next -> next);
    assertEquals(PageOptions.MAX_PAGES, pages.size());
    assertEquals(PageOptions.MAX_PAGES, calls.get());
  }
}
