package dev.coffer.server.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of --issuer-fetch-hosts: exact hosts, *.suffix wildcards, none, any (--dev). */
class IssuerFetchHostsTest {

  @Test
  void aWildcardMatchesOneLabelOrMoreBelowItsSuffix_neverTheSuffixItselfNorALookAlike() {
    IssuerFetchHosts hosts = IssuerFetchHosts.parse("*.example.com");
    assertTrue(hosts.allows("a.example.com"));
    assertTrue(hosts.allows("b.a.example.com"), "more than one label");
    assertTrue(hosts.allows("A.Example.COM"), "host names compare case-insensitively");
    assertFalse(hosts.allows("example.com"), "the suffix itself is not below it");
    assertFalse(hosts.allows("a.example.com.evil"));
    assertFalse(hosts.allows("aexample.com"), "a label boundary, not a string suffix");
    assertFalse(hosts.allows("evil-example.com"));
    assertFalse(hosts.allows(""));
    assertFalse(hosts.allows(null));
  }

  @Test
  void exactHostsAndIpLiteralsMatchThemselvesOnly() {
    IssuerFetchHosts hosts = IssuerFetchHosts.parse(" login.example.com ,127.0.0.1,[::1]");
    assertTrue(hosts.allows("login.example.com"));
    assertTrue(hosts.allows("LOGIN.example.com"));
    assertFalse(hosts.allows("a.login.example.com"), "an exact host allows no sub-domain");
    assertFalse(hosts.allows("example.com"));
    assertTrue(hosts.allows("127.0.0.1"));
    assertFalse(hosts.allows("localhost"), "loopback by another name is another host");
    assertTrue(hosts.allows("[::1]"), "as URI.getHost gives it");
    assertTrue(hosts.allows("::1"));
    assertFalse(hosts.isNone());
    assertFalse(hosts.allows("idp.example.org"), "a list is not any host");
  }

  @Test
  void none_allowsNothing_any_allowsEveryHost() {
    assertTrue(IssuerFetchHosts.none().isNone());
    assertFalse(IssuerFetchHosts.none().allows("127.0.0.1"));
    assertFalse(IssuerFetchHosts.none().allows("login.example.com"));
    assertTrue(IssuerFetchHosts.anyHost().allows("login.example.com"));
    assertTrue(IssuerFetchHosts.anyHost().allows("127.0.0.1"));
    assertFalse(IssuerFetchHosts.anyHost().allows(""), "still no URL without a host");
  }

  @ParameterizedTest
  @ValueSource(strings = {"*", "*.", "", " ", "a.example.com,", ",a.example.com",
      "a*.example.com", "*.*.example.com", "a.*.example.com", "example.*",
      "https://a.example.com", "a.example.com:443", "a.example.com/", "a_b.example.com",
      "a.example.com.", "-a.example.com", "user@a.example.com", "*example.com"})
  void aBadEntryRefusesTheFlag_namingIt(String value) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> IssuerFetchHosts.parse(value));
    assertTrue(e.getMessage().contains("--issuer-fetch-hosts"), e.getMessage());
  }

  @Test
  void describeNamesTheListForTheStartUpLine() {
    String list = IssuerFetchHosts.parse("login.example.com,*.corp.example").describe();
    assertTrue(list.contains("login.example.com") && list.contains("*.corp.example"), list);
    assertTrue(IssuerFetchHosts.none().describe().contains("--issuer-fetch-hosts"));
    assertTrue(IssuerFetchHosts.anyHost().describe().contains("--dev"));
  }
}
