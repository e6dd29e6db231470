package com.conversionrules.startup;

import com.conversionrules.store.PrivateFolder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One service per data directory: two would each rebuild their sessions from the store and miss the
 * events the other accepted. The lock is an OS lock on {@code DATA_DIR/.lock}, released by the OS
 * when the process ends however it ends; the file names the pid that holds it, for the message the
 * next one prints.
 */
public final class DataDirLock implements AutoCloseable {
    private static final String FILE_NAME = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or says which process holds it. */
    public static DataDirLock acquire(Path dataDir) throws IOException, StartupException {
        PrivateFolder.create(dataDir);
        Path file = dataDir.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very process
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new StartupException("DATA_DIR " + dataDir + " is in use by another instance of the service"
                    + (holder.isEmpty() ? "" : " (pid " + holder + ")") + "; stop it, or give this one its own DATA_DIR");
        }
        byte[] pid = Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(pid), 0);
        channel.force(false);
        return new DataDirLock(channel, lock);
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
