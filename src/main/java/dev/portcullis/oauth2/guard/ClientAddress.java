package dev.portcullis.oauth2.guard;

import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The address a request came from, as the web edge worked it out (the TCP peer, or the client behind a trusted
 * proxy), carried to the credential checks in the Reactor context, as Spring Security carries its security context:
 * the checks run deep inside grant handlers and authentication managers whose signatures know nothing of requests.
 */
public final class ClientAddress {

	/** The address of a check run outside a request (tests, tools): all such checks share one counter. */
	public static final String UNKNOWN = "unknown";

	private static final Class<ClientAddress> KEY = ClientAddress.class;

	private ClientAddress() {
	}

	/** The context with the address of the request it serves. */
	public static Context put(Context context, String address) {
		return context.put(KEY, address);
	}

	public static String from(ContextView context) {
		return context.getOrDefault(KEY, UNKNOWN);
	}

}
