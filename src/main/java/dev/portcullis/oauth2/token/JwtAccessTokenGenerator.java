package dev.portcullis.oauth2.token;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.text.ParseException;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONStringUtils;
import dev.portcullis.support.SecureIds;

/**
 * Signs access tokens as league/oauth2-server 8 does for SuiteCRM: an RS256 JWT whose claims are, in this order,
 * {@code aud} (the client id, as a string), {@code jti} (80 lower-case hex), {@code iat}, {@code nbf}, {@code exp},
 * {@code sub} and {@code scopes} (an array); then the additions no SuiteCRM client minds: {@code iss},
 * {@code client_id}, and {@code kid} in the header so that keys can rotate. Times are whole seconds.
 *
 * <p>Signing is plain CPU work of about a millisecond and runs where it is called: {@code TokenIssuer} calls it on
 * its signing scheduler, not on the thread that delivered the store's answer (with Redis, the one I/O thread of the
 * shared connection).
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc9068">RFC 9068</a>
 */
public final class JwtAccessTokenGenerator {

	private final JWSHeader header;

	private final JWSSigner signer;

	private final String issuerJson;

	public JwtAccessTokenGenerator(SigningKeys keys, String issuer) {
		this.header = header(keys.active().getKeyID());
		try {
			this.signer = new RSASSASigner(keys.active());
		}
		catch (JOSEException ex) {
			throw new IllegalArgumentException("The signing key is not a usable RSA private key", ex);
		}
		this.issuerJson = JSONStringUtils.toJSONString(issuer);
		// the JDK draws a key's RSA blinding values from the platform's SecureRandom, a file read, at the key's first
		// signature and derives them from the last ones afterwards: that first signature happens here, at start
		sign(new JWSObject(this.header, new Payload("{}")));
	}

	/** league's header, {@code {"typ":"JWT","alg":"RS256"}}, in its order, with the {@code kid} after. */
	private static JWSHeader header(String keyId) {
		String json = "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":" + JSONStringUtils.toJSONString(keyId) + "}";
		try {
			// a parsed header keeps its original encoding, so the order above is what is signed and sent
			return JWSHeader.parse(Base64URL.encode(json));
		}
		catch (ParseException ex) {
			throw new IllegalArgumentException("Invalid key id for a JWS header: " + keyId, ex);
		}
	}

	public AccessToken generate(TokenContext context) {
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
		JWSObject jwt = new JWSObject(this.header, new Payload(claims.toString()));
		sign(jwt);
		return new AccessToken(jwt.serialize(), jti, issuedAt, expiresAt);
	}

	private void sign(JWSObject jwt) {
		try {
			jwt.sign(this.signer);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Could not sign the access token", ex);
		}
	}

}
