package kg.neo4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.neo4j.cli.AdminTool;
import org.neo4j.cli.ExecutionContext;

/**
 * Runs Neo4j's own {@code neo4j-admin} commands (the same picocli command classes the
 * {@code neo4j-admin} script runs, e.g. {@code database import full} from
 * {@code org.neo4j:neo4j-import-tool}) against the Neo4j home of a {@link KgNeo4jServer}.
 *
 * <pre>
 * java -cp CLASSPATH kg.neo4j.KgNeo4jAdmin --home DIR [--] database import full --nodes=... neo4j
 * </pre>
 *
 * {@code DIR} is the home the server runs with ({@code DATA/home} for scripts/neo4j-server),
 * so the imported database lands in {@code DIR/data/databases/} and the next start serves it.
 * The configuration directory is {@code DIR/conf} (absent: Neo4j's defaults, as the server
 * uses). Relative file names in the arguments are resolved against the working directory.
 * The exit code is the command's.
 */
public final class KgNeo4jAdmin {

    private KgNeo4jAdmin() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || !args[0].equals("--home")) {
            System.err.println("KgNeo4jAdmin: usage: --home DIR [--] NEO4J-ADMIN-ARGS...");
            System.exit(2);
        }
        Path home = Path.of(args[1]).toAbsolutePath();
        int first = args.length > 2 && args[2].equals("--") ? 3 : 2;
        String[] command = Arrays.copyOfRange(args, first, args.length);
        Files.createDirectories(home);
        ExecutionContext context = new ExecutionContext(home, home.resolve("conf"));
        System.exit(AdminTool.execute(context, command));
    }
}
