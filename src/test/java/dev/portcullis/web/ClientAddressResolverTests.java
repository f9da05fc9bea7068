package dev.portcullis.web;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.http.server.reactive.SslInfo;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The client address the guessing limits count (issue 11): the peer, or the client behind trusted proxies only.
 */
class ClientAddressResolverTests {

	private final ClientAddressResolver behindIngress = new ClientAddressResolver(List.of("10.0.0.0/8", "fd00::/8"));

	@Test
	void resolveWhenNoTrustedProxiesThenThePeerWhateverItForwards() {
		ClientAddressResolver direct = new ClientAddressResolver(List.of());

		assertThat(direct.resolve(from("203.0.113.7", "198.51.100.1"))).isEqualTo("203.0.113.7");
	}

	@Test
	void resolveWhenThePeerIsNotTrustedThenItsForwardedForIsIgnored() {
		assertThat(this.behindIngress.resolve(from("203.0.113.7", "198.51.100.1"))).isEqualTo("203.0.113.7");
	}

	@Test
	void resolveWhenBehindTrustedProxiesThenTheRightmostUntrustedAddress() {
		// the client wrote 1.1.1.1 itself; the ingress appended what it saw, then an inner proxy its own
		assertThat(this.behindIngress.resolve(from("10.0.0.2", "1.1.1.1, 198.51.100.9, 10.0.0.5")))
			.isEqualTo("198.51.100.9");
		assertThat(this.behindIngress.resolve(from("10.0.0.2", null))).isEqualTo("10.0.0.2");
	}

	@Test
	void resolveWhenAHopIsNoAddressThenStopsAtWhatTheLastTrustedProxySaw() {
		assertThat(this.behindIngress.resolve(from("10.0.0.2", "evil.example, 10.0.0.7"))).isEqualTo("10.0.0.7");
		assertThat(this.behindIngress.resolve(from("10.0.0.2", "unknown"))).isEqualTo("10.0.0.2");
	}

	@Test
	void resolveWhenIpv6ThenTheSlash64() {
		ClientAddressResolver direct = new ClientAddressResolver(List.of());

		assertThat(direct.resolve(from("2001:db8:1:2:aaaa:bbbb:cccc:dddd", null)))
			.isEqualTo(direct.resolve(from("2001:db8:1:2::1", null)))
			.isEqualTo("2001:db8:1:2:0:0:0:0/64");
		assertThat(direct.resolve(from("2001:db8:1:3::1", null))).isEqualTo("2001:db8:1:3:0:0:0:0/64");
		assertThat(this.behindIngress.resolve(from("fd00::1", "2001:db8:9:9::5"))).isEqualTo("2001:db8:9:9:0:0:0:0/64");
	}

	@Test
	void newWhenATrustedProxyIsNoAddressThenRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ClientAddressResolver(List.of("ingress.local")));
		assertThatIllegalArgumentException().isThrownBy(() -> new ClientAddressResolver(List.of("10.0.0.0/33")));
	}

	/** Issue 12: whether the page cookies are marked Secure. */
	@Test
	void arrivedOverTlsWhenDirectOrATrustedProxySaysHttpsThenYes() {
		// no Mockito: its inline mock maker cannot always attach in the suite's one shared JVM
		SslInfo tls = new SslInfo() {

			@Override
			public String getSessionId() {
				return "tls-session";
			}

			@Override
			public X509Certificate[] getPeerCertificates() {
				return null;
			}

		};
		assertThat(this.behindIngress.arrivedOverTls(MockServerHttpRequest.get("/login")
			.remoteAddress(new InetSocketAddress("203.0.113.7", 40000)).sslInfo(tls).build())).isTrue();
		assertThat(this.behindIngress.arrivedOverTls(from("10.0.0.2", null, "https"))).isTrue();
		// a proxy that appends: any https counts (a wrong yes only keeps cookies off plain HTTP)
		assertThat(this.behindIngress.arrivedOverTls(from("10.0.0.2", null, "http, https"))).isTrue();
		assertThat(this.behindIngress.arrivedOverTls(from("10.0.0.2", null, "http"))).isFalse();
		assertThat(this.behindIngress.arrivedOverTls(from("10.0.0.2", null, null))).isFalse();
		// what a client that is not a trusted proxy says is not believed
		assertThat(this.behindIngress.arrivedOverTls(from("203.0.113.7", null, "https"))).isFalse();
		assertThat(new ClientAddressResolver(List.of()).arrivedOverTls(from("10.0.0.2", null, "https"))).isFalse();
	}

	private static MockServerHttpRequest from(String peer, String forwardedFor) {
		return from(peer, forwardedFor, null);
	}

	private static MockServerHttpRequest from(String peer, String forwardedFor, String forwardedProto) {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.post("/Api/access_token")
			.remoteAddress(new InetSocketAddress(peer, 40000));
		if (forwardedFor != null) {
			request.header("X-Forwarded-For", forwardedFor);
		}
		if (forwardedProto != null) {
			request.header("X-Forwarded-Proto", forwardedProto);
		}
		return request.build();
	}

}
