package io.thumbnail.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BatchesTest {
    private static final List<String> TOOLS = List.of("thumbnail", "vipsthumbnail", "thumbnailator");

    @Test
    void every_other_round_runs_the_tools_in_reverse() {
        assertThat(Batches.order(TOOLS, 0)).containsExactly("thumbnail", "vipsthumbnail", "thumbnailator");
        assertThat(Batches.order(TOOLS, 1)).containsExactly("thumbnailator", "vipsthumbnail", "thumbnail");
        assertThat(Batches.order(TOOLS, 2)).containsExactly("thumbnail", "vipsthumbnail", "thumbnailator");
    }

    @Test
    void over_three_rounds_both_other_tools_run_right_after_thumbnailator() {
        // The untimed first runs come in the list's order, so the first round follows the list's last tool.
        List<String> sequence = new ArrayList<>(TOOLS);
        for (int round = 0; round < 3; round++) {
            sequence.addAll(Batches.order(TOOLS, round));
        }
        List<String> afterThumbnailator = new ArrayList<>();
        for (int i = TOOLS.size(); i < sequence.size(); i++) {
            if (sequence.get(i - 1).equals("thumbnailator") && !sequence.get(i).equals("thumbnailator")) {
                afterThumbnailator.add(sequence.get(i));
            }
        }

        assertThat(afterThumbnailator).as("timed runs right after Thumbnailator's gigabyte JVM")
                .containsExactlyInAnyOrder("thumbnail", "vipsthumbnail");
    }
}
