/**
 * The Conscrypt TLS engine. Its only public type is {@link
 * dev.guise.tls.conscrypt.ConscryptEngine}; pick it with {@code Providers.tlsEngine("conscrypt")}.
 */
package dev.guise.tls.conscrypt;
