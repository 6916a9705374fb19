package dev.coffer.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * Paging options of the list commands (a picocli mixin) and the loop that follows {@code
 * next_page_token} when {@code --all} is given. Security: sees only metadata.
 */
public final class PageOptions {

  /** Most pages {@code --all} fetches; the last page's token then says where to resume. */
  static final int MAX_PAGES = 10_000;

  @Option(names = "--page-size", paramLabel = "N", description = "Items per page (server default 50).")
  int pageSize;

  @Option(names = "--page-token", paramLabel = "TOKEN", description = "Start at this page.")
  String pageToken = "";

  @Option(names = "--all", description = "Follow next_page_token to the last page.")
  boolean all;

  public int pageSize() {
    return pageSize;
  }

  /**
   * Calls {@code fetch} with the first page token, then, with {@code --all}, with each next token
   * until it is empty. Stops (rather than loops) if the server repeats a token, and after
   * {@link #MAX_PAGES} pages: tokens are sealed afresh on every call, so a repeat cannot be
   * relied on to end a server that never stops.
   */
  public <R> List<R> fetch(Function<String, R> fetch, Function<R, String> nextToken) {
    List<R> pages = new ArrayList<>();
    String token = pageToken;
    while (true) {
      R page = fetch.apply(token);
      pages.add(page);
      String next = nextToken.apply(page);
      if (!all || next.isEmpty() || next.equals(token) || pages.size() >= MAX_PAGES) {
        return pages;
      }
      token = next;
    }
  }
}
