package dev.portcullis.web.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.portcullis.support.PageSession;
import dev.portcullis.support.RedisClusterTestSupport;
import dev.portcullis.support.RedisTestSupport;
import dev.portcullis.support.RequiresRedisCluster;
import dev.portcullis.support.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.ClusterSlotHashUtil;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Browser sessions on a 3-master Redis Cluster (issue 12). A login in a browser that already has a session gives
 * it a new id (no fixation), which Spring Session does with RENAME; the old and the new key lie in different slots,
 * so Spring Data Redis does DUMP, RESTORE with no TTL, and DEL instead. The session's own save sets the TTL again
 * right after (with what the login changed), so the renamed session keeps its namespace and its TTL.
 */
@RequiresRedisCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterBrowserSessionsTests {

	private static final String NAMESPACE = RedisTestSupport.randomNamespace();

	private ConfigurableApplicationContext gateway;

	@BeforeAll
	void start() {
		List<String> properties = new ArrayList<>(RedisClusterTestSupport.gatewayProperties());
		properties.addAll(List.of("server.port=0", "portcullis.store=redis", "portcullis.redis.namespace=" + NAMESPACE, "portcullis.secrets.bcrypt-strength=4",
				"portcullis.bootstrap.users[0].username=tess", "portcullis.bootstrap.users[0].password=tess-password",
				"portcullis.bootstrap.users[1].username=root", "portcullis.bootstrap.users[1].password=root-password",
				"portcullis.bootstrap.users[1].admin=true"));
		this.gateway = TestGateways.start(properties);
	}

	@AfterAll
	void stop() {
		if (this.gateway != null) {
			this.gateway.close();
		}
	}

	@Test
	void loginWhenTheBrowserHasASessionThenTheRenamedKeyKeepsNamespaceAndTtl(ReactiveStringRedisTemplate redis) {
		PageSession browser = PageSession.signIn(TestGateways.client(this.gateway), "tess", "tess-password");
		String before = key(browser.sessionId());
		assertThat(ttl(redis, before)).isGreaterThan(Duration.ofMinutes(29));

		String after = before;
		// a new id in another slot than the old, as nearly every random id is: the DUMP/RESTORE path
		while (after.equals(before) || ClusterSlotHashUtil.calculateSlot(after) == ClusterSlotHashUtil.calculateSlot(before)) {
			before = after;
			browser.logIn("root", "root-password");
			after = key(browser.sessionId());
		}

		assertThat(redis.hasKey(before).block(Duration.ofSeconds(5))).as("the old id's key").isFalse();
		assertThat(ttl(redis, after)).as("TTL of %s", after)
			.isGreaterThan(Duration.ofMinutes(29))
			.isLessThanOrEqualTo(Duration.ofMinutes(30));
		// the renamed session is the signed-in one: the admin pages open for it
		assertThat(browser.get("/admin").getStatus().value()).isEqualTo(200);
	}

	private static String key(String sessionId) {
		return NAMESPACE + ":sessions:" + sessionId;
	}

	private static Duration ttl(ReactiveStringRedisTemplate redis, String key) {
		return redis.getExpire(key).block(Duration.ofSeconds(5));
	}

}
