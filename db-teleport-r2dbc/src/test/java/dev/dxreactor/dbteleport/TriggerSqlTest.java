package dev.dxreactor.dbteleport;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static dev.dxreactor.dbteleport.Fixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The trigger SQL: quoted names, every change kind, statement level, idempotent, safe to run concurrently. */
class TriggerSqlTest {

    @Test
    void statementsQuoteNamesAndCoverEveryChangeAtStatementLevel() {
        List<String> sql = TriggerSql.statements("ch", Set.of("Orders", "items"));
        assertThat(sql.get(0)).isEqualTo(TriggerSql.LOCK);
        assertThat(sql.get(1)).contains("CREATE OR REPLACE FUNCTION dx_db_teleport_notify()")
                .contains("pg_notify(TG_ARGV[0], TG_TABLE_NAME)");
        assertThat(sql.subList(2, sql.size())).containsExactly(
                "DROP TRIGGER IF EXISTS \"dx_db_teleport_ch\" ON \"Orders\"",
                "CREATE TRIGGER \"dx_db_teleport_ch\" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON \"Orders\" "
                        + "FOR EACH STATEMENT EXECUTE FUNCTION dx_db_teleport_notify('ch')",
                "DROP TRIGGER IF EXISTS \"dx_db_teleport_ch\" ON \"items\"",
                "CREATE TRIGGER \"dx_db_teleport_ch\" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON \"items\" "
                        + "FOR EACH STATEMENT EXECUTE FUNCTION dx_db_teleport_notify('ch')");
    }

    @Test
    void everyBadNameIsReportedAtOnce() {
        assertThatThrownBy(() -> TriggerSql.statements("ch", Set.of("a\"b", "x y", "ok")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 bad table names")
                .hasMessageContaining("'a\"b'").hasMessageContaining("'x y'");
        assertThatThrownBy(() -> TriggerSql.statements("drop table", Set.of("ok")))
                .hasMessageContaining("channel 'drop table' is not a plain identifier");
    }

    @Test
    void installingTwiceAndFromSeveralServersAtOnceWorksAndLeavesOneTriggerPerTable() throws Exception {
        TestDatabase db = TestDatabase.get();
        String table = TestDatabase.unique("t");
        String channel = TestDatabase.unique("ch");
        db.execute("CREATE TABLE " + table + " (id int)");
        List<DbTeleport> caches = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                caches.add(Fixtures.builder(db, channel).name("c" + i).build());
            }
            List<CompletableFuture<Void>> installs = new ArrayList<>();
            for (DbTeleport cache : caches) {
                installs.add(cache.installTriggers(Set.of(table)).toCompletableFuture());
                installs.add(cache.installTriggers(Set.of(table)).toCompletableFuture());
            }
            for (CompletableFuture<Void> install : installs) {
                await(install);
            }
            try (var c = db.jdbc(); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT count(*) FROM pg_trigger WHERE tgrelid = '" + table
                         + "'::regclass AND NOT tgisinternal")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        } finally {
            caches.forEach(DbTeleport::close);
            db.execute("DROP TABLE " + table);
        }
    }
}
