package dev.portcullis.support;

import java.util.regex.Pattern;

/**
 * Whether a URL's host names the machine itself, for the places that allow plain http there only (RFC 8252 §7.3):
 * {@code localhost}, a literal IPv4 address in {@code 127.0.0.0/8} or {@code [::1]}. Nothing is resolved, so a name
 * such as {@code 127.attacker.example} is no loopback host.
 */
public final class LoopbackHosts {

	private static final Pattern IPV4_LOOPBACK = Pattern
		.compile("127\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){2}");

	private LoopbackHosts() {
	}

	/** @param host a URI's host, IPv6 literals with or without their brackets */
	public static boolean isLoopback(String host) {
		String bare = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
		return bare.equalsIgnoreCase("localhost") || IPV4_LOOPBACK.matcher(bare).matches() || bare.equals("::1")
				|| bare.equals("0:0:0:0:0:0:0:1");
	}

}
