package io.thumbnail.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The server as its users start it, {@code java -jar thumbnail-server.jar}: what a start that fails prints. */
class ServerJarIT {
    @TempDir
    Path dir;

    @Test
    void a_port_in_use_is_told_in_one_line_with_no_error_logged_before_it() throws Exception {
        String jar = System.getProperty(ChildServer.JAR_PROPERTY);
        assumeTrue(jar != null, "runs against the packaged jar");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Path output = dir.resolve("output.txt");
            ProcessBuilder builder = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-jar", jar,
                    "--host", "127.0.0.1", "--port", String.valueOf(port), "--data-dir", dir.resolve("data").toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("THUMBNAIL_"));
            Process process = builder.start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the server gives up").isTrue();
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);

            assertThat(process.exitValue()).as("exit code; output: %s", lines).isEqualTo(1);
            assertThat(lines).as("the lines logged at ERROR or WARN: the one line printed says it all")
                    .noneMatch(line -> line.contains("[ERROR]") || line.contains("[WARN]"));
            assertThat(lines).as("the output's last line").last().isEqualTo(
                    "thumbnail-server: could not start on 127.0.0.1:" + port + ": port " + port
                            + " is in use by another process");
        }
    }
}
