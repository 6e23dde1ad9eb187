package io.thumbnail.internal.image.jpeg;

import io.thumbnail.ImageFixtures;
import org.junit.jupiter.api.Test;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.DataBuffer;
import java.awt.image.DirectColorModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedProfilesTest {
    private static final int SIDE = 24;

    /** A gradient over every channel, so a conversion through the wrong profile shows. */
    private static BufferedImage gradient() {
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                image.setRGB(x, y, (x * 10) << 16 | (y * 10) << 8 | ((x + y) * 5));
            }
        }
        return image;
    }

    /** What a fresh ColorConvertOp of the JDK makes of {@code image} read as being in {@code profile}. */
    private static int[] reference(BufferedImage image, byte[] profile) {
        ICC_ColorSpace space = new ICC_ColorSpace(ICC_Profile.getInstance(profile));
        DirectColorModel model = new DirectColorModel(space, 24, 0xFF0000, 0xFF00, 0xFF, 0, false, DataBuffer.TYPE_INT);
        BufferedImage tagged = new BufferedImage(model, image.getRaster(), false, null);
        BufferedImage out = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        return pixels(new ColorConvertOp(null).filter(tagged, out));
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, SIDE, SIDE, null, 0, SIDE);
    }

    private static int[] converted(byte[] profile) {
        EmbeddedProfiles.Profile parsed = EmbeddedProfiles.rgb(profile).orElseThrow();
        return pixels(EmbeddedProfiles.toSrgb(gradient(), parsed.space()));
    }

    @Test
    void photos_carrying_the_same_profile_share_one_parsed_profile() {
        byte[] p3 = ImageFixtures.displayP3Profile();

        EmbeddedProfiles.Profile first = EmbeddedProfiles.rgb(p3).orElseThrow();
        EmbeddedProfiles.Profile second = EmbeddedProfiles.rgb(p3.clone()).orElseThrow();

        assertThat(second).as("the profile of a second photo with the same bytes").isSameAs(first);
        assertThat(first.srgb()).as("Display P3 taken for sRGB").isFalse();
    }

    @Test
    void conversions_alternating_between_profiles_each_match_a_fresh_conversion() {
        byte[] p3 = ImageFixtures.displayP3Profile();
        byte[] rotating = ImageFixtures.channelRotatingProfile();
        int[] p3Expected = reference(gradient(), p3);
        int[] rotatingExpected = reference(gradient(), rotating);
        assertThat(p3Expected).as("fixture: the two profiles convert differently").isNotEqualTo(rotatingExpected);

        for (int round = 0; round < 3; round++) {
            assertThat(converted(p3)).as("Display P3, round %d", round).isEqualTo(p3Expected);
            assertThat(converted(rotating)).as("channel-rotating profile, round %d", round).isEqualTo(rotatingExpected);
        }
    }

    @Test
    void threads_converting_at_once_get_what_a_lone_conversion_gets() throws Exception {
        byte[] p3 = ImageFixtures.displayP3Profile();
        int[] expected = reference(gradient(), p3);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> mismatches = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                mismatches.add(pool.submit(() -> {
                    start.await();
                    int wrong = 0;
                    for (int i = 0; i < 50; i++) {
                        if (!Arrays.equals(converted(p3), expected)) {
                            wrong++;
                        }
                    }
                    return wrong;
                }));
            }
            start.countDown();
            for (Future<Integer> mismatch : mismatches) {
                assertThat(mismatch.get()).as("conversions that differed from the lone one").isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void srgb_under_another_name_is_recognised_so_its_photos_skip_the_conversion() {
        byte[] srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();

        assertThat(EmbeddedProfiles.rgb(srgb)).as("the JDK's sRGB profile").hasValueSatisfying(
                profile -> assertThat(profile.srgb()).as("taken for sRGB").isTrue());
    }

    @Test
    void bytes_that_are_no_rgb_profile_give_none() {
        byte[] gray = ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData();

        assertThat(EmbeddedProfiles.rgb(gray)).as("a grey profile").isEmpty();
        assertThat(EmbeddedProfiles.rgb(new byte[] {1, 2, 3, 4})).as("four bytes of garbage").isEmpty();
    }
}
