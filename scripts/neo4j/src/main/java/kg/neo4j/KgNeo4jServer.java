package kg.neo4j;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Runs Neo4j Community (embedded) with only the Bolt connector, on loopback.
 *
 * <pre>
 * java -cp CLASSPATH kg.neo4j.KgNeo4jServer --home DIR [--port 7687] [--host 127.0.0.1] [--ready-file FILE]
 * </pre>
 *
 * The password of user {@code neo4j} is read from the environment variable
 * {@code KG_NEO4J_PASSWORD} (kept off the command line so it does not show up in
 * {@code ps}); default {@code kg-test-password}. {@code KG_NEO4J_AUTH_MAX_FAILED_ATTEMPTS}
 * (default 0 = no lock-out) sets {@code dbms.security.auth_max_failed_attempts}.
 *
 * Authentication stays enabled. Before the very first start the launcher does what
 * {@code neo4j-admin dbms set-initial-password} does, so Neo4j creates user {@code neo4j}
 * with the wanted password. On every start, once the DBMS is up, it checks that the
 * password logs in and otherwise sets it through the system database (embedded
 * transactions run with full privileges): {@code ALTER USER neo4j SET PASSWORD ... CHANGE
 * NOT REQUIRED}. Only then does it write the ready file, which scripts/neo4j-server
 * waits for before it reports the server as started.
 */
public final class KgNeo4jServer {

    private KgNeo4jServer() {
    }

    public static void main(String[] args) throws Exception {
        Path home = null;
        Path readyFile = null;
        String host = "127.0.0.1";
        int port = 7687;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = (i + 1 < args.length) ? args[i + 1] : null;
            switch (a) {
                case "--home" -> { home = Path.of(require(a, v)).toAbsolutePath(); i++; }
                case "--port" -> { port = Integer.parseInt(require(a, v)); i++; }
                case "--host" -> { host = require(a, v); i++; }
                case "--ready-file" -> { readyFile = Path.of(require(a, v)).toAbsolutePath(); i++; }
                default -> fail("unknown argument: " + a);
            }
        }
        if (home == null) {
            fail("--home DIR is required");
        }
        String password = System.getenv().getOrDefault("KG_NEO4J_PASSWORD", "kg-test-password");
        // Neo4j locks a user for dbms.security.auth_lock_time (5 s) after 3 failed logins, and
        // then answers even the right password with AuthenticationRateLimit: that makes
        // "wrong password" tests order-dependent. 0 switches the rate limit off (default here).
        int maxFailedAttempts = Integer.parseInt(
                System.getenv().getOrDefault("KG_NEO4J_AUTH_MAX_FAILED_ATTEMPTS", "0"));
        if (readyFile != null) {
            Files.deleteIfExists(readyFile);
        }
        Files.createDirectories(home);

