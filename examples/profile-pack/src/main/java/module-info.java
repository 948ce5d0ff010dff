/**
 * A third party's profile pack: one browser profile, a profile file written by {@code guise
 * capture}, offered to every Guise application that has this jar on its module or class path.
 */
module com.example.guise.profilepack {
  requires dev.guise.fingerprint;

  provides dev.guise.fingerprint.BrowserProfileSource with
      com.example.guise.profilepack.ExamplePack;
}
