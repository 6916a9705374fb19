package dev.coffer.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coffer.server.config.ServerConfig.IdentityMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The server configuration's defaults and rules, without a command line. */
class ServerConfigTest {

  private static final Path DATA = Path.of("/srv/coffer");

  private static ServerConfigBuilder production() {
    return ServerConfig.builder(DATA).rootKeyUri("file:///etc/coffer/root-key.json");
  }

  @Test
  void developmentDefaults() {
    ServerConfig c = ServerConfig.builder(DATA).dev(true).build();
    assertTrue(c.dev());
    assertEquals(new ServerConfig.Listen("127.0.0.1", 7443, 256 * 1024, Duration.ofSeconds(10)),
        c.listen());
    assertEquals(Optional.empty(), c.tls());
    assertEquals(Optional.empty(), c.rootKey().uri());
    assertEquals(DATA.resolve("dev-root-key.json"), c.rootKey().devKeyFile());
    assertEquals(Optional.of(new ServerConfig.Metrics("127.0.0.1", 9464, true)), c.metrics());
    assertEquals(DATA.resolve("db"), c.storage().dbDir());
    assertEquals(64L << 20, c.storage().readCacheBytes());
    assertEquals(new ServerConfig.Assertions(List.of(), Duration.ofSeconds(300),
        Duration.ofSeconds(60)), c.assertions());
    assertEquals(Optional.of(DATA.resolve("backups")), c.backupDir());
    assertEquals(Optional.empty(), c.bootstrapTokenFile(), "stdout in development mode");
    assertEquals(10, c.verifyFailuresPerMinute());
    assertEquals(new ServerConfig.Periods(Duration.ofSeconds(60), Duration.ofSeconds(30)),
        c.periods());
  }

  @Test
  void productionDefaults_tokenToAFile_noBackups_metricsAddressNeverSwapped() {
    ServerConfig c = production().build();
    assertFalse(c.dev());
    assertEquals(Optional.of("file:///etc/coffer/root-key.json"), c.rootKey().uri());
    assertEquals(Optional.empty(), c.rootKey().kmsCredentials());
    assertEquals(Optional.of(DATA.resolve("bootstrap-token")), c.bootstrapTokenFile());
    assertEquals(Optional.empty(), c.backupDir());
    assertFalse(c.metrics().orElseThrow().orFreePort());
  }

  @Test
  void givenValues_areKept_andPathsMadeAbsolute() {
    ServerConfig c = production().listen("[::1]:0").bootstrapTokenStdout(true)
        .backupDir(Path.of("/var/backups/coffer")).readCacheMb(0).verifyFailuresPerMinute(3)
        .metricsListen("off").kmsCredentials(Path.of(" ")).metricsStatisticsSeconds(5)
        .assertionAudiences(List.of(" https://idp.example/token ", "b"))
        .assertionMaxLifetimeSeconds(1).assertionClockSkewSeconds(0).build();
    assertEquals("[::1]", c.listen().host());
    assertEquals(0, c.listen().port());
    assertEquals(Optional.empty(), c.bootstrapTokenFile());
    assertEquals(Optional.of(Path.of("/var/backups/coffer")), c.backupDir());
    assertEquals(0, c.storage().readCacheBytes());
    assertEquals(3, c.verifyFailuresPerMinute());
    assertEquals(Optional.empty(), c.metrics(), "off");
    assertEquals(Optional.empty(), c.rootKey().kmsCredentials(), "blank is not given");
    assertEquals(Duration.ofSeconds(5), c.periods().statistics());
    assertEquals(List.of("https://idp.example/token", "b"), c.assertions().audiences());
    assertEquals(Duration.ofSeconds(1), c.assertions().maxLifetime());
    assertEquals(Duration.ZERO, c.assertions().clockSkew());
  }

  @Test
  void devMode_withAGivenMetricsAddress_neverSwapsIt() {
    ServerConfig c = ServerConfig.builder(DATA).dev(true)
        .metricsListen(ServerConfig.DEFAULT_METRICS_LISTEN).build();
    assertFalse(c.metrics().orElseThrow().orFreePort());
  }

  @Test
  void tlsWithClientCertificates_mapsEachIdentityMode() {
    Path cert = Path.of("/tls/s.crt");
    Path key = Path.of("/tls/s.key");
    Path ca = Path.of("/tls/ca.pem");
    ServerConfig spiffe = production().listen("0.0.0.0:7443").tls(cert, key).tlsClientCa(ca)
        .mtlsTrustDomain(" example.org ").tlsReloadSeconds(5).build();
    ServerConfig.Tls tls = spiffe.tls().orElseThrow();
    assertEquals(cert, tls.certFile());
    assertEquals(Duration.ofSeconds(5), spiffe.periods().tlsReload());
    assertEquals(new ServerConfig.ClientCertificates(ca, IdentityMode.SPIFFE,
        Optional.of("example.org"), Optional.empty()), tls.clientCertificates().orElseThrow());
    ServerConfig dns = production().tls(cert, key).tlsClientCa(ca).mtlsIdentity(" DNS ")
        .mtlsDnsSuffix("svc.example").build();
    assertEquals(IdentityMode.DNS,
        dns.tls().orElseThrow().clientCertificates().orElseThrow().mode());
    ServerConfig cn = production().tls(cert, key).tlsClientCa(ca).mtlsIdentity("cn").build();
    assertEquals(IdentityMode.CN, cn.tls().orElseThrow().clientCertificates().orElseThrow()
        .mode());
    assertEquals(Optional.empty(), production().tls(cert, key).build().tls().orElseThrow()
        .clientCertificates());
  }

