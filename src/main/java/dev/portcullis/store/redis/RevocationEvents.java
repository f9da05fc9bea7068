package dev.portcullis.store.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Listens on {@link RedisKeys#revocationsChannel()}: each announced revocation ({@code <jti> <epoch ms>}, published
 * by the revoking scripts) ends what this replica's {@link LocalRevocationView} remembers of that authorization, and
 * is timed: {@value #TIMER} = the time of receipt minus the time in the message.
 *
 * <p>Uses its own Lettuce pub/sub connection, not Spring's listener container, because the view must know exactly
 * when announcements may be missed: Lettuce reconnects and subscribes again by itself after a connection loss, and
 * only its connection callbacks tell when the connection dropped ({@link LocalRevocationView#announcementsArriving
 * false}) and when the channel is subscribed again (true). The first connection is retried with backoff, for as
 * long as the application runs; nothing blocks an event loop (the connect runs on the bounded elastic scheduler,
 * the callbacks only touch memory).
 */
public class RevocationEvents implements SmartLifecycle {

	/** The timer's name; Prometheus shows it as {@code portcullis_revocation_propagation_seconds}. */
	public static final String TIMER = "portcullis.revocation.propagation";

	/** 1 while the local view may answer (announcements arriving), else 0: every check then asks Redis. */
	public static final String VIEW_GAUGE = "portcullis.revocation.view.trusted";

	private static final Logger logger = LoggerFactory.getLogger(RevocationEvents.class);

	private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

	private final LettuceConnectionFactory connectionFactory;

	private final String channel;

	private final LocalRevocationView view;

	private final Timer timer;

	private final Clock clock;

	private volatile Runnable signingKeysChanged = () -> {
	};

	private volatile RecentClients recentClients = RecentClients.disabled();

	private volatile @Nullable Disposable connecting;

	private volatile @Nullable StatefulRedisPubSubConnection<String, String> connection;

	public RevocationEvents(LettuceConnectionFactory connectionFactory, RedisKeys keys, LocalRevocationView view,
			MeterRegistry registry, Clock clock) {
		this.connectionFactory = connectionFactory;
		this.channel = keys.revocationsChannel();
		this.view = view;
		this.clock = clock;
		this.timer = Timer.builder(TIMER)
			.description("Time from a revocation in Redis to its announcement reaching this replica")
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofSeconds(10))
			.register(registry);
		Gauge.builder(VIEW_GAUGE, view, (trusted) -> trusted.isAnnouncementsArriving() ? 1 : 0)
			.description("1 while revocation announcements arrive and revocation checks may be answered from memory")
			.register(registry);
	}

	@Override
	public void start() {
		this.connecting = Mono.fromCallable(this::subscribe)
			.subscribeOn(Schedulers.boundedElastic())
			.retryWhen(Retry.backoff(Long.MAX_VALUE, FIRST_BACKOFF)
				.maxBackoff(MAX_BACKOFF)
				.doBeforeRetry((signal) -> logger.warn("Cannot subscribe to the revocations channel {} ({}); trying again",
						this.channel, signal.failure().toString())))
			.subscribe((connection) -> this.connection = connection,
					(ex) -> logger.error("Revocations channel {} given up", this.channel, ex));
	}

	private StatefulRedisPubSubConnection<String, String> subscribe() {
		AbstractRedisClient client = this.connectionFactory.getRequiredNativeClient();
		StatefulRedisPubSubConnection<String, String> connection = (client instanceof RedisClusterClient cluster)
				? cluster.connectPubSub(StringCodec.UTF8) : ((RedisClient) client).connectPubSub(StringCodec.UTF8);
		connection.addListener(new RedisPubSubAdapter<>() {

			@Override
			public void subscribed(String channel, long count) {
				RevocationEvents.this.view.announcementsArriving(true);
				RevocationEvents.this.recentClients.announcementsArriving(true);
			}

			@Override
			public void message(String channel, String message) {
				record(message);
			}

		});
		connection.addListener(new RedisConnectionStateListener() {

			@Override
			public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
				RevocationEvents.this.view.announcementsArriving(false);
				RevocationEvents.this.recentClients.announcementsArriving(false);
				logger.warn("Revocations channel {} lost; Redis is asked on every request until it is back",
						RevocationEvents.this.channel);
			}

		});
		try {
			connection.sync().subscribe(this.channel);
		}
		catch (RuntimeException ex) {
			connection.closeAsync();
			throw ex;
		}
		return connection;
	}

	/**
	 * {@code listener} runs on each announcement of a new signing key set, on Lettuce's thread: it must not block.
	 */
	public void onSigningKeysChanged(Runnable listener) {
		this.signingKeysChanged = listener;
	}

	/**
	 * Tells {@code clients} of each announced client change, and whether announcements arrive at all; to be called
	 * before {@link #start()}.
	 */
	public void announceClientChangesTo(RecentClients clients) {
		this.recentClients = clients;
	}

	/**
	 * Records one message; one that is not {@code <jti> <epoch ms>} (from an older replica) forgets everything. A new
	 * signing key set and a changed client are announced on the same channel and go to their listeners instead.
	 */
	void record(String message) {
		if (RedisKeys.isSigningKeysChanged(message)) {
			this.signingKeysChanged.run();
			return;
		}
		if (RedisKeys.isClientChanged(message)) {
			this.recentClients.forget(RedisKeys.changedClientId(message));
			return;
		}
		int space = message.lastIndexOf(' ');
		this.view.announced((space < 0) ? message : message.substring(0, space));
		Long publishedAt = publishedAt(message);
		if (publishedAt != null) {
			this.timer.record(Math.max(0, this.clock.millis() - publishedAt), TimeUnit.MILLISECONDS);
		}
	}

	static @Nullable Long publishedAt(String message) {
		int space = message.lastIndexOf(' ');
		if (space < 0) {
			return null;
		}
		try {
			return Long.parseLong(message.substring(space + 1));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	@Override
	public void stop() {
		Disposable connecting = this.connecting;
		this.connecting = null;
		if (connecting != null) {
			connecting.dispose();
		}
		StatefulRedisPubSubConnection<String, String> connection = this.connection;
		this.connection = null;
		this.view.announcementsArriving(false);
		this.recentClients.announcementsArriving(false);
		if (connection != null) {
			connection.closeAsync();
		}
	}

	@Override
	public boolean isRunning() {
		return this.connecting != null;
	}

}
