package dev.guise.fingerprint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Compares a ClientHello with a profile's reference hello, ignoring exactly what the browser varies
 * per connection. GREASE values compare equal to each other (their positions must match); the rules
 * per extension are in {@link #differences}.
 */
final class HelloComparison {
  /** Extensions whose content depends on the host or on resumption state, not on the browser. */
  private static final Set<Integer> CONTENT_IGNORED =
      Set.of(
          ClientHello.EXT_SERVER_NAME,
          ClientHello.EXT_PADDING,
          ClientHello.EXT_SESSION_TICKET,
          ClientHello.EXT_PRE_SHARED_KEY);

  private HelloComparison() {}

  public static List<String> differences(
      ClientHello reference, TlsRandomisation random, ClientHello candidate) {
    List<String> diffs = new ArrayList<>();
    if (reference.legacyVersion() != candidate.legacyVersion()) {
      diffs.add(
          String.format(
              "legacy_version %04x, expected %04x",
              candidate.legacyVersion(), reference.legacyVersion()));
    }
    if (!reference.compressionMethods().equals(candidate.compressionMethods())) {
      diffs.add(
          "compression methods "
              + candidate.compressionMethods()
              + ", expected "
              + reference.compressionMethods());
    }
    if (reference.sessionId().length != candidate.sessionId().length) {
      diffs.add(
          "session id of "
              + candidate.sessionId().length
              + " bytes, expected "
              + reference.sessionId().length);
    }
    compareList("cipher suites", reference.cipherSuites(), candidate.cipherSuites(), random, diffs);
    compareList(
        "supported_groups",
        reference.supportedGroups(),
        candidate.supportedGroups(),
        random,
        diffs);
    compareList(
        "signature_algorithms",
        reference.signatureAlgorithms(),
        candidate.signatureAlgorithms(),
        random,
        diffs);
    compareList(
        "supported_versions",
        reference.supportedVersions(),
        candidate.supportedVersions(),
        random,
        diffs);

    List<Integer> refTypes = normalise(reference.extensionTypes());
    List<Integer> candTypes = normalise(candidate.extensionTypes());
    if (random.permutesExtensions()) {
      if (refTypes.size() != candTypes.size()
          || !refTypes.isEmpty()
              && (!refTypes.get(0).equals(candTypes.get(0))
                  || !refTypes
                      .get(refTypes.size() - 1)
                      .equals(candTypes.get(candTypes.size() - 1)))) {
        diffs.add(
            "extensions "
                + hex(candidate.extensionTypes())
                + " do not keep the first and last extension of "
                + hex(reference.extensionTypes()));
      } else {
        List<Integer> a = new ArrayList<>(refTypes);
        List<Integer> b = new ArrayList<>(candTypes);
        a.sort(null);
        b.sort(null);
        if (!a.equals(b)) {
          diffs.add(
              "extension set "
                  + hex(candidate.extensionTypes())
                  + ", expected a permutation of "
                  + hex(reference.extensionTypes()));
        }
      }
    } else if (!refTypes.equals(candTypes)) {
      diffs.add(
          "extension order "
              + hex(candidate.extensionTypes())
              + ", expected "
              + hex(reference.extensionTypes()));
    }
    if (!diffs.isEmpty()) {
      return diffs; // extension contents are only comparable once the sets agree
    }

    List<TlsExtension> refExt = reference.extensions();
    List<TlsExtension> candExt = candidate.extensions();
    // GREASE extensions: matched by position (they keep their place at either end).
    for (int i = 0; i < candExt.size(); i++) {
      TlsExtension c = candExt.get(i);
      if (c.isGrease()) {
        TlsExtension r = refExt.get(i);
        if (!Arrays.equals(r.data(), c.data())) {
          diffs.add(String.format("GREASE extension at %d carries %s, expected %s", i, c, r));
        }
      }
    }
    List<Integer> greaseExtensionValues = new ArrayList<>();
    for (TlsExtension c : candExt) {
      if (c.isGrease()) {
        if (greaseExtensionValues.contains(c.type())) {
          diffs.add(String.format("GREASE extension value %04x used twice", c.type()));
        }
        greaseExtensionValues.add(c.type());
      }
    }
    for (TlsExtension r : refExt) {
      if (r.isGrease() || CONTENT_IGNORED.contains(r.type())) {
        continue;
      }
      TlsExtension c = candidate.extension(r.type()).orElseThrow();
      switch (r.type()) {
        case ClientHello.EXT_SUPPORTED_GROUPS,
            ClientHello.EXT_SIGNATURE_ALGORITHMS,
            ClientHello.EXT_SUPPORTED_VERSIONS -> {
          // compared above as decoded lists
        }
        case ClientHello.EXT_KEY_SHARE -> compareKeyShares(reference, candidate, random, diffs);
        case ClientHello.EXT_ENCRYPTED_CLIENT_HELLO ->
            compareEch(reference, candidate, random, diffs);
        default -> {
          if (!r.equals(c)) {
            diffs.add(String.format("extension %04x is %s, expected %s", r.type(), c, r));
          }
        }
      }
    }
    return diffs;
  }

  private static void compareKeyShares(
      ClientHello reference, ClientHello candidate, TlsRandomisation random, List<String> diffs) {
    List<KeyShare> r = reference.keyShares();
    List<KeyShare> c = candidate.keyShares();
    List<Integer> rg = new ArrayList<>();
    List<Integer> cg = new ArrayList<>();
    for (KeyShare k : r) {
      rg.add(ClientHello.isGrease(k.group()) ? -1 : k.group());
      rg.add(k.keyLength());
    }
    for (KeyShare k : c) {
      cg.add(random.grease() && ClientHello.isGrease(k.group()) ? -1 : k.group());
      cg.add(k.keyLength());
    }
    if (!rg.equals(cg)) {
      diffs.add("key shares " + c + ", expected groups and lengths of " + r);
    }
    // The browser's GREASE key share uses the GREASE value of its supported_groups.
    for (int i = 0; i < Math.min(r.size(), c.size()); i++) {
      if (ClientHello.isGrease(r.get(i).group())) {
        int refGroupsIndex = reference.supportedGroups().indexOf(r.get(i).group());
        if (refGroupsIndex >= 0
            && refGroupsIndex < candidate.supportedGroups().size()
            && candidate.supportedGroups().get(refGroupsIndex) != c.get(i).group()) {
          diffs.add(
              String.format(
                  "GREASE key share %04x differs from the GREASE group %04x",
                  c.get(i).group(), candidate.supportedGroups().get(refGroupsIndex)));
        }
      }
    }
  }

  private static void compareEch(
      ClientHello reference, ClientHello candidate, TlsRandomisation random, List<String> diffs) {
    EncryptedClientHelloInfo r = reference.ech().orElseThrow();
    EncryptedClientHelloInfo c = candidate.ech().orElseThrow();
    if (r.type() != c.type() || r.kdfId() != c.kdfId() || r.encLength() != c.encLength()) {
      diffs.add("ECH " + c + ", expected type, KDF and enc length of " + r);
    }
    if (!random.echAeadIdVaries() && r.aeadId() != c.aeadId()) {
      diffs.add("ECH AEAD id " + c.aeadId() + ", expected " + r.aeadId());
    }
    if (r.isOuter() && !random.echPayloadLengths().contains(c.payloadLength())) {
      diffs.add(
          "ECH payload length "
              + c.payloadLength()
              + " is not one of "
              + random.echPayloadLengths());
    }
  }

  private static void compareList(
      String what,
      List<Integer> ref,
      List<Integer> cand,
      TlsRandomisation random,
      List<String> diffs) {
    List<Integer> a = normalise(ref);
    List<Integer> b = random.grease() ? normalise(cand) : cand;
    if (!a.equals(b)) {
      diffs.add(what + " " + hex(cand) + ", expected " + hex(ref));
    }
  }

  private static List<Integer> normalise(List<Integer> values) {
    List<Integer> out = new ArrayList<>(values.size());
    for (int v : values) {
      out.add(ClientHello.isGrease(v) ? -1 : v);
    }
    return out;
  }

  private static String hex(List<Integer> values) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(String.format("%04x", values.get(i)));
    }
    return sb.append(']').toString();
  }
}
