package dev.portcullis.web;

import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.nimbusds.jose.JWSObject;
import dev.portcullis.admin.SigningKeyAdministration;
import dev.portcullis.oauth2.AuditEvent;
import dev.portcullis.oauth2.store.AuditLog;
import dev.portcullis.support.Replicas;
import dev.portcullis.support.RequiresRedis;
import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static dev.portcullis.support.Replicas.accounts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code portcullis.signing.rotation.interval} on two replicas checking every 200 ms: the key rotates by itself (a
 * next key published first, then promoted), the RSA and the Ed25519 key alike, one replica acts each time, and both
 * sign with the new key; a token of the old key keeps working at both.
 */
@RequiresRedis
class SigningKeyScheduleIntegrationTests {

	@Test
	void scheduleWhenTheActiveKeyIsDueThenOneReplicaRotatesAndBothSignWithTheNewKey() throws Exception {
		List<String> properties = List.of("portcullis.signing.jwks-max-age=1s",
				"portcullis.signing.rotation.client-cache-time=1s", "portcullis.signing.rotation.interval=PT6S",
				"portcullis.signing.rotation.check-interval=200ms", "portcullis.signing.refresh-interval=1s",
				"portcullis.bootstrap.clients[0].id=schedule-client", "portcullis.bootstrap.clients[0].name=Schedule",
				"portcullis.bootstrap.clients[0].secret=schedule-client-secret",
				"portcullis.bootstrap.clients[0].grant-types=client_credentials");
		try (Replicas replicas = new Replicas()) {
			ConfigurableApplicationContext gatewayA = replicas.start(properties);
			ConfigurableApplicationContext gatewayB = replicas.start(properties);
			WebTestClient a = TestGateways.client(gatewayA);
			WebTestClient b = TestGateways.client(gatewayB);
			String before = token(gatewayA);
			String first = kid(before);

			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (kid(token(gatewayA)).equals(first) || kid(token(gatewayB)).equals(first)) {
				assertThat(System.nanoTime()).as("rotated by the schedule").isLessThan(deadline);
				Thread.sleep(200);
			}

			accounts(a, before).expectStatus().isOk();
			accounts(b, before).expectStatus().isOk();
			// the RS256 and the Ed25519 key (issue 16) each rotate on the schedule, their changes told apart by the
			// detail; the Ed25519 key's promotion may come a check or two after the RS256 key's, which the loop above
			// waited for
			for (String algorithm : List.of(" RS256 ", " EdDSA ")) {
				List<String> oldestFirst = scheduledOldestFirst(gatewayA, algorithm);
				while (!oldestFirst.contains("signing-key.promote") && System.nanoTime() < deadline) {
					Thread.sleep(200);
					oldestFirst = scheduledOldestFirst(gatewayA, algorithm);
				}
				// each rotation is one creation then one promotion, whichever replica made them; two replicas acting on
				// the same due would have made two of a kind in a row
				assertThat(oldestFirst).as(algorithm).isNotEmpty().startsWith("signing-key.create-next")
					.contains("signing-key.promote");
				for (int i = 1; i < oldestFirst.size(); i++) {
					assertThat(oldestFirst.get(i)).as("scheduled changes " + oldestFirst)
						.isNotEqualTo(oldestFirst.get(i - 1));
				}
			}
		}
	}

	/** The schedule's changes to the keys of {@code algorithm}, oldest first. */
	private static List<String> scheduledOldestFirst(ConfigurableApplicationContext gateway, String algorithm) {
		List<AuditEvent> events = gateway.getBean(AuditLog.class).recent(0, 100).collectList().block(Duration.ofSeconds(5));
		List<String> oldestFirst = new ArrayList<>(events.stream()
			.filter((event) -> event.actor().equals(SigningKeyAdministration.SCHEDULE))
			.filter((event) -> event.detail().contains(algorithm))
			.map(AuditEvent::action)
			.toList());
		Collections.reverse(oldestFirst);
		return oldestFirst;
	}

	private static String token(ConfigurableApplicationContext gateway) {
		return TestGateways.clientCredentialsToken(gateway, "schedule-client", "schedule-client-secret");
	}

	private static String kid(String token) {
		try {
			return JWSObject.parse(token).getHeader().getKeyID();
		}
		catch (ParseException ex) {
			throw new AssertionError(ex);
		}
	}

}
