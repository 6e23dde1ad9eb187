package io.thumbnail.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LoadCompareTest {

    @Test
    void differences_are_taken_pair_by_pair_as_b_less_a() {
        LoadCompare.Comparison c = new LoadCompare.Comparison("workers", new double[] {16.0, 15.0, 17.0},
                new double[] {15.0, 14.5, 15.5});

        assertThat(c.differences()).as("B - A of each pair").containsExactly(-1.0, -0.5, -1.5);
        assertThat(c.meanB() - c.meanA()).as("difference of the means").isCloseTo(-1.0, within(1e-9));
    }

    @Test
    void an_effect_keeps_its_sign_in_every_pair_and_noise_does_not() {
        LoadCompare.Comparison effect = new LoadCompare.Comparison("all", new double[] {23.0, 22.0},
                new double[] {22.0, 21.5});
        LoadCompare.Comparison noise = new LoadCompare.Comparison("all", new double[] {23.1, 21.0},
                new double[] {21.0, 21.2});

        assertThat(effect.consistent()).as("B below A in both pairs").isTrue();
        assertThat(noise.consistent()).as("B below A in one pair, above in the other").isFalse();
    }

    @Test
    void a_difference_is_given_as_a_percentage_of_a_only_when_a_is_not_near_zero() {
        LoadCompare.Comparison workers = new LoadCompare.Comparison("workers", new double[] {16.0, 16.0},
                new double[] {15.0, 15.0});
        LoadCompare.Comparison gc = new LoadCompare.Comparison("GC", new double[] {0.01, 0.02},
                new double[] {0.05, 0.04});

        assertThat(workers.line()).as("workers row").contains("-1.0 (-6.3 %)");
        assertThat(gc.line()).as("GC row, A near zero").contains("| +0.0 |").doesNotContain("%");
    }

    @Test
    void a_pair_with_no_difference_is_not_an_effect() {
        LoadCompare.Comparison c = new LoadCompare.Comparison("GC", new double[] {0.0, 0.0}, new double[] {0.0, 0.0});

        assertThat(c.consistent()).isFalse();
    }

    @Test
    void one_pair_cannot_show_an_effect() {
        LoadCompare.Comparison c = new LoadCompare.Comparison("all", new double[] {23.0}, new double[] {21.0});

        assertThat(c.consistent()).as("a single difference, whatever its sign").isFalse();
        assertThat(c.line()).endsWith("| (one pair) |");
    }

    @Test
    void the_table_has_a_row_per_group_with_means_and_each_pair() {
        String table = LoadCompare.table(List.of(new LoadCompare.Comparison("request threads",
                new double[] {5.0, 5.2}, new double[] {4.0, 4.4})), Path.of("a.jar"), Path.of("b.jar"));

        assertThat(table).contains("A = a.jar, B = b.jar")
                .contains("| measure | A | B | B - A | each pair, B - A | same sign in every pair |")
                .contains("| request threads | 5.1 | 4.2 | -0.9 (-17.6 %) | -1.0, -0.8 | yes |");
    }

    @Test
    void runs_of_a_and_b_must_pair_up() {
        assertThatThrownBy(() -> new LoadCompare.Comparison("all", new double[] {1.0, 2.0}, new double[] {1.0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("as many runs of A as of B");
    }
}
