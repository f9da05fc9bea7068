package dev.portcullis.migration;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

/**
 * Reads the rows the import needs from SuiteCRM's database (SuiteCRM 7.10 to 8.x keep the same tables), those
 * SuiteCRM itself still uses: {@code deleted = 0}, as {@code SugarBean::retrieve_by_string_fields} reads them. Plain
 * JDBC with the MariaDB driver, which reads MySQL too; the import runs once, on its own thread, so blocking is fine.
 *
 * @see <a href="https://github.com/salesagility/SuiteCRM/blob/master/modules/OAuth2Clients/vardefs.php">OAuth2Clients vardefs</a>
 * @see <a href="https://github.com/salesagility/SuiteCRM/blob/master/modules/Users/vardefs.php">Users vardefs</a>
 */
final class SuiteCrmTables {

	/** A row of {@code users}. */
	record SuiteCrmUser(String id, @Nullable String userName, @Nullable String userHash, @Nullable String status,
			boolean admin) {
	}

	/**
	 * A row of {@code oauth2clients}. The duration fields are not read: SuiteCRM never uses them (every token lives
	 * as its code says), so taking them over would change every imported client's token lifetime.
	 */
	record SuiteCrmClient(String id, @Nullable String name, @Nullable String secret, boolean confidential,
			@Nullable String allowedGrantType, @Nullable String redirectUrl, @Nullable String assignedUserId) {
	}

	/** Everything read, in one consistent pass. */
	record Rows(List<SuiteCrmUser> users, List<SuiteCrmClient> clients) {
	}

	private static final String USERS = "SELECT id, user_name, user_hash, status, is_admin FROM users WHERE deleted = 0 "
			+ "ORDER BY date_entered, id";

	private static final String CLIENTS = "SELECT id, name, secret, is_confidential, allowed_grant_type, redirect_url, "
			+ "assigned_user_id FROM oauth2clients WHERE deleted = 0 ORDER BY date_entered, id";

	private SuiteCrmTables() {
	}

	/**
	 * Reads both tables in one read-only transaction.
	 * @throws SQLException as the driver reports it: the command turns it into one line
	 */
	static Rows read(String jdbcUrl, @Nullable String user, @Nullable String password) throws SQLException {
		Properties credentials = new Properties();
		if (user != null) {
			credentials.setProperty("user", user);
		}
		if (password != null) {
			credentials.setProperty("password", password);
		}
		try (Connection connection = DriverManager.getConnection(jdbcUrl, credentials)) {
			connection.setReadOnly(true);
			connection.setAutoCommit(false);
			connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
			Rows rows = new Rows(users(connection), clients(connection));
			connection.commit();
			return rows;
		}
	}

	private static List<SuiteCrmUser> users(Connection connection) throws SQLException {
		List<SuiteCrmUser> users = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(USERS); ResultSet rows = statement.executeQuery()) {
			while (rows.next()) {
				users.add(new SuiteCrmUser(rows.getString("id"), rows.getString("user_name"), rows.getString("user_hash"),
						rows.getString("status"), rows.getBoolean("is_admin")));
			}
		}
		return users;
	}

	private static List<SuiteCrmClient> clients(Connection connection) throws SQLException {
		List<SuiteCrmClient> clients = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(CLIENTS);
				ResultSet rows = statement.executeQuery()) {
			while (rows.next()) {
				// is_confidential: a bool defaulting to true in the vardefs; NULL reads as false, as PHP's '' would
				clients.add(new SuiteCrmClient(rows.getString("id"), rows.getString("name"), rows.getString("secret"),
						rows.getBoolean("is_confidential"), rows.getString("allowed_grant_type"),
						rows.getString("redirect_url"), rows.getString("assigned_user_id")));
			}
		}
		return clients;
	}

}
