package io.tilemud.database;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * Bounds every PostgreSQL wait the pool does not (issue 11: a stalled server held intents as long as the stall):
 * adds PgJDBC's {@code connectTimeout}, {@code socketTimeout} and a server-side {@code statement_timeout} to each
 * datasource's driver properties before its pool is built. A parameter already in the JDBC URL wins (PgJDBC reads the
 * URL last), so an operator can still override one per deployment.
 *
 * <p>Why a listener rather than a {@code datasources.default.data-source-properties} map in YAML: written that way the
 * values never reached PgJDBC here (a stalled read hung for the whole stall), and a timeout that silently does not
 * apply is the bug this class exists to prevent. {@code DatabaseFaultTest} (websocket-handlers) shows it applies.
 */
@Singleton
public class DriverTimeouts implements BeanCreatedEventListener<DatasourceConfiguration> {
    private final DatabaseSettings settings;

    public DriverTimeouts(DatabaseSettings settings) {
        this.settings = settings;
    }

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration datasource = event.getBean();
        datasource.addDataSourceProperty("connectTimeout", Integer.toString(settings.connectTimeoutSeconds()));
        datasource.addDataSourceProperty("socketTimeout", Integer.toString(settings.socketTimeoutSeconds()));
        datasource.addDataSourceProperty("options", "-c statement_timeout=" + settings.statementTimeoutMillis());
        return datasource;
    }
}
