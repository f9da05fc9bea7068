import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import dev.portcullis.support.PasswordHasher;

/**
 * The cost of one password verification as the password grant makes it: Portcullis's own
 * {@code dev.portcullis.support.PasswordHasher} writing ALGORITHM, {@code argon2id} (the default for user passwords:
 * Argon2id at Keycloak's m = 7168 KiB, t = 5, p = 1, stored as {@code {argon2}$argon2id$…}) or {@code bcrypt} (BCrypt
 * at COST over Base64(SHA-256(password)), stored as {@code {bcrypt-sha256}}), one thread, a timed loop of
 * {@code matches} against a hash of the same password after a warm-up. Needs the packaged application's classes and
 * libraries on the class path (no Maven):
 *   java -Djarmode=tools -jar target/portcullis-*.jar extract --destination X
 *   taskset -c 1 java -cp "X/lib/*:X/portcullis-*.jar" bench/HashRate.java [COST] [WARMUP_SECONDS] [SECONDS] [ALGORITHM]
 * Prints: verifications/s (wall clock), CPU microseconds per verification of the measuring thread (ThreadMXBean)
 * and of the whole process (JIT, GC included), the count, and the stored hash's scheme and parameters as read back
 * from it.
 */
public class HashRate {

	public static void main(String[] args) {
		int cost = (args.length > 0) ? Integer.parseInt(args[0]) : 10;
		double warmup = (args.length > 1) ? Double.parseDouble(args[1]) : 3;
		double seconds = (args.length > 2) ? Double.parseDouble(args[2]) : 10;
		PasswordHasher.Algorithm algorithm = PasswordHasher.Algorithm
			.valueOf(((args.length > 3) ? args[3] : "bcrypt").toUpperCase(java.util.Locale.ROOT));
		String password = "bench-user-password";
		PasswordHasher hasher = new PasswordHasher(cost, algorithm);
		String hash = hasher.hash(password);
		if (!hasher.matches(password, hash) || hasher.matches(password + "x", hash)) {
			throw new IllegalStateException("PasswordHasher does not verify its own hash: " + hash);
		}
		// "{bcrypt-sha256}$2a$10$<22 salt><31 hash>": the scheme prefix, the bcrypt version and the cost it really used;
		// "{argon2}$argon2id$v=19$m=7168,t=5,p=1$<salt>$<hash>": the variant, version and parameters
		String scheme = hash.substring(0, hash.indexOf('}') + 1);
		String[] fields = hash.substring(scheme.length()).split("\\$");
		String parameters = scheme.equals("{argon2}") ? fields[1] + " " + fields[2] + " " + fields[3]
				: "bcrypt $" + fields[1] + "$ cost " + fields[2];
		loop(hasher, password, hash, warmup);
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
		long threadCpu0 = threads.getCurrentThreadCpuTime();
		long processCpu0 = os.getProcessCpuTime();
		long t0 = System.nanoTime();
		long n = loop(hasher, password, hash, seconds);
		long elapsed = System.nanoTime() - t0;
		long threadCpu = threads.getCurrentThreadCpuTime() - threadCpu0;
		long processCpu = os.getProcessCpuTime() - processCpu0;
		System.out.printf("verifications/s %.2f cpu_us_per_verification %.1f process_cpu_us_per_verification %.1f count %d "
				+ "scheme %s %s java %s%n", n * 1e9 / elapsed, threadCpu / 1e3 / n, processCpu / 1e3 / n, n, scheme,
				parameters, System.getProperty("java.version"));
	}

	private static long loop(PasswordHasher hasher, String password, String hash, double seconds) {
		long end = System.nanoTime() + (long) (seconds * 1e9);
		long n = 0;
		while (System.nanoTime() < end) {
			if (!hasher.matches(password, hash)) {
				throw new IllegalStateException("no match");
			}
			n++;
		}
		return n;
	}

}
