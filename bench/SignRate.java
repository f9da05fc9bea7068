import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.lang.management.ManagementFactory;
import java.util.Base64;

/**
 * The raw signing rate of this JVM on one thread, RS256 (SHA256withRSA) or EdDSA (Ed25519), JCA default provider as
 * the gateway signs: a timed loop over a JWT-sized signing input, after a warm-up. Run pinned to the server CPU:
 *   taskset -c 1 java bench/SignRate.java PRIVATE_KEY.pem [WARMUP_SECONDS] [SECONDS] [RS256|EdDSA]
 * (an RSA PKCS#8 PEM for RS256, the default; an Ed25519 one, openssl genpkey -algorithm ed25519, for EdDSA). EdDSA
 * signs with Bouncy Castle, as the gateway does, when its jar is on the class path (java -cp bcprov-jdk18on.jar …),
 * else with the JDK's own Ed25519.
 * Prints: signatures/s, process CPU microseconds per signature, and the provider.
 */
public class SignRate {

	public static void main(String[] args) throws Exception {
		String pem = Files.readString(Path.of(args[0]));
		double warmup = (args.length > 1) ? Double.parseDouble(args[1]) : 5;
		double seconds = (args.length > 2) ? Double.parseDouble(args[2]) : 10;
		boolean edDsa = (args.length > 3) && args[3].equalsIgnoreCase("EdDSA");
		String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
		Provider provider = edDsa ? bouncyCastle() : null;
		KeyFactory keys = (provider != null) ? KeyFactory.getInstance("Ed25519", provider)
				: KeyFactory.getInstance(edDsa ? "Ed25519" : "RSA");
		PrivateKey key = keys.generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(body)));
		String algorithm = edDsa ? "Ed25519" : "SHA256withRSA";
		Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
		String header = b64.encodeToString(("{\"kid\":\"bench\",\"alg\":\"" + (edDsa ? "EdDSA" : "RS256") + "\"}")
			.getBytes(StandardCharsets.UTF_8));
		String payload = b64.encodeToString(("{\"sub\":\"bench\",\"aud\":\"bench\",\"scope\":\"\",\"iss\":\"http://127.0.0.1\","
				+ "\"exp\":4102444800,\"iat\":1700000000,\"jti\":\"0123456789abcdef0123456789abcdef\",\"client_id\":\"bench\"}")
			.getBytes(StandardCharsets.UTF_8));
		byte[] input = (header + "." + payload).getBytes(StandardCharsets.US_ASCII);
		loop(key, algorithm, provider, input, warmup);
		var bean = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
		long cpu0 = bean.getProcessCpuTime();
		long t0 = System.nanoTime();
		long n = loop(key, algorithm, provider, input, seconds);
		long elapsed = System.nanoTime() - t0;
		long cpu = bean.getProcessCpuTime() - cpu0;
		System.out.printf("signatures/s %.1f cpu_us_per_signature %.1f count %d java %s alg %s provider %s%n",
				n * 1e9 / elapsed, cpu / 1e3 / n, n, System.getProperty("java.version"), edDsa ? "EdDSA" : "RS256",
				(provider != null) ? provider.getName() : Signature.getInstance(algorithm).getProvider().getName());
	}

	/** Bouncy Castle's provider when its jar is on the class path, else null. */
	private static Provider bouncyCastle() throws Exception {
		try {
			return (Provider) Class.forName("org.bouncycastle.jce.provider.BouncyCastleProvider")
				.getDeclaredConstructor()
				.newInstance();
		}
		catch (ClassNotFoundException ex) {
			return null;
		}
	}

	private static long loop(PrivateKey key, String algorithm, Provider provider, byte[] input, double seconds)
			throws Exception {
		long end = System.nanoTime() + (long) (seconds * 1e9);
		long n = 0;
		int sink = 0;
		while (System.nanoTime() < end) {
			Signature signature = (provider != null) ? Signature.getInstance(algorithm, provider)
					: Signature.getInstance(algorithm);
			signature.initSign(key);
			signature.update(input);
			sink += signature.sign()[0];
			n++;
		}
		if (sink == 42) {
			System.out.print("");
		}
		return n;
	}

}
