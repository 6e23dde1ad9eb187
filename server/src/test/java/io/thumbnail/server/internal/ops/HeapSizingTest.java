package io.thumbnail.server.internal.ops;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The heap ratios are JVM-wide, so each case runs {@link #main} in a JVM of its own, started with the flags under
 * test, and reads what it printed.
 */
class HeapSizingTest {

    /**
     * In the child JVM: applies {@link HeapSizing#keepGrown} and prints the outcome and both ratios after it, then
     * the committed heap before and after in MB ({@code SET min=90 max=100 heap 8 -> 40}).
     */
    public static void main(String[] args) {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        // Live data, as a server has after its start (the heap is grown to a multiple of it).
        byte[][] live = new byte[64][];
        for (int i = 0; i < live.length; i++) {
            live[i] = new byte[64 << 10];
        }
        long before = Runtime.getRuntime().totalMemory();
        HeapSizing.Outcome outcome = HeapSizing.keepGrown(vm, Runtime.getRuntime().maxMemory());
        long after = Runtime.getRuntime().totalMemory();
        System.out.println(outcome + " min=" + vm.getVMOption(HeapSizing.MIN_FREE).getValue()
                + " max=" + vm.getVMOption(HeapSizing.MAX_FREE).getValue()
                + " heap " + (before >> 20) + " -> " + (after >> 20) + " (live " + live.length * 64 / 1024 + ")");
        System.out.println("advice: " + HeapSizing.adaptiveThresholdAdvice(vm, Runtime.getRuntime().maxMemory())
                .orElse("none"));
    }

    @Test
    void a_small_g1_heap_with_the_adaptive_marking_threshold_gets_advice_to_turn_it_off() throws Exception {
        assertThat(runChild("-XX:+UseG1GC")).as("the child's answer")
                .contains("advice: with a heap of 64 MB, start the JVM with -XX:-G1UseAdaptiveIHOP");
    }

    @Test
    void the_fixed_marking_threshold_needs_no_advice() throws Exception {
        assertThat(runChild("-XX:+UseG1GC", "-XX:-G1UseAdaptiveIHOP")).as("the child's answer")
                .contains("advice: none");
    }

    @Test
    void a_heap_larger_than_a_gigabyte_needs_no_advice() throws Exception {
        assertThat(runChild("-XX:+UseG1GC", "-Xmx2g")).as("the child's answer").contains("advice: none");
    }

    @Test
    void g1_with_default_ratios_never_shrinks_and_grows_to_keep_most_of_the_heap_free() throws Exception {
        assertThat(runChild("-XX:+UseG1GC")).as("the child's answer")
                .startsWith("SET min=" + HeapSizing.MIN_FREE_PERCENT + " max=100 ");
    }

    @Test
    void g1_heap_is_grown_at_once_not_at_the_next_completed_marking_cycle() throws Exception {
        String answer = runChild("-XX:+UseG1GC", "-Xms8m");
        Matcher heap = Pattern.compile("heap (\\d+) -> (\\d+)").matcher(answer);

        assertThat(heap.find()).as("the child's answer: %s", answer).isTrue();
        assertThat(Integer.parseInt(heap.group(1))).as("committed heap before, MB: %s", answer).isLessThan(16);
        assertThat(Integer.parseInt(heap.group(2))).as("committed heap after, MB (of -Xmx64m, 4 MB live): %s", answer)
                .isGreaterThanOrEqualTo(32);
    }

    @Test
    void a_ratio_given_on_the_command_line_leaves_both_as_they_are() throws Exception {
        assertThat(runChild("-XX:+UseG1GC", "-XX:MaxHeapFreeRatio=50")).as("the child's answer")
                .startsWith("LEFT_AS_GIVEN min=40 max=50 ");
    }

    @Test
    void a_heap_larger_than_a_gigabyte_keeps_g1s_own_sizing() throws Exception {
        assertThat(runChild("-XX:+UseG1GC", "-Xmx2g")).as("the child's answer (the later -Xmx wins)")
                .startsWith("LARGE_HEAP min=40 max=70 ");
    }

    @Test
    void another_collector_keeps_its_own_sizing() throws Exception {
        assertThat(runChild("-XX:+UseSerialGC")).as("the child's answer")
                .startsWith("NOT_G1 min=40 max=70 ");
    }

    private static String runChild(String... jvmArgs) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx64m", "-Xshare:auto"));
        command.addAll(List.of(jvmArgs));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), HeapSizingTest.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            boolean exited = process.waitFor(60, TimeUnit.SECONDS);
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(exited).as("the child JVM exited within 60 s; output: %s", output).isTrue();
            assertThat(process.exitValue()).as("the child JVM's exit code; output: %s", output).isZero();
            return output;
        } finally {
            process.destroyForcibly();
        }
    }
}
