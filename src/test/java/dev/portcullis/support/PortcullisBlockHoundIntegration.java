package dev.portcullis.support;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * What BlockHound lets block on the threads meant not to block, for the whole test suite (registered in
 * {@code META-INF/services}; blockhound-junit-platform installs BlockHound before the first test). Which threads
 * those are is BlockHound's own and its libraries' integrations: Reactor's marks the {@code parallel} and
 * {@code single} schedulers' threads (never {@code boundedElastic}), Netty's every event-loop thread of Reactor Netty
 * (server and gateway client) and of Lettuce ({@code lettuce-nioEventLoop}, {@code lettuce-epollEventLoop}).
 *
 * <p>Only library internals that block once, at their first use, belong here, each with why; Portcullis's own
 * blocking is fixed where it happens, never listed here.
 */
public class PortcullisBlockHoundIntegration implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		// JDK security provider init: every DRBG (SecureIds) is seeded from one internal DRBG, which reads the
		// system's entropy source (and hashes some system state) once per JVM, at the first DRBG's first use
		builder.allowBlockingCallsInside("sun.security.provider.SeedGenerator", "generateSeed");
		builder.allowBlockingCallsInside("sun.security.provider.SeedGenerator", "getSystemEntropy");
		// the JDK's RSA signature takes a lock around its per-key cache of blinding values, in memory; two tokens
		// signed at once on the signing scheduler make one wait (the first signature's random draw is made at start,
		// JwtAccessTokenGenerator)
		builder.allowBlockingCallsInside("sun.security.rsa.RSACore", "getBlindingRandomPair");
		// Spring Data Redis takes a lock on every getReactiveConnection() around creating (once) the wrapper of the
		// one shared connection, no I/O inside; two threads asking at once make one wait for that field access
		builder.allowBlockingCallsInside("org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory",
				"getOrCreateSharedReactiveConnection");
		// ... and the shared connection's own monitor, taken by every getConnection(): the connection in it is made at
		// start (bootstrap reads the store on the main thread before the server starts) and kept, since Lettuce
		// reconnects it in place, so later callers only wait for the monitor, never for a connect
		builder.allowBlockingCallsInside(
				"org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory$SharedConnection",
				"getConnection");
		// a Redis script's SHA-1 is computed once, under a lock, in memory; replicas starting at once in one JVM (the
		// cluster store tests) make one wait for another's first script
		builder.allowBlockingCallsInside("org.springframework.data.redis.core.script.DefaultRedisScript", "getSha1");
		// Lettuce's lock between writers and a connection's state change (reconnect, activation): a command waits
		// only while that change, in memory, holds it, and the change only for the writes in flight
		builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters");
		builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "lockWritersExclusive");
		// Lettuce's cluster client takes its state lock while it configures a node connection that has just connected
		// (flush mode, read-only), in memory; two node connections completing at once on one event loop make one wait
		// (its lambda's name, as the JDK compiles Lettuce 6's PooledClusterConnectionProvider)
		builder.allowBlockingCallsInside(
				"io.lettuce.core.cluster.PooledClusterConnectionProvider$NodeConnectionPostProcessor", "lambda$apply$4");
		// Netty's buffer allocator growing its pools under a lock over in-memory state (Netty's own integration lists
		// the allocator's other such methods, not this one)
		builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines");
		// Jackson builds a type's deserializer once, under a lock, in memory; two threads reading the first value of
		// a type at once (a cluster's node connections) make one wait
		builder.allowBlockingCallsInside("tools.jackson.databind.deser.DeserializerCache",
				"_createAndCacheValueDeserializer");
		// the tests' own HTTP client sending multipart: Spring draws the boundary from a NativePRNG (the gateway
		// itself never writes multipart)
		builder.allowBlockingCallsInside("org.springframework.util.MimeTypeUtils", "generateMultipartBoundary");
	}

}
