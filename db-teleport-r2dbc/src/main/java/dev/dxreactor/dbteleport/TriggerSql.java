package dev.dxreactor.dbteleport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The SQL that makes committed changes of a table send {@code pg_notify(channel, table name)}: one trigger
 * function ({@code triggers.sql}) and, per table, a statement-level trigger on INSERT, UPDATE, DELETE and
 * TRUNCATE. Every statement can run again: the function is replaced, each trigger dropped if it exists and
 * created anew. Run them in one transaction, after {@link #LOCK}, so that servers starting at the same time
 * do not trip over each other ("tuple concurrently updated").
 */
final class TriggerSql {

    /** The trigger name is this prefix and the channel, so channels do not replace each other's triggers. */
    static final String TRIGGER_PREFIX = "dx_db_teleport_";

    /** Longest channel name: the trigger name, prefix included, must fit PostgreSQL's 63 bytes. */
    static final int MAX_CHANNEL_BYTES = Identifiers.MAX_BYTES - TRIGGER_PREFIX.length();

    /** Serialises concurrent installs; the key is an arbitrary constant of this module. */
    static final String LOCK = "SELECT pg_advisory_xact_lock(7283340561)";

    private static final String FUNCTION = load();

    private TriggerSql() {
    }

    /**
     * The statements, in order, for {@code channel} and {@code tables}.
     *
     * @throws IllegalArgumentException naming every bad table (and a bad channel)
     */
    static List<String> statements(String channel, Set<String> tables) {
        checkChannel(channel);
        Identifiers.check("table", tables);
        List<String> sql = new ArrayList<>();
        sql.add(LOCK);
        sql.add(FUNCTION);
        String trigger = Identifiers.quote(TRIGGER_PREFIX + channel);
        for (String table : new TreeSet<>(tables)) {
            String quoted = Identifiers.quote(table);
            sql.add("DROP TRIGGER IF EXISTS " + trigger + " ON " + quoted);
            sql.add("CREATE TRIGGER " + trigger + " AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON " + quoted
                    + " FOR EACH STATEMENT EXECUTE FUNCTION dx_db_teleport_notify("
                    + Identifiers.literal(channel) + ")");
        }
        return sql;
    }

    /** @throws IllegalArgumentException when {@code channel} is not a plain identifier short enough */
    static String checkChannel(String channel) {
        Identifiers.checkOne("channel", channel);
        if (channel.length() > MAX_CHANNEL_BYTES) {
            throw new IllegalArgumentException("channel '" + channel + "' is longer than " + MAX_CHANNEL_BYTES
                    + " bytes (the trigger name '" + TRIGGER_PREFIX + channel + "' must fit 63)");
        }
        return channel;
    }

    private static String load() {
        try (InputStream in = TriggerSql.class.getResourceAsStream("triggers.sql")) {
            if (in == null) {
                throw new IllegalStateException("triggers.sql is missing from the dx-db-teleport jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
