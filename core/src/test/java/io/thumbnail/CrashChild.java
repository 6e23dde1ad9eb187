package io.thumbnail;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The service in a process of its own, for {@link CrashTest}: submits {@code count} jobs, prints
 * {@code submitted <count>} once they are all stored and one worker is in the middle of a job, then works until it
 * is killed. That worker's first job never ends (a hung decode), so a job is processing whenever the kill comes,
 * while the other worker goes on storing thumbnails and marking jobs done.
 */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        byte[] base = photo(1200, 900);
        ScriptedPipeline pipeline = new ScriptedPipeline().holdFirstCall();
        ThumbnailService service = ThumbnailService.builder().dataDir(dataDir).workers(2)
                .hooks(h -> h.withPipeline(pipeline)).build();
        // Several submitters, so the queue fills faster than two workers drain it.
        ExecutorService submitters = Executors.newFixedThreadPool(4);
        List<Future<Job>> submitted = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            // Distinct originals (a comment segment) and distinct thumbnails (the width).
            submitted.add(submitters.submit(() -> service.submit(
                    ImageSource.of(withComment(base, "crash test image " + n), n + ".jpg"),
                    ThumbnailSpec.width(40 + n), SubmitOptions.defaults())));
        }
        for (Future<Job> f : submitted) {
            f.get();
        }
        pipeline.firstCallStarted.await();
        System.out.println("submitted " + count);
        System.out.flush();
        new CountDownLatch(1).await(); // until SIGKILL
    }

    static byte[] photo(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setPaint(new GradientPaint(0, 0, Color.ORANGE, width, height, Color.BLUE));
            g.fillRect(0, 0, width, height);
            g.setColor(Color.WHITE);
            for (int x = 0; x < width; x += 37) {
                g.drawLine(x, 0, width - x, height);
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    /** The same JPEG with a COM segment after SOI: other bytes, same pixels. */
    static byte[] withComment(byte[] jpeg, String comment) {
        byte[] text = comment.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int length = text.length + 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + length + 2);
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xFE);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.write(text, 0, text.length);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
