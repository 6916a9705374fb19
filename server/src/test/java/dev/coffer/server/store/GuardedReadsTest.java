package dev.coffer.server.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which reads guard which writes, and how a commit's outcome changes that. */
class GuardedReadsTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static Changes.Expectation only(Changes changes) {
    assertEquals(1, changes.expectations().size(), "expectations");
    return changes.expectations().get(0);
  }

  @Test
  void outsideWork_nothingIsRecordedOrGuarded() {
    GuardedReads.got(Table.SECRETS, b("k"), Optional.of(b("v1")));
    Changes changes = new Changes().put(Table.SECRETS, b("k"), b("v2"));
    GuardedReads.guard(changes);
    assertFalse(changes.hasExpectations());
    assertFalse(GuardedReads.active());
  }

  @Test
  void aKeyReadThenWritten_expectsTheFirstBytesRead_andOnlyOnce() {
    GuardedReads.run(() -> {
      assertTrue(GuardedReads.active());
      GuardedReads.got(Table.SECRETS, b("k"), Optional.of(b("v1")));
      GuardedReads.got(Table.SECRETS, b("k"), Optional.of(b("v1-later")));
      Changes changes = new Changes().put(Table.SECRETS, b("k"), b("v2"))
          .delete(Table.SECRETS, b("k"));
      GuardedReads.guard(changes);
      Changes.Expectation e = only(changes);
      assertEquals(Table.SECRETS, e.table());
      assertArrayEquals(b("k"), e.key());
      assertArrayEquals(b("v1"), e.value());
    });
    assertFalse(GuardedReads.active());
  }

  @Test
  void aKeyReadAbsent_expectsItAbsent_andTheSameKeyInAnotherTableIsAnotherKey() {
    GuardedReads.run(() -> {
      GuardedReads.got(Table.PRINCIPALS, b("k"), Optional.empty());
      Changes changes = new Changes().put(Table.PRINCIPALS, b("k"), b("v"))
          .put(Table.TOKENS, b("k"), b("v"));
      GuardedReads.guard(changes);
      Changes.Expectation e = only(changes);
      assertEquals(Table.PRINCIPALS, e.table());
      assertNull(e.value());
    });
  }

  @Test
  void keysOnlyReadOrOnlyWritten_areNotGuarded() {
    GuardedReads.run(() -> {
      GuardedReads.got(Table.SECRETS, b("read-only"), Optional.of(b("v")));
      Changes changes = new Changes().put(Table.SECRETS, b("written-only"), b("v"));
      GuardedReads.guard(changes);
      assertFalse(changes.hasExpectations());
    });
  }

  @Test
  void aKeyTheChangeAlreadyGuards_isNotGuardedTwice() {
    GuardedReads.run(() -> {
      GuardedReads.got(Table.TENANTS, b("t"), Optional.of(b("read")));
      Changes changes = new Changes().expect(Table.TENANTS, b("t"), b("decided-on"))
          .put(Table.TENANTS, b("t"), b("new"));
      GuardedReads.guard(changes);
      assertArrayEquals(b("decided-on"), only(changes).value());
    });
  }

  @Test
  void aScanGuardsWhatItReturned_andAnExistenceCheckAtItsPrefix_guardsThePrefixAbsent() {
    GuardedReads.run(() -> {
      GuardedReads.scanned(Table.INDEX, b("name/orders"), null, 1, List.of());
      GuardedReads.scanned(Table.INDEX, b("list/"), null, 10,
          List.of(new KeyValue(b("list/a"), b("va"))));
      Changes changes = new Changes().put(Table.INDEX, b("name/orders"), new byte[0]);
      GuardedReads.guard(changes);
      assertNull(only(changes).value());
      Changes other = new Changes().delete(Table.INDEX, b("list/a"))
          .put(Table.INDEX, b("list/b"), b("vb"));
      GuardedReads.guard(other);
      Changes.Expectation e = only(other);
      assertArrayEquals(b("list/a"), e.key());
      assertArrayEquals(b("va"), e.value());
    });
  }

  @Test
  void aScanThatFoundItsPrefixOrStartedPastIt_doesNotGuardThePrefixAbsent() {
    GuardedReads.run(() -> {
      GuardedReads.scanned(Table.INDEX, b("p"), null, 5, List.of(new KeyValue(b("p"), b("v"))));
      GuardedReads.scanned(Table.INDEX, b("q"), b("q/1"), 5, List.of());
      GuardedReads.scanned(Table.INDEX, b("r"), null, 0, List.of());
      Changes changes = new Changes().put(Table.INDEX, b("p"), b("w"))
          .put(Table.INDEX, b("q"), b("w")).put(Table.INDEX, b("r"), b("w"));
      GuardedReads.guard(changes);
      Changes.Expectation e = only(changes);
      assertArrayEquals(b("p"), e.key());
      assertArrayEquals(b("v"), e.value());
    });
  }

  @Test
  void afterACommit_theWrittenKeysHoldWhatItWrote() {
    GuardedReads.run(() -> {
      GuardedReads.got(Table.SECRETS, b("k"), Optional.of(b("v1")));
      GuardedReads.got(Table.SECRETS, b("gone"), Optional.of(b("v1")));
      Changes first = new Changes().put(Table.SECRETS, b("k"), b("v2"))
          .delete(Table.SECRETS, b("gone"));
      GuardedReads.guard(first);
      GuardedReads.tracking(first, () -> { });
      Changes second = new Changes().put(Table.SECRETS, b("k"), b("v3"))
          .put(Table.SECRETS, b("gone"), b("again"));
      GuardedReads.guard(second);
      assertEquals(2, second.expectations().size());
      assertArrayEquals(b("v2"), second.expectations().get(0).value());
      assertNull(second.expectations().get(1).value());
    });
  }

  @Test
  void afterAFailedCommit_whatWasReadOfItsKeysIsForgotten_soARetryIsGuardedByItsOwnRead() {
    GuardedReads.run(() -> {
      GuardedReads.got(Table.SECRETS, b("k"), Optional.of(b("v1")));
      Changes first = new Changes().put(Table.SECRETS, b("k"), b("v2"));
      GuardedReads.guard(first);
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> GuardedReads.tracking(first, () -> {
            throw new IllegalStateException("refused");
          }));
      assertEquals("refused", e.getMessage());
      GuardedReads.got(Table.SECRETS, b("k"), Optional.of(b("v1b")));
      Changes retry = new Changes().put(Table.SECRETS, b("k"), b("v2"));
      GuardedReads.guard(retry);
      assertArrayEquals(b("v1b"), only(retry).value());
    });
  }

  @Test
  void nestedWorkSharesTheOuterRecord_andTheRecordEndsWithTheOuterWork() {
    GuardedReads.run(() -> {
      GuardedReads.run(() -> GuardedReads.got(Table.SECRETS, b("k"), Optional.of(b("v"))));
      Changes changes = new Changes().put(Table.SECRETS, b("k"), b("w"));
      GuardedReads.guard(changes);
      assertArrayEquals(b("v"), only(changes).value());
    });
    GuardedReads.run(() -> {
      Changes changes = new Changes().put(Table.SECRETS, b("k"), b("w"));
      GuardedReads.guard(changes);
      assertFalse(changes.hasExpectations(), "a new piece of work starts with nothing read");
    });
  }

  @Test
  void atMostMaxKeysAreRecorded_andAScanThatWouldPassThemIsNotRecordedAtAll() {
    GuardedReads.run(() -> {
      GuardedReads.got(Table.SECRETS, b("first"), Optional.of(b("v")));
      List<KeyValue> page = new ArrayList<>();
      for (int i = 0; i < GuardedReads.MAX_KEYS; i++) {
        page.add(new KeyValue(b("row/" + i), b("v")));
      }
      GuardedReads.scanned(Table.SECRETS, b("row/"), null, page.size() + 1, page);
      for (int i = 0; i < GuardedReads.MAX_KEYS; i++) {
        GuardedReads.got(Table.SECRETS, b("k/" + i), Optional.of(b("v")));
      }
      GuardedReads.got(Table.SECRETS, b("late"), Optional.of(b("v")));
      Changes changes = new Changes().put(Table.SECRETS, b("first"), b("w"))
          .put(Table.SECRETS, b("row/0"), b("w"))
          .put(Table.SECRETS, b("k/" + (GuardedReads.MAX_KEYS - 2)), b("w"))
          .put(Table.SECRETS, b("late"), b("w"));
      GuardedReads.guard(changes);
      assertEquals(2, changes.expectations().size());
      assertArrayEquals(b("first"), changes.expectations().get(0).key());
      assertArrayEquals(b("k/" + (GuardedReads.MAX_KEYS - 2)),
          changes.expectations().get(1).key());
    });
  }
}
