/**
 * The Redis implementations of the storage SPI, the only code that touches Redis. Key names come from
 * {@link dev.portcullis.store.redis.RedisKeys} alone; writes that must agree run as one Lua script from
 * {@code src/main/resources/redis/}, over keys that share a Redis Cluster hash tag.
 */
@NullMarked
package dev.portcullis.store.redis;

import org.jspecify.annotations.NullMarked;
