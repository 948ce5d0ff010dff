/**
 * Browser sessions over the pool: a cookie jar, redirects followed as the browser follows them, and
 * each request kind (document, script, style, image, font, fetch, XHR) sent with the profile's
 * browser's headers.
 */
module dev.guise.session {
  requires transitive dev.guise.pool;
  // The cookie jar: the public suffix list and the JSON jar file.
  requires com.google.common;
  requires com.fasterxml.jackson.jr.ob;

  exports dev.guise.session;
}
