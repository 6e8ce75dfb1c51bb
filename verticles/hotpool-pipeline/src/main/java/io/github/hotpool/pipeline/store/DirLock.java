package io.github.hotpool.pipeline.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One writer per output directory: an OS file lock on {@value ReceiptStore#LOCK}, whose text
 * names the holder (pid, host, start time) for the message a second writer gets. The OS drops
 * the lock when the holder dies, even by {@code kill -9}, so no stale lock needs clearing.
 */
final class DirLock implements AutoCloseable {

    private final FileChannel ch;
    private final FileLock lock;

    private DirLock(FileChannel ch, FileLock lock) {
        this.ch = ch;
        this.lock = lock;
    }

    static DirLock acquire(Path dir) throws IOException {
        Path file = dir.resolve(ReceiptStore.LOCK);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this JVM
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(ch);
            ch.close();
            throw new StoreException(dir + " is in use by another run (" + holder + "): wait for it to end, "
                + "or give this run another output directory");
        }
        String me = "pid " + ProcessHandle.current().pid() + " on " + host() + ", started " + Instant.now();
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        return new DirLock(ch, lock);
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(512, ch.size()));
            ch.read(b, 0);
            String s = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).trim();
            return s.isEmpty() ? "holder unknown" : s;
        } catch (IOException e) {
            return "holder unknown";
        }
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "this host";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            ch.close();
        }
    }
}
