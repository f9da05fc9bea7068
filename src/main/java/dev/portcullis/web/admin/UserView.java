package dev.portcullis.web.admin;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.portcullis.oauth2.user.User;
import org.jspecify.annotations.Nullable;

/**
 * A user as the admin API answers it and the pages show it: {@code password} only when it was just generated,
 * {@code clientsNowFailing} only when the change stops clients that act as the user.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserView(String id, String username, @Nullable String password, boolean active, boolean admin,
		@Nullable List<String> clientsNowFailing) {

	public static UserView of(User user) {
		return of(user, null, List.of());
	}

	public static UserView of(User user, @Nullable String generatedPassword, List<String> clientsNowFailing) {
		return new UserView(user.id(), user.username(), generatedPassword, user.active(), user.admin(),
				clientsNowFailing.isEmpty() ? null : clientsNowFailing);
	}

}
