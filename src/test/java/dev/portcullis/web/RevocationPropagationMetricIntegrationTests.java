package dev.portcullis.web;

import java.time.Duration;
import java.util.Map;

import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.user.User;
import dev.portcullis.store.redis.RevocationEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every revocation announced on the Redis revocations channel is timed by {@link RevocationEvents} as
 * {@value RevocationEvents#TIMER}, for /actuator/prometheus.
 */
class RevocationPropagationMetricIntegrationTests extends PortcullisIntegrationTests {

	private static final Duration DEADLINE = Duration.ofSeconds(5);

	@Autowired
	private MeterRegistry registry;

	@Test
	void logoutWhenTokenRevokedThenPropagationTimerCountsIt() throws InterruptedException {
		String clientId = uniqueId("pw");
		registerClient(clientId, GrantType.PASSWORD);
		User user = registerUser(uniqueId("user"), true);
		Map<String, Object> tokens = parse(postForm(form("grant_type", "password", "client_id", clientId,
				"client_secret", secretOf(clientId), "username", user.username(), "password",
				user.username() + "-password"))
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
		long before = count();

		this.http.post()
			.uri("/Api/V8/logout")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.get("access_token"))
			.exchange()
			.expectStatus()
			.isOk();

		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (count() <= before && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(count()).as("revocations timed after a logout").isGreaterThan(before);
		Timer timer = this.registry.get(RevocationEvents.TIMER).timer();
		assertThat(timer.max(java.util.concurrent.TimeUnit.MILLISECONDS)).as("lag (ms) on one local Redis")
			.isBetween(0.0, 5000.0);
	}

	private long count() {
		Timer timer = this.registry.find(RevocationEvents.TIMER).timer();
		return (timer != null) ? timer.count() : 0;
	}

}
