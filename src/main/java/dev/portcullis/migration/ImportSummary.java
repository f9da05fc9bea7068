package dev.portcullis.migration;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What an import did, or would do on a dry run: counts per kind, each skipped row with why, notes an administrator
 * should act on, and how many of SuiteCRM's hashes Portcullis still holds.
 */
final class ImportSummary {

	/** How the rows of one kind (users, clients) went. */
	static final class Counts {

		int imported;

		int updated;

		int unchanged;

		int skipped;

		@Override
		public String toString() {
			return this.imported + " imported, " + this.updated + " updated, " + this.unchanged + " unchanged, "
					+ this.skipped + " skipped";
		}

	}

	final Counts users = new Counts();

	final Counts clients = new Counts();

	final List<String> skipped = new ArrayList<>();

	final List<String> notes = new ArrayList<>();

	long legacyClientSecrets;

	long legacyUserPasswords;

	private final boolean dryRun;

	ImportSummary(boolean dryRun) {
		this.dryRun = dryRun;
	}

	void skip(Counts counts, String row, String why) {
		counts.skipped++;
		this.skipped.add(row + ": " + why);
	}

	void print(PrintStream out) {
		out.println("SuiteCRM import" + (this.dryRun ? " (dry run: nothing was written)" : ""));
		out.println("  users:   " + this.users);
		out.println("  clients: " + this.clients);
		if (!this.skipped.isEmpty()) {
			out.println("Skipped:");
			this.skipped.forEach((line) -> out.println("  " + line));
		}
		if (!this.notes.isEmpty()) {
			out.println("Notes:");
			this.notes.forEach((line) -> out.println("  " + line));
		}
		out.println(legacyHashes());
	}

	String legacyHashes() {
		return "SuiteCRM hashes left in Portcullis: " + this.legacyClientSecrets + " client secrets, "
				+ this.legacyUserPasswords + " user passwords (each becomes Portcullis's own hash at its next "
				+ "successful sign-in)";
	}

}
