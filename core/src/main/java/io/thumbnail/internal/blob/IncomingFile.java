package io.thumbnail.internal.blob;

import io.thumbnail.ErrorCode;
import io.thumbnail.ThumbnailException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An upload received into a file under {@code incoming/}: inside the store, so that storing it is a rename on the
 * same file system, never a copy.
 */
final class IncomingFile implements BlobStore.Incoming {
    private final LocalBlobStore store;
    private final Path file;
    private FileChannel channel;

    IncomingFile(LocalBlobStore store, Path file, FileChannel channel) {
        this.store = store;
        this.file = file;
        this.channel = channel;
    }

    @Override
    public void write(ByteBuffer bytes) {
        if (channel == null) {
            throw new IllegalStateException("the upload was finished or closed; it takes no more bytes");
        }
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            throw store.failed("could not write " + file, e);
        }
    }

    @Override
    public void finish() {
        if (channel == null) {
            return;
        }
        try (FileChannel finished = channel) {
            channel = null;
            finished.force(true);
        } catch (IOException e) {
            throw store.failed("could not write " + file, e);
        }
    }

    @Override
    public SeekableByteChannel read() throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw gone(e);
        }
    }

    @Override
    public boolean store(String sha256) {
        Path target = store.path(sha256);
        try {
            if (Files.isRegularFile(target)) {
                Files.deleteIfExists(file);
                return false;
            }
            try {
                store.rename(file, target);
            } catch (NoSuchFileException e) {
                if (!Files.exists(file)) {
                    throw gone(e);
                }
                DurableFiles.createFolder(target.getParent());
                store.rename(file, target);
            }
            return true;
        } catch (IOException e) {
            throw store.failed("could not store " + target, e);
        }
    }

    private ThumbnailException gone(NoSuchFileException e) {
        return new ThumbnailException(ErrorCode.IO_ERROR, "the upload " + file.getFileName()
                + " is gone (submitted already, or closed)", e);
    }

    @Override
    public void close() {
        try {
            if (channel != null) {
                channel.close();
                channel = null;
            }
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A file left behind is deleted the next time the store opens.
        }
    }
}
