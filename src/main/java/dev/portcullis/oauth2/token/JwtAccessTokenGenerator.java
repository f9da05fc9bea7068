package dev.portcullis.oauth2.token;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.util.JSONStringUtils;

/**
 * Signs access tokens as league/oauth2-server 8 does for SuiteCRM: an RS256 JWT (or EdDSA, for a client set to it)
 * whose claims are, in this order,
 * {@code aud} (the client id, as a string), {@code jti} (80 lower-case hex), {@code iat}, {@code nbf}, {@code exp},
 * {@code sub} and {@code scopes} (an array); then the additions no SuiteCRM client minds: {@code iss},
 * {@code client_id}, and {@code kid} in the header so that keys can rotate (the key is the one
 * {@link CurrentSigningKeys} holds at the moment of signing). Times are whole seconds.
 *
 * <p>Signing is plain CPU work of about a millisecond and runs where it is called: {@code TokenIssuer} calls it on
 * its signing scheduler, not on the thread that delivered the store's answer (with Redis, the one I/O thread of the
 * shared connection).
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc9068">RFC 9068</a>
 */
public final class JwtAccessTokenGenerator {

	private final CurrentSigningKeys keys;

	private final String issuerJson;

	public JwtAccessTokenGenerator(CurrentSigningKeys keys, String issuer) {
		this.keys = keys;
		this.issuerJson = JSONStringUtils.toJSONString(issuer);
	}

	/**
	 * @param algorithm the client's signing algorithm
	 */
	public AccessToken generate(TokenContext context, SigningAlgorithm algorithm) {
		Instant issuedAt = context.issuedAt().truncatedTo(ChronoUnit.SECONDS);
		Instant expiresAt = issuedAt.plus(context.lifetime());
		String jti = TokenIds.newJti(context.authorizationId());
		// written by hand: Nimbus's claim maps do not keep league's order, which some clients' fixtures compare
		StringBuilder claims = new StringBuilder(512);
		claims.append("{\"aud\":").append(JSONStringUtils.toJSONString(context.clientId()));
		claims.append(",\"jti\":\"").append(jti).append('"');
		claims.append(",\"iat\":").append(issuedAt.getEpochSecond());
		claims.append(",\"nbf\":").append(issuedAt.getEpochSecond());
		claims.append(",\"exp\":").append(expiresAt.getEpochSecond());
		claims.append(",\"sub\":").append(JSONStringUtils.toJSONString(context.subject()));
		claims.append(",\"scopes\":[");
		String separator = "";
		for (String scope : context.scopes()) {
			claims.append(separator).append(JSONStringUtils.toJSONString(scope));
			separator = ",";
		}
		claims.append("],\"iss\":").append(this.issuerJson);
		claims.append(",\"client_id\":").append(JSONStringUtils.toJSONString(context.clientId())).append('}');
		// the key in use now: a rotation changes it between two tokens, never within one
		CurrentSigningKeys.ActiveSigner signer = this.keys.current().signer(algorithm);
		JWSObject jwt = new JWSObject(signer.header(), new Payload(claims.toString()));
		signer.sign(jwt);
		return new AccessToken(jwt.serialize(), jti, issuedAt, expiresAt);
	}

}
