/**
 * The plugin interface for profile packs: {@link dev.guise.fingerprint.spi.BrowserProfileSource}.
 */
package dev.guise.fingerprint.spi;
