package dev.guise.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
import dev.guise.api.ResponseInfo;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.spi.FailureClassifier.ResponseVerdict;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.pool.config.HealthChecks;
import dev.guise.pool.config.IpRotation;
import dev.guise.pool.config.Limits;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.config.RetryBudget;
import dev.guise.pool.config.Timeouts;
import dev.guise.pool.stats.PoolEventListener;
import dev.guise.testing.ReferenceCaptures;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PoolConfigTest {
  private static final TlsEndpoint EP =
      new TlsEndpoint("example.test", InetAddress.getLoopbackAddress(), 443);

  @Test
  void theDefaultsAreTheDocumentedOnes() {
    PoolConfig c = PoolConfig.builder().build();
    assertEquals(Duration.ofSeconds(30), c.timeouts().connect());
    assertEquals(Duration.ofSeconds(10), c.timeouts().validation());
    assertEquals(Duration.ofSeconds(60), c.timeouts().idle());
    assertEquals(Duration.ofSeconds(30), c.healthChecks().interval());
    assertEquals(Duration.ofSeconds(300), c.timeouts().maxLifetime());
    assertEquals(10, c.healthChecks().errorThreshold());
    assertEquals(Set.of(403), c.healthChecks().banStatuses());
    assertEquals(Set.of(429), c.healthChecks().rateLimitStatuses());
    assertEquals("exponential", c.retryPolicy().name());
    assertTrue(c.retryPolicy().toString().contains("maxRetries=3"), c.retryPolicy().toString());
    assertEquals("default", c.classifier().name(), "Guise's classifier is the chain's last member");
    assertEquals(Map.of("jdk-default", 1), c.profiles());
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        invalid("timeouts.connect", b -> b.timeouts(t -> t.withConnect(Duration.ZERO))),
        invalid(
            "timeouts.validation", b -> b.timeouts(t -> t.withValidation(Duration.ofSeconds(-1)))),
        invalid("timeouts.idle", b -> b.timeouts(t -> t.withIdle(null))),
        invalid("healthChecks.interval", b -> b.healthChecks(h -> h.withInterval(Duration.ZERO))),
        invalid(
            "timeouts.maxLifetime",
            b -> b.timeouts(t -> t.withMaxLifetime(Duration.ofSeconds(10)))),
        invalid("healthChecks.errorThreshold", b -> b.healthChecks(h -> h.withErrorThreshold(0))),
        invalid("limits.maxConnectionsPerIp", b -> b.limits(l -> l.withMaxConnectionsPerIp(0))),
        invalid("healthChecks.strikesToBan", b -> b.healthChecks(h -> h.withStrikesToBan(0))),
        invalid(
            "healthChecks.banStatuses", b -> b.healthChecks(h -> h.withBanStatuses(Set.of(99)))),
        invalid(
            "healthChecks.rateLimitStatuses",
            b -> b.healthChecks(h -> h.withRateLimitStatuses(Set.of(600)))),
        invalid("profile weight", b -> b.profile("chrome", 0)),
        invalid("retryBudget", b -> b.retryBudget(RetryBudget.of(-1, 10))));
  }

  private static Arguments invalid(String setting, UnaryOperator<PoolConfig.Builder> change) {
    return Arguments.of(setting, change);
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void invalidValuesAreRejectedNamingTheSetting(
      String setting, UnaryOperator<PoolConfig.Builder> change) {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> change.apply(PoolConfig.builder()).build());
    assertTrue(e.getMessage().contains(setting), e.getMessage());
  }

  @Test
  void buildingLeavesTheBuilderAsItWasAndLaterChangesDoNotReachBuiltConfigs() {
    PoolConfig.Builder builder =
        PoolConfig.builder()
            .engine("jdk")
            .seed(7)
            .timeouts(t -> t.withConnect(Duration.ofSeconds(5)));
    PoolConfig first = builder.build();
    PoolConfig second = builder.build();
    assertEquals(Map.of("jdk-default", 1), first.profiles());
    assertEquals(first.profiles(), second.profiles());
    assertEquals(first.timeouts(), second.timeouts());

    // The default profile was chosen by build(), not stored in the builder: another engine on the
    // same builder gets its own default.
    PoolConfig other = builder.engine("bouncycastle").build();
    assertEquals(Map.of("chrome", 1), other.profiles());

    builder
        .engine("conscrypt")
        .profile("firefox")
        .seed(8)
        .timeouts(t -> t.withConnect(Duration.ofSeconds(9)))
        .limits(l -> l.withMaxConnectionsPerIp(1))
        .healthChecks(h -> h.withBanStatuses(Set.of(451)))
        .retryBudget(RetryBudget.of(1, 1));
    for (PoolConfig built : List.of(first, second)) {
      assertEquals("jdk", built.engine());
      assertEquals(Map.of("jdk-default", 1), built.profiles());
      assertEquals(7, built.seed());
      assertEquals(Duration.ofSeconds(5), built.timeouts().connect());
      assertEquals(Limits.defaults(), built.limits());
      assertEquals(HealthChecks.defaults(), built.healthChecks());
      assertEquals(RetryBudget.defaults(), built.retryBudget());
      assertEquals(
          ResponseVerdict.accept(),
          built.classifier().classify(response(451)),
          "a status added to the builder later does not reach a built classifier");
    }
    assertEquals(Map.of("chrome", 1), other.profiles());
  }

  @Test
  void toBuilderGivesAnEqualConfigurationThatCanBeChangedAlone() {
    PoolEventListener listener = new PoolEventListener() {};
    PoolConfig original =
        PoolConfig.builder()
            .engine("bouncycastle")
            .profile("chrome", 3)
            .profile("firefox", 1)
            .seed(42)
            .alpn(List.of("h2"))
            .timeouts(t -> t.withRequest(Duration.ofSeconds(7)))
            .limits(l -> l.withMaxConnectionsPerHost(50))
            .healthChecks(h -> h.withStrikesToBan(2).withRateLimitStatuses(Set.of(420, 429)))
            .retryBudget(RetryBudget.of(0.5, 3))
            .eventListener(listener)
            .ipRotation(IpRotation.LEAST_LOADED)
            .build();
    PoolConfig copy = original.toBuilder().build();
    assertEquals(IpRotation.LEAST_LOADED, copy.ipRotation());
    assertEquals(original.engine(), copy.engine());
    assertEquals(original.profiles(), copy.profiles());
    assertEquals(original.seed(), copy.seed());
    assertEquals(original.alpn(), copy.alpn());
    assertEquals(original.timeouts(), copy.timeouts());
    assertEquals(original.limits(), copy.limits());
    assertEquals(original.healthChecks(), copy.healthChecks());
    assertEquals(original.retryBudget(), copy.retryBudget());
    assertSame(original.retryPolicy(), copy.retryPolicy());
    assertSame(original.trust(), copy.trust());
    assertSame(listener, copy.eventListenerFactory().create());
    assertEquals(FailureKind.RATE_LIMITED, failed(copy, 420).kind());

    PoolConfig changed = original.toBuilder().timeouts(Timeouts.defaults()).build();
    assertEquals(Timeouts.defaults(), changed.timeouts());
    assertEquals(Duration.ofSeconds(7), original.timeouts().request());
    assertNotSame(original, changed);
  }

  @Test
  void toBuilderKeepsAnUnsetProfileUnsetSoANewEngineGetsItsOwnDefault() {
    PoolConfig jdk = PoolConfig.builder().engine("jdk").build();
    assertEquals(Map.of("jdk-default", 1), jdk.profiles());
    assertEquals(Map.of("chrome", 1), jdk.toBuilder().engine("bouncycastle").build().profiles());
  }

  @Test
  void theStatusesThatBanAndRateLimitAreConfiguration() {
    PoolConfig defaults = PoolConfig.builder().build();
    assertEquals(PoolAction.BAN_IP, failed(defaults, 403).action());
    assertEquals(ResponseVerdict.accept(), defaults.classifier().classify(response(451)));

    PoolConfig custom =
        PoolConfig.builder()
            .healthChecks(
                h -> h.withBanStatuses(Set.of(451, 403)).withRateLimitStatuses(Set.of(420)))
            .build();
    var blocked = failed(custom, 451);
    assertEquals(FailureKind.IP_BLOCKED, blocked.kind());
    assertEquals(PoolAction.BAN_IP, blocked.action());
    assertEquals(FailureKind.IP_BLOCKED, failed(custom, 403).kind());
    var limited = failed(custom, 420);
    assertEquals(FailureKind.RATE_LIMITED, limited.kind());
    assertEquals(PoolAction.PENALISE_IP, limited.action());
    assertEquals(
        ResponseVerdict.accept(),
        custom.classifier().classify(response(429)),
        "429 is no longer a rate limit once the configuration names others");

    PoolConfig none = PoolConfig.builder().healthChecks(h -> h.withBanStatuses(Set.of())).build();
    assertEquals(
        ResponseVerdict.accept(),
        none.classifier().classify(response(403)),
        "with no ban statuses, no status bans an IP");
  }

  @Test
  void anEngineWithoutTheProfileIsAClearErrorNamingTheEnginesThatHaveIt() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                HotConnectionPool.create(
                    PoolConfig.builder().engine("jdk").profile("firefox-153").build()));
    assertTrue(
        e.getMessage().contains("'jdk' does not offer profile 'firefox-153'"), e.getMessage());
    assertTrue(e.getMessage().contains("bouncycastle (exact)"), e.getMessage());
    var unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> HotConnectionPool.create(PoolConfig.builder().engine("openssl").build()));
    assertTrue(
        unknown.getMessage().contains("available:") && unknown.getMessage().contains("jdk"),
        unknown.getMessage());
  }

  private static ClassifiedFailure failed(PoolConfig config, int status) {
    return assertInstanceOf(
            ResponseVerdict.Fail.class, config.classifier().classify(response(status)))
        .failure();
  }

  private static ResponseInfo response(int status) {
    return new ResponseInfo(status, List.of(), EP);
  }

  @Test
  void aProfileFileIsLoadedByPath(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("firefox-captured.json");
    Files.writeString(file, ReferenceCaptures.text("guise-capture/firefox-153-captured.json"));
    PoolConfig config = PoolConfig.builder().engine("bouncycastle").profile(file).build();
    assertEquals(Map.of("firefox-153-captured", 1), config.profiles());
    assertEquals(
        "file " + file.toAbsolutePath().normalize(),
        BrowserProfiles.sourceOf(BrowserProfiles.get("firefox-153-captured")));
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"format\": \"guise-profile\", \"version\": 2}");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PoolConfig.builder().profile(broken));
    assertTrue(e.getMessage().contains("version"), e.getMessage());
  }
}
