package dev.coffer.server.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The binding language: exact values, and globs whose '*' never crosses ':' or '/'. */
class ClaimMatchTest {

  @Test
  void exactMatchesOnlyTheSameValue() {
    ClaimMatch m = ClaimMatch.exactly("sub", "repo:acme/app:ref:refs/heads/main");
    assertTrue(m.matches("repo:acme/app:ref:refs/heads/main"));
    assertFalse(m.matches("repo:acme/app:ref:refs/heads/main2"));
    assertFalse(m.matches(null));
    assertFalse(m.matches(""));
  }

  @Test
  void aStarMatchesOneOrMoreCharactersWithinOneSegment() {
    ClaimMatch m = ClaimMatch.glob("sub", "system:serviceaccount:batch:*");
    assertTrue(m.matches("system:serviceaccount:batch:nightly"));
    assertFalse(m.matches("system:serviceaccount:batch:"), "one or more");
    assertFalse(m.matches("system:serviceaccount:batch:a:b"), "never crosses ':'");
    ClaimMatch repo = ClaimMatch.glob("sub", "repo:acme/*:ref:refs/heads/main");
    assertTrue(repo.matches("repo:acme/api:ref:refs/heads/main"));
    assertFalse(repo.matches("repo:acme/evil/x:ref:refs/heads/main"), "never crosses '/'");
    assertFalse(repo.matches("repo:acmecorp/api:ref:refs/heads/main"));
  }

  @Test
  void everythingButTheStarIsLiteral() {
    ClaimMatch m = ClaimMatch.glob("project_path", "grp.+(x)/*");
    assertTrue(m.matches("grp.+(x)/api"));
    assertFalse(m.matches("grppp(x)/api"), "'.' and '+' are not regex operators");
  }

  @Test
  void aBindingNeedsEveryConditionAndNeverMatchesWithoutOne() {
    ClaimBinding b = new ClaimBinding(List.of(ClaimMatch.exactly("repository", "acme/api"),
        ClaimMatch.exactly("ref", "refs/heads/main")), "svc-api");
    assertTrue(b.matches(Map.of("repository", "acme/api", "ref", "refs/heads/main")));
    assertFalse(b.matches(Map.of("repository", "acme/api", "ref", "refs/heads/dev")));
    assertFalse(b.matches(Map.of("repository", "acme/api")));
    assertFalse(new ClaimBinding(List.of(), "svc-api").matches(Map.of("sub", "x")));
  }
}
