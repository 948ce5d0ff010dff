/**
 * Browser sessions over the pool: a cookie jar, redirects followed as the browser follows them, and
 * each request kind (document, script, style, image, font, fetch, XHR) sent with the profile's
 * browser's headers.
 */
module dev.guise.session {
  requires transitive dev.guise.pool;

  exports dev.guise.session;
}
