package io.thumbnail.internal.store.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Schemas and statements for the PostgreSQL store's tests. */
final class PostgresFixtures {
    private PostgresFixtures() {
    }

    /** Creates {@code schema} in the database at {@code url}; returns the URL that works in it. */
    static String freshSchema(String url, String schema) {
        execute(url, "CREATE SCHEMA " + schema);
        return url + "&currentSchema=" + schema;
    }

    static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not run " + sql + ": " + e.getMessage(), e);
        }
    }
}
