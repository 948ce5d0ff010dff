/**
 * The fleet store on Redis: {@link dev.guise.redis.RedisFleetStore}, configured by {@link
 * dev.guise.redis.RedisSettings} or opened by name ({@code redis:url=...}) through {@link
 * dev.guise.redis.RedisFleetStoreProvider}.
 */
package dev.guise.redis;
