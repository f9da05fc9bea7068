package dev.portcullis.web.admin;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.portcullis.oauth2.GrantType;
import dev.portcullis.oauth2.client.RegisteredClient;
import org.jspecify.annotations.Nullable;

/**
 * A client as the admin API answers it and the pages show it; {@code secret} only when it was just set;
 * {@code backendCredential} {@code null} for the route's default.
 */
public record ClientView(String id, String name, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String secret,
		boolean confidential, List<String> grantTypes, @Nullable String associatedUser, List<String> redirectUris,
		List<String> scopes, @Nullable String accessTokenTtl, @Nullable String refreshTokenTtl, boolean refreshTokens,
		boolean introspection, @Nullable String backendCredential, String signingAlgorithm) {

	public static ClientView of(RegisteredClient client, @Nullable String secret) {
		return new ClientView(client.id(), client.name(), secret, client.confidential(),
				client.grantTypes().stream().map(GrantType::value).sorted().toList(), client.associatedUserId(),
				client.redirectUris(), client.scopes().stream().sorted().toList(),
				text(client.tokenSettings().accessTokenTtl()), text(client.tokenSettings().refreshTokenTtl()),
				client.tokenSettings().refreshTokens(), client.tokenSettings().introspection(),
				client.tokenSettings().backendCredential(), client.tokenSettings().signingAlgorithm().name());
	}

	private static @Nullable String text(@Nullable Duration ttl) {
		return (ttl != null) ? ttl.toString() : null;
	}

}