  static Stream<Arguments> refusals() {
    Path f = Path.of("/x");
    return Stream.of(
        refusal("--listen must be HOST:PORT", b -> b.listen("localhost")),
        refusal("--listen must be HOST:PORT", b -> b.listen("127.0.0.1:65536")),
        refusal("--tls-cert and --tls-key go together", b -> b.tls(f, null)),
        refusal("--tls-cert and --tls-key go together", b -> b.tls(null, f)),
        refusal("--listen 0.0.0.0 is not a loopback address", b -> b.listen("0.0.0.0:1")),
        refusal("--tls-reload-seconds must be at least 1", b -> b.tlsReloadSeconds(0)),
        refusal("--verify-failures-per-minute must be at least 1",
            b -> b.verifyFailuresPerMinute(0)),
        refusal("--bootstrap-token-file and --bootstrap-token-stdout exclude each other",
            b -> b.bootstrapTokenFile(f).bootstrapTokenStdout(true)),
        refusal("--read-cache-mb must be from 0 to 65536", b -> b.readCacheMb(-1)),
        refusal("--read-cache-mb must be from 0 to 65536", b -> b.readCacheMb(65_537)),
        refusal("--metrics-statistics-seconds must be at least 1",
            b -> b.metricsStatisticsSeconds(0)),
        refusal("--metrics-listen must be HOST:PORT", b -> b.metricsListen("9464")),
        refusal("--metrics-listen 0.0.0.0 is not a loopback address",
            b -> b.metricsListen("0.0.0.0:9464")),
        refusal("--assertion-max-lifetime-seconds must be from 1 to 86400",
            b -> b.assertionMaxLifetimeSeconds(0)),
        refusal("--assertion-max-lifetime-seconds must be from 1 to 86400",
            b -> b.assertionMaxLifetimeSeconds(86_401)),
        refusal("--assertion-clock-skew-seconds must be from 0 to 600",
            b -> b.assertionClockSkewSeconds(601)),
        refusal("--assertion-audience values must be 1 to 512 characters",
            b -> b.assertionAudiences(List.of(" "))),
        refusal("--assertion-audience values must be 1 to 512 characters",
            b -> b.assertionAudiences(List.of("a".repeat(513)))),
        refusal("no root key configured", b -> b.rootKeyUri(" ")),
        refusal("--mtls-trust-domain and --mtls-dns-suffix need --tls-client-ca",
            b -> b.mtlsTrustDomain("example.org")),
        refusal("--tls-client-ca needs TLS", b -> b.tlsClientCa(f)),
        refusal("--mtls-identity spiffe needs --mtls-trust-domain",
            b -> b.tls(f, f).tlsClientCa(f)),
        refusal("--mtls-identity dns needs --mtls-dns-suffix",
            b -> b.tls(f, f).tlsClientCa(f).mtlsIdentity("dns")),
        refusal("--mtls-identity must be spiffe, dns or cn",
            b -> b.tls(f, f).tlsClientCa(f).mtlsIdentity("email")));
  }

  private static Arguments refusal(String message, UnaryOperator<ServerConfigBuilder> change) {
    return Arguments.of(message, change);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void eachRefusal_namesItsFlag(String message, UnaryOperator<ServerConfigBuilder> change) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> change.apply(production()).build());
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }

  @Test
  void metricsOnAnotherHost_withTheExplicitFlag_isAccepted() {
    ServerConfig c = production().metricsListen("0.0.0.0:9464").metricsListenPublic(true)
        .build();
    assertEquals("0.0.0.0", c.metrics().orElseThrow().host());
  }

  @Test
  void issuerFetchHosts_noneInProduction_anyWithDev_theFlagWinsOverBoth() {
    assertTrue(production().build().issuerFetchHosts().isNone(), "closed by default");
    assertTrue(ServerConfig.builder(DATA).dev(true).build().issuerFetchHosts()
        .allows("idp.anywhere.example"), "any host with --dev");
    IssuerFetchHosts given = production().issuerFetchHosts("*.idp.example,127.0.0.1").build()
        .issuerFetchHosts();
    assertTrue(given.allows("a.idp.example") && given.allows("127.0.0.1"));
    assertFalse(given.allows("idp.example") || given.allows("other.example"));
    IssuerFetchHosts devGiven = ServerConfig.builder(DATA).dev(true)
        .issuerFetchHosts("login.example.com").build().issuerFetchHosts();
    assertFalse(devGiven.allows("idp.anywhere.example"),
        "an operator's list restricts a dev server too");
    assertFalse(devGiven.allows("127.0.0.1"));
  }

  @Test
  void aBadIssuerFetchHost_refusesTheConfiguration_namingTheFlag() {
    for (String bad : new String[] {"*", "", "a.example.com,,b.example.com", "*.*.x.example"}) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> production().issuerFetchHosts(bad).build());
      assertTrue(e.getMessage().startsWith("--issuer-fetch-hosts"), e.getMessage());
    }
  }
}
