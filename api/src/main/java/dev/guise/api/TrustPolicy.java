package dev.guise.api;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which server certificates an engine accepts.
 *
 * <p>The default, {@link #systemDefaults()}, verifies the chain against the JDK's trust store and
 * the name against the requested host (RFC 6125: subject alternative names only; a wildcard only as
 * the whole left-most label; IP SANs for IP literals). {@link #withExtraAnchors(List)} adds trust
 * anchors to that store; it never turns checking off.
 *
 * <p>{@link #dangerouslyTrustAnyCertificate()} turns verification off entirely. It exists for
 * debugging against hosts one controls; it is never a default, and Guise's own tests never use it.
 *
 * @param extraAnchors certificates trusted in addition to the JDK's trust store
 * @param useSystemTrustStore whether the JDK's default trust store is consulted
 * @param verificationDisabled true only for {@link #dangerouslyTrustAnyCertificate()}
 */
public record TrustPolicy(
    List<X509Certificate> extraAnchors, boolean useSystemTrustStore, boolean verificationDisabled) {

  private static final TrustPolicy SYSTEM = new TrustPolicy(List.of(), true, false);

  public TrustPolicy {
    extraAnchors = List.copyOf(Objects.requireNonNull(extraAnchors, "extraAnchors"));
    if (verificationDisabled && (!extraAnchors.isEmpty() || useSystemTrustStore)) {
      throw new IllegalArgumentException("a policy that disables verification has no anchors");
    }
  }

  /** The JDK's trust store and RFC 6125 host name checks. */
  public static TrustPolicy systemDefaults() {
    return SYSTEM;
  }

  /** Only the given anchors are trusted (the JDK's trust store is not consulted). */
  public static TrustPolicy onlyAnchors(List<X509Certificate> anchors) {
    if (anchors.isEmpty()) {
      throw new IllegalArgumentException("at least one trust anchor is required");
    }
    return new TrustPolicy(anchors, false, false);
  }

  /** This policy, also trusting {@code anchors}. */
  public TrustPolicy withExtraAnchors(List<X509Certificate> anchors) {
    if (verificationDisabled) {
      throw new IllegalStateException("verification is disabled; anchors would be ignored");
    }
    var all = new ArrayList<>(extraAnchors);
    all.addAll(anchors);
    return new TrustPolicy(all, useSystemTrustStore, false);
  }

  /**
   * Accepts any certificate for any host. Anyone on the path can then read and change the traffic.
   * Never use it against hosts you do not control.
   */
  public static TrustPolicy dangerouslyTrustAnyCertificate() {
    return new TrustPolicy(List.of(), false, true);
  }
}
