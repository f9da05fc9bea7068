package dev.portcullis.store.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.ReactiveSubscription.Message;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

/**
 * Listens on {@link RedisKeys#revocationsChannel()} and times how long each revocation took to be announced here:
 * {@value #TIMER} = the time of receipt minus the time in the message ({@code <jti> <epoch ms>}, published by the
 * revoking scripts). Runs on its own Redis connection without blocking, and subscribes again, with backoff, after
 * the connection fails (e.g. Redis restarts), for as long as the application runs.
 */
public class RevocationEvents implements SmartLifecycle {

	/** The timer's name; Prometheus shows it as {@code portcullis_revocation_propagation_seconds}. */
	public static final String TIMER = "portcullis.revocation.propagation";

	private static final Logger logger = LoggerFactory.getLogger(RevocationEvents.class);

	private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

	private final ReactiveRedisConnectionFactory connectionFactory;

	private final String channel;

	private final Timer timer;

	private final Clock clock;

	private volatile @Nullable Disposable subscription;

	public RevocationEvents(ReactiveRedisConnectionFactory connectionFactory, RedisKeys keys, MeterRegistry registry,
			Clock clock) {
		this.connectionFactory = connectionFactory;
		this.channel = keys.revocationsChannel();
		this.clock = clock;
		this.timer = Timer.builder(TIMER)
			.description("Time from a revocation in Redis to its announcement reaching this replica")
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofSeconds(10))
			.register(registry);
	}

	@Override
	public void start() {
		this.subscription = Flux
			.usingWhen(Mono.fromCallable(
					() -> new ReactiveRedisMessageListenerContainer(this.connectionFactory)),
					(container) -> container.receive(ChannelTopic.of(this.channel)),
					ReactiveRedisMessageListenerContainer::destroyLater)
			.doOnNext(this::record)
			.retryWhen(Retry.backoff(Long.MAX_VALUE, FIRST_BACKOFF)
				.maxBackoff(MAX_BACKOFF)
				.transientErrors(true)
				.doBeforeRetry((signal) -> logger.warn("Revocations channel {} lost ({}); subscribing again",
						this.channel, signal.failure().toString())))
			.subscribeOn(Schedulers.boundedElastic())
			.subscribe(null, (ex) -> logger.error("Revocations channel {} given up", this.channel, ex));
	}

	/** Records one message; one that is not {@code <jti> <epoch ms>} (from an older replica) is ignored. */
	void record(Message<String, String> message) {
		Long publishedAt = publishedAt(message.getMessage());
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
		Disposable subscription = this.subscription;
		this.subscription = null;
		if (subscription != null) {
			subscription.dispose();
		}
	}

	@Override
	public boolean isRunning() {
		return this.subscription != null;
	}

}
