/** A third party's Guise plugins: a retry policy and a connection validator. */
module com.example.guise.customretry {
  requires dev.guise.api;

  provides dev.guise.api.spi.RetryPolicy with
      com.example.guise.customretry.FixedDelayRetryPolicy;
  provides dev.guise.api.spi.ConnectionValidator with
      com.example.guise.customretry.HeaderPresentValidator;
}
