package dev.portcullis.web;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

import dev.portcullis.oauth2.guard.ClientAddress;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Works out the address a request came from, for the guessing limits: the TCP peer, unless the peer is one of
 * {@code portcullis.trusted-proxies}; then the rightmost address in {@code X-Forwarded-For} that is not a trusted
 * proxy (each proxy appends the address it saw, so what is left of the last untrusted one is what the client wrote
 * and could be anything). Never a DNS lookup: only literal addresses are read. An IPv6 address counts as its /64,
 * the block one subscriber usually holds whole: per address, a guesser with a /64 would otherwise have 2^64.
 */
public final class ClientAddressResolver {

	private final List<Range> trustedProxies;

	/**
	 * @param trustedProxies IP addresses or CIDR ranges ({@code 10.0.0.0/8}, {@code fd00::/8})
	 * @throws IllegalArgumentException for an entry that is neither
	 */
	public ClientAddressResolver(List<String> trustedProxies) {
		this.trustedProxies = trustedProxies.stream().map(Range::parse).toList();
	}

	public String resolve(ServerHttpRequest request) {
		InetSocketAddress remote = request.getRemoteAddress();
		if (remote == null || remote.getAddress() == null) {
			return ClientAddress.UNKNOWN;
		}
		InetAddress peer = remote.getAddress();
		if (this.trustedProxies.isEmpty() || !isTrusted(peer)) {
			return key(peer);
		}
		List<String> forwardedFor = request.getHeaders().get("X-Forwarded-For");
		if (forwardedFor == null) {
			return key(peer);
		}
		InetAddress client = peer;
		for (int i = forwardedFor.size() - 1; i >= 0; i--) {
			String[] hops = forwardedFor.get(i).split(",");
			for (int j = hops.length - 1; j >= 0; j--) {
				InetAddress hop = literal(hops[j].trim());
				if (hop == null) {
					// not an address a proxy would write: stop at what the last trusted proxy saw
					return key(client);
				}
				client = hop;
				if (!isTrusted(hop)) {
					return key(client);
				}
			}
		}
		return key(client);
	}

	/**
	 * Whether the request came over TLS: to the gateway itself, or to a trusted proxy that says so in
	 * {@code X-Forwarded-Proto}. Any {@code https} in that header counts: a proxy that appends rather than replaces
	 * may leave what a client wrote before it, and a wrong "yes" only keeps that client's cookies off plain HTTP,
	 * whereas a wrong "no" would send a session cookie where anyone on the path can read it.
	 */
	public boolean arrivedOverTls(ServerHttpRequest request) {
		if (request.getSslInfo() != null) {
			return true;
		}
		InetSocketAddress remote = request.getRemoteAddress();
		if (remote == null || remote.getAddress() == null || !isTrusted(remote.getAddress())) {
			return false;
		}
		for (String value : request.getHeaders().getValuesAsList("X-Forwarded-Proto")) {
			if ("https".equalsIgnoreCase(value.trim())) {
				return true;
			}
		}
		return false;
	}

	/** The address as the limits count it: an IPv4 address whole, an IPv6 address by its /64. */
	static String key(InetAddress address) {
		if (!(address instanceof Inet6Address)) {
			return address.getHostAddress();
		}
		byte[] network = Arrays.copyOf(address.getAddress(), 16);
		Arrays.fill(network, 8, 16, (byte) 0);
		try {
			return InetAddress.getByAddress(network).getHostAddress() + "/64";
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private boolean isTrusted(InetAddress address) {
		for (Range range : this.trustedProxies) {
			if (range.contains(address)) {
				return true;
			}
		}
		return false;
	}

	/** The address written as {@code text}, or null when it is not a literal IPv4 or IPv6 address. */
	static @Nullable InetAddress literal(String text) {
		if (text.isEmpty() || text.length() > 45) {
			return null;
		}
		boolean colon = false;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
			colon |= (c == ':');
			if (!hex && c != '.' && c != ':') {
				return null;
			}
		}
		if (!colon && !text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
			return null;
		}
		try {
			// a literal: getByName parses it and never asks DNS
			return InetAddress.getByName(text);
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	/** An address and the number of its leading bits that must match. */
	private record Range(byte[] address, int prefix) {

		static Range parse(String text) {
			String trimmed = text.trim();
			int slash = trimmed.indexOf('/');
			InetAddress address = literal((slash < 0) ? trimmed : trimmed.substring(0, slash));
			if (address == null) {
				throw new IllegalArgumentException("Not an IP address or CIDR range: " + text);
			}
			int bits = address.getAddress().length * 8;
			int prefix = (slash < 0) ? bits : Integer.parseInt(trimmed.substring(slash + 1));
			if (prefix < 0 || prefix > bits) {
				throw new IllegalArgumentException("Not a valid prefix length: " + text);
			}
			return new Range(address.getAddress(), prefix);
		}

		boolean contains(InetAddress candidate) {
			byte[] bytes = candidate.getAddress();
			if (bytes.length != this.address.length) {
				return false;
			}
			int full = this.prefix / 8;
			for (int i = 0; i < full; i++) {
				if (bytes[i] != this.address[i]) {
					return false;
				}
			}
			int rest = this.prefix % 8;
			if (rest == 0) {
				return true;
			}
			int mask = (0xFF << (8 - rest)) & 0xFF;
			return (bytes[full] & mask) == (this.address[full] & mask);
		}

	}

}
