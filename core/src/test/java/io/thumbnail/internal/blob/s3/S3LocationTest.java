package io.thumbnail.internal.blob.s3;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The blob store's location as a user writes it: what it means, and what is refused and how it is said. */
class S3LocationTest {

    @Test
    void a_full_location_names_bucket_prefix_endpoint_region_and_addressing() {
        S3Location location = S3Location.parse(
                "s3://thumbs/tiles/2026/?endpoint=http://127.0.0.1:9000/&region=eu-west-1&path-style=false");

        assertThat(location.bucket()).isEqualTo("thumbs");
        assertThat(location.prefix()).as("prefix").isEqualTo("tiles/2026/");
        assertThat(location.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(location.region()).isEqualTo("eu-west-1");
        assertThat(location.pathStyle()).as("path-style").isFalse();
        assertThat(location).hasToString("s3://thumbs/tiles/2026");
        assertThat(location.where()).isEqualTo("http://127.0.0.1:9000");
    }

    @Test
    void a_bucket_alone_is_aws_s3_in_us_east_1_addressed_by_host_name() {
        S3Location location = S3Location.parse("s3://thumbs");

        assertThat(location.prefix()).as("prefix").isEmpty();
        assertThat(location.endpoint()).as("endpoint").isNull();
        assertThat(location.region()).isEqualTo("us-east-1");
        assertThat(location.pathStyle()).as("path-style").isFalse();
        assertThat(location.where()).isEqualTo("AWS S3 (us-east-1)");
    }

    @Test
    void an_endpoint_of_its_own_is_addressed_by_path_unless_told_otherwise() {
        assertThat(S3Location.parse("s3://thumbs?endpoint=https://minio.internal:9000").pathStyle()).isTrue();
    }

    @Test
    void credentials_in_the_location_are_refused_without_being_repeated() {
        assertThatThrownBy(() -> S3Location.parse("s3://KEYID:s3cret@thumbs/tiles"))
                .hasMessageContaining("must not hold credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in"
                        + " the environment").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> S3Location.parse("s3://thumbs?endpoint=http://KEYID:s3cret@127.0.0.1:9000"))
                .hasMessageContaining("must not hold credentials").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> S3Location.parse("https://KEYID:s3cret@thumbs"))
                .hasMessageContaining("does not start with s3://").hasMessageNotContaining("s3cret");
    }

    @Test
    void each_mistake_is_named_after_the_form_a_location_takes() {
        assertThatThrownBy(() -> S3Location.parse("data/blobs")).hasMessage(S3Location.FORM
                + ", but it does not start with s3:// (was 'data/blobs')");
        assertThatThrownBy(() -> S3Location.parse("s3://Thumbs_Bucket")).hasMessageEndingWith(
                "the bucket must be 3 to 63 lower-case letters, digits, dots and hyphens (was 'Thumbs_Bucket')");
        assertThatThrownBy(() -> S3Location.parse("s3://thumbs/a//b")).hasMessageContaining("the prefix may hold");
        assertThatThrownBy(() -> S3Location.parse("s3://thumbs?endpoint=ftp://host")).hasMessageEndingWith(
                "endpoint must be an http(s) URL with a host and no path, such as http://127.0.0.1:9000 (was"
                        + " 'ftp://host')");
        assertThatThrownBy(() -> S3Location.parse("s3://thumbs?endpoint=http://host/base")).hasMessageContaining(
                "endpoint must be an http(s) URL with a host and no path");
        assertThatThrownBy(() -> S3Location.parse("s3://thumbs?region=EU")).hasMessageEndingWith(
                "region must be a region name such as us-east-1 (was 'EU')");
        assertThatThrownBy(() -> S3Location.parse("s3://thumbs?path-style=yes")).hasMessageEndingWith(
                "path-style must be true or false (was 'yes')");
        assertThatThrownBy(() -> S3Location.parse("s3://thumbs?endpiont=http://host")).hasMessageEndingWith(
                "it takes only endpoint, region and path-style (was 'endpiont')");
        assertThatThrownBy(() -> S3Location.parse("s3://thumbs?region=a&region=b")).hasMessageEndingWith(
                "region is given twice");
    }
}
