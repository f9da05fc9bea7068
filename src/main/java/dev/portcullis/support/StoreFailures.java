package dev.portcullis.support;

import java.io.IOException;
import java.util.List;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;

/**
 * The one answer to "did this fail because the store is unavailable?": the store (Redis) is down, unreachable, too
 * slow, restarting or failing over, so nothing was decided and the caller may retry; every adapter answers it 503
 * {@code temporarily_unavailable} with {@code Retry-After}. Anything else (a script error {@code ERR ...}, a bug) is
 * not: it stays a 500 with a stack trace in the log, so that it is seen and fixed rather than retried forever.
 *
 * <p>Spring translates some of Lettuce's exceptions ({@code RedisConnectionFailureException},
 * {@code QueryTimeoutException}) but wraps Redis's error replies and Lettuce's connection-state
 * {@link RedisException}s in a plain {@code RedisSystemException}, and passes an {@link IOException} ("Connection
 * reset by peer") through as it is; so the causes are read.
 */
public final class StoreFailures {

	/**
	 * Error replies that mean "not now": still loading its data after a restart, a replica (failover in progress), the
	 * cluster or a slot unavailable, a replica's master down, a script or module running too long, and out of memory
	 * ({@code maxmemory} reached with a no-eviction policy: writes refused until memory is freed, a capacity outage
	 * rather than a bug, which would otherwise log a stack trace per request).
	 */
	private static final List<String> UNAVAILABLE_REPLIES = List.of("LOADING ", "READONLY ", "CLUSTERDOWN ",
			"TRYAGAIN ", "MASTERDOWN ", "BUSY ", "OOM ");

	/** Lettuce's own messages for commands cut off by, or refused during, a lost connection. */
	private static final List<String> CONNECTION_STATES = List.of("Connection closed", "Connection disconnected",
			"Connection is closed", "Currently not connected. Commands are rejected.");

	private StoreFailures() {
	}

	/** Whether {@code failure}, or one of its causes, means the store is unavailable for now. */
	public static boolean isUnavailable(@Nullable Throwable failure) {
		// bounded: a cause chain may loop
		Throwable cause = failure;
		for (int depth = 0; cause != null && depth < 16; depth++, cause = cause.getCause()) {
			if (isUnavailableItself(cause)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * For the one log line an unavailable store gets: the innermost cause, which says what Redis or the connection
	 * answered ({@code LOADING ...}, {@code Connection reset by peer}), not the wrapper's "Redis exception".
	 */
	public static String describe(Throwable failure) {
		return NestedExceptionUtils.getMostSpecificCause(failure).toString();
	}

	private static boolean isUnavailableItself(Throwable cause) {
		if (cause instanceof RedisCommandExecutionException reply) {
			return startsWithAny(reply.getMessage(), UNAVAILABLE_REPLIES);
		}
		return cause instanceof DataAccessResourceFailureException || cause instanceof TransientDataAccessException
				|| cause instanceof RedisConnectionException || cause instanceof RedisCommandTimeoutException
				|| cause instanceof IOException
				|| (cause.getClass() == RedisException.class && startsWithAny(cause.getMessage(), CONNECTION_STATES));
	}

	private static boolean startsWithAny(@Nullable String message, List<String> prefixes) {
		return message != null && prefixes.stream().anyMatch(message::startsWith);
	}

}
