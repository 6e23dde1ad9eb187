package io.thumbnail.s3;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.Constants;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * A real S3 API in this JVM, on loopback: s3proxy over a folder, taking the keys the service reads from the
 * environment ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, which the build sets for the tests). Stopped
 * and started again on the same port and folder, it plays an outage of the object store that loses nothing.
 */
public final class LocalS3 implements AutoCloseable {
    public static final String ACCESS_KEY = environment("AWS_ACCESS_KEY_ID");
    public static final String SECRET_KEY = environment("AWS_SECRET_ACCESS_KEY");

    private final BlobStore backing;
    private S3Proxy proxy;
    private int port;
    private S3Client client;

    private LocalS3(BlobStore backing) {
        this.backing = backing;
    }

    /** An S3 endpoint keeping its objects under {@code folder}, on a free loopback port. */
    public static LocalS3 start(Path folder) {
        try {
            Properties settings = new Properties();
            settings.setProperty("jclouds.filesystem.basedir", Files.createDirectories(folder).toString());
            settings.setProperty(Constants.PROPERTY_IDENTITY, ACCESS_KEY);
            settings.setProperty(Constants.PROPERTY_CREDENTIAL, SECRET_KEY);
            LocalS3 s3 = new LocalS3(BlobStores.create("filesystem", settings));
            s3.listen(0);
            return s3;
        } catch (IOException e) {
            throw new IllegalStateException("could not make the folder of the local S3 endpoint", e);
        }
    }

    private static String environment(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: the build sets it for the tests (see the surefire"
                    + " configuration in the parent pom); set it when running a test another way");
        }
        return value;
    }

    private void listen(int wantedPort) {
        try {
            proxy = S3Proxy.builder()
                    .blobStore(backing)
                    .endpoint(URI.create("http://127.0.0.1:" + wantedPort))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .stopTimeout(0)
                    .build();
            proxy.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("s3proxy did not start within 30 s: " + proxy.getState());
                }
                Thread.sleep(5);
            }
            port = proxy.getPort();
        } catch (Exception e) {
            throw new IllegalStateException("could not start s3proxy on 127.0.0.1:" + wantedPort, e);
        }
    }

    /** Stops answering: connections to the port are refused until {@link #restart()}. */
    public void stop() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop s3proxy", e);
        }
    }

    /** Answers again, on the same port, with every object it held. */
    public void restart() {
        listen(port);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** The service's blob-store location for {@code bucket} under {@code prefix} (empty for none) at this endpoint. */
    public String location(String bucket, String prefix) {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix) + "?endpoint=" + endpoint()
                + "&region=us-east-1&path-style=true";
    }

    public LocalS3 createBucket(String bucket) {
        client().createBucket(r -> r.bucket(bucket));
        return this;
    }

    /** Every key in {@code bucket}, in order. */
    public List<String> keys(String bucket) {
        return client().listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }

    public byte[] read(String bucket, String key) {
        return client().getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
    }

    /** A client of this endpoint for the tests' own looks into it. */
    public synchronized S3Client client() {
        if (client == null) {
            client = S3Client.builder()
                    .endpointOverride(endpoint())
                    .region(Region.US_EAST_1)
                    .forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                    .httpClient(UrlConnectionHttpClient.create())
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .build();
        }
        return client;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        stop();
        try {
            backing.close();
        } catch (Exception e) {
            // Only the folder is left; the test's temporary directory goes with it.
        }
    }
}
