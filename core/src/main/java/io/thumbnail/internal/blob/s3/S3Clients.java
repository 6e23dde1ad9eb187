package io.thumbnail.internal.blob.s3;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import java.time.Duration;

/**
 * The S3 client the service uses, with settings that work on S3-compatible stores as well as AWS S3:
 * <ul>
 * <li>checksums only where the API requires them: the SDK's newer default (a CRC trailer on every upload) breaks many
 * S3-compatible stores, and content addressing already names each blob by its SHA-256;</li>
 * <li>the region always given, and credentials always given by the caller: the SDK's default chains would otherwise
 * ask the cloud's instance metadata address, which a server outside that cloud must not reach for;</li>
 * <li>the JDK's URL connection for HTTP, instead of the SDK's default Netty and Apache clients.</li>
 * </ul>
 * Building one loads a large part of the SDK (most of a second in a fresh JVM), so it is built only when an S3 blob
 * store is configured.
 */
final class S3Clients {
    /** How long connecting may take: an endpoint that does not answer fails a request (503) rather than hang it. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long the store may be silent mid-request (uploads of many megabytes keep it talking). With
     * {@link #ATTEMPTS} tries, a silent store fails a request well within a job's time limit (a minute by default),
     * so the job waits for the store and spends no attempt, instead of failing with {@code timeout}.
     */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
    /** Tries of one request: a second for a connection the store had closed while it sat in the pool. */
    static final int ATTEMPTS = 2;

    private S3Clients() {
    }

    /** @param interceptors tests: what sees each request as it is sent */
    static S3Client build(S3Location location, AwsCredentialsProvider credentials,
                          ExecutionInterceptor... interceptors) {
        ClientOverrideConfiguration.Builder overrides = ClientOverrideConfiguration.builder()
                .retryStrategy(strategy -> strategy.maxAttempts(ATTEMPTS));
        for (ExecutionInterceptor interceptor : interceptors) {
            overrides.addExecutionInterceptor(interceptor);
        }
        S3ClientBuilder builder = S3Client.builder()
                .overrideConfiguration(overrides.build())
                .region(Region.of(location.region()))
                .forcePathStyle(location.pathStyle())
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(READ_TIMEOUT)
                        .build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (location.endpoint() != null) {
            builder.endpointOverride(location.endpoint());
        }
        return builder.build();
    }
}
