/**
 * Support for Guise's own tests, used by every module in test scope (as OkHttp keeps
 * okhttp-testing-support): the reference captures of real browsers' bytes with their loader ({@link
 * dev.guise.testing.ReferenceCaptures}), hex helpers, a clock tests move by hand and loopback TLS
 * peers.
 *
 * <p>JDK only on purpose: {@code codec} sits near the bottom of the reactor and its tests use this
 * module too, so depending on any Guise module here would make a cycle.
 */
module dev.guise.testing {
  exports dev.guise.testing;
}
