package parindex;

/**
 * A round opened for live preview: its round and criteria sets are parsed once. Thread-safe:
 * several threads may score with one Round at once, and closing it while they do is safe
 * (later calls throw ParindexException with status "bad_handle").
 */
public final class Round implements AutoCloseable {
    private final long handle;
    private volatile boolean closed;

    Round(long handle) {
        this.handle = handle;
    }

    /** The unit's row (JSON text) as the results document holds it; "rank" is null. */
    public String scoreUnit(String assessment) throws ParindexException {
        return Native.scoreUnit(handle, assessment);
    }

    /** Whether close was called. */
    public boolean isClosed() {
        return closed;
    }

    /** Closes the round; closing twice does nothing. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                Native.close(handle);
            } catch (ParindexException e) {
                // Only a handle already closed natively: nothing to release.
            }
        }
    }

    /** For tests: the native handle, to check that a closed or foreign handle is detected. */
    static String scoreWithHandle(long handle, String assessment) throws ParindexException {
        return Native.scoreUnit(handle, assessment);
    }
}
