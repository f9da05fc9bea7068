package dev.portcullis.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import dev.portcullis.fixtures.SuiteCrmDatabase;
import dev.portcullis.support.MariaDbTestSupport.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The tests' MariaDB: a real server, a database and account per test, SuiteCRM's tables in it.
 */
@RequiresMariaDb
class MariaDbTestSupportTests {

	@Test
	void newDatabaseWhenConnectedWithItsAccountThenSuiteCrmTablesCanBeCreatedAndRead(TestDatabase database)
			throws SQLException {
		new SuiteCrmDatabase(database).createTables().user("u-1", "alice", "password-1");

		try (Connection connection = database.connect(); Statement statement = connection.createStatement();
				ResultSet users = statement.executeQuery("SELECT user_name, user_hash, deleted FROM users")) {
			assertThat(connection.getMetaData().getDatabaseProductVersion()).contains("MariaDB");
			assertThat(users.next()).isTrue();
			assertThat(users.getString("user_name")).isEqualTo("alice");
			assertThat(users.getString("user_hash")).startsWith("$2y$10$");
			assertThat(users.getBoolean("deleted")).isFalse();
		}
	}

	@Test
	void newDatabaseWhenWrongPasswordOrAnotherDatabaseThenRefused(TestDatabase database, TestDatabase other) {
		assertThatExceptionOfType(SQLException.class)
			.isThrownBy(() -> DriverManager.getConnection(database.jdbcUrl(), database.user(), "wrong").close())
			.withMessageContaining("Access denied");
		assertThatExceptionOfType(SQLException.class)
			.isThrownBy(() -> DriverManager.getConnection(other.jdbcUrl(), database.user(), database.password()).close())
			.withMessageContaining("Access denied");
	}

}