        long t0 = System.nanoTime();
        log("starting Neo4j " + neo4jVersion() + " in " + home + ", bolt on " + host + ":" + port);
        if (!Files.exists(home.resolve("data").resolve("databases").resolve("system"))) {
            writeInitialPassword(home, password);
        }
        DatabaseManagementService dbms;
        try {
            dbms = build(home, host, port, maxFailedAttempts);
        } catch (RuntimeException e) {
            log("FATAL: Neo4j did not start: " + e);
            e.printStackTrace(System.out);
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("shutting down");
            try {
                dbms.shutdown();
            } catch (RuntimeException e) {
                log("error during shutdown: " + e);
            }
            log("stopped");
            stopped.countDown();
        }, "kg-neo4j-shutdown"));

        try {
            setPassword(dbms, password);
        } catch (RuntimeException e) {
            log("FATAL: could not set the password of user neo4j: " + e.getMessage());
            System.exit(3); // runs the shutdown hook
        }

        if (readyFile != null) {
            Path tmp = readyFile.resolveSibling(readyFile.getFileName() + ".tmp");
            Files.writeString(tmp, "bolt://" + host + ":" + port + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, readyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        log("ready: bolt://" + host + ":" + port + " user neo4j (started in "
                + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms)");

        // Park the main thread; SIGTERM/SIGINT run the shutdown hook.
        stopped.await();
    }

    private static DatabaseManagementService build(Path home, String host, int port, int maxFailedAttempts) {
        return new DatabaseManagementServiceBuilder(home)
                // Bolt only, on loopback, no TLS.
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(host, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                // Bolt's shutdown otherwise waits 2 x 5 s for idle thread pools (data is
                // already checkpointed by then): stop returns in ~1-2 s instead of ~11 s.
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                // Authentication on (the tests check wrong-password errors).
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.auth_max_failed_attempts, maxFailedAttempts)
                // Small footprint: a 2-core test box, small graphs.
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(256))
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(16))
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "64M size")
                // Never phone home (the machine has no network beyond package registries anyway).
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseInternalSettings.udc_network_enabled, false)
                .build();
    }

    /**
     * First start only: what {@code neo4j-admin dbms set-initial-password PW} does, i.e. write
     * {@code data/dbms/auth.ini}, which Neo4j reads when it creates the system database and
     * user {@code neo4j} (with no password change required). Saves a Cypher round trip
     * (several seconds on a cold JVM). Failure is not fatal: {@link #setPassword} follows.
     */
    private static void writeInitialPassword(Path home, String password) {
        try {
            var out = new java.io.ByteArrayOutputStream();
            var ps = new java.io.PrintStream(out, true, StandardCharsets.UTF_8);
            var ctx = new org.neo4j.cli.ExecutionContext(home, home.resolve("conf"), ps, ps,
                    new org.neo4j.io.fs.DefaultFileSystemAbstraction());
            int rc = new picocli.CommandLine(
                    new org.neo4j.commandline.admin.security.SetInitialPasswordCommand(ctx))
                    .execute(password);
            if (rc != 0) {
                log("set-initial-password failed (" + rc + "): " + out.toString(StandardCharsets.UTF_8).trim());
            }
        } catch (RuntimeException | LinkageError e) {
            log("set-initial-password failed: " + e);
        }
    }

    /** Does {@code neo4j} log in with {@code password} (no change required)? Null if unknown. */
    private static Boolean passwordWorks(GraphDatabaseService system, String password) {
        try {
            var auth = ((org.neo4j.kernel.internal.GraphDatabaseAPI) system).getDependencyResolver()
                    .resolveDependency(org.neo4j.kernel.api.security.AuthManager.class);
            var login = auth.login(
                    org.neo4j.kernel.api.security.AuthToken.newBasicAuthToken("neo4j", password),
                    org.neo4j.internal.kernel.api.connectioninfo.ClientConnectionInfo.EMBEDDED_CONNECTION);
            return login.subject().getAuthenticationResult()
                    == org.neo4j.internal.kernel.api.security.AuthenticationResult.SUCCESS;
        } catch (Exception | LinkageError e) {
            log("could not check the password directly (" + e + "); setting it with Cypher");
            return null;
        }
    }

    /** Makes {@code neo4j}'s password {@code password}, with no change required. Idempotent. */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        if (Boolean.TRUE.equals(passwordWorks(system, password))) {
            log("password of user neo4j is in place");
            return;
        }
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
            log("password of user neo4j set");
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to the one already set; then only make sure no
            // change is required. Any other problem (e.g. a password shorter than
            // dbms.security.auth_minimum_password_length, 8) is re-thrown.
            String msg = String.valueOf(e.getMessage());
            if (!msg.contains("Old password and new password cannot be the same")) {
                throw e;
            }
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD CHANGE NOT REQUIRED");
            log("password of user neo4j already set");
        }
    }

    private static String neo4jVersion() {
        try {
            return org.neo4j.kernel.internal.Version.getNeo4jVersion();
        } catch (RuntimeException | LinkageError e) {
            return "(unknown version)";
        }
    }

    private static String require(String flag, String value) {
        if (value == null) {
            fail(flag + " needs a value");
        }
        return value;
    }

    private static void fail(String message) {
        System.err.println("KgNeo4jServer: " + message);
        System.exit(2);
    }

    private static void log(String message) {
        System.out.println("[kg-neo4j] " + java.time.Instant.now() + " " + message);
        System.out.flush();
    }
}
