package parindex;

/** The JNI functions of libparindex_java (bindings/java/src/lib.rs). Failures are thrown as ParindexException. */
final class Native {
    static {
        String path = System.getProperty("parindex.library");
        if (path != null) {
            System.load(path);
        } else {
            System.loadLibrary("parindex_java");
        }
    }

    private Native() {}

    static native String score(String round) throws ParindexException;

    static native String validate(String round, String roundDir) throws ParindexException;

    static native String explain(String round, String unit, String criterion) throws ParindexException;

    static native long open(String round) throws ParindexException;

    static native String scoreUnit(long handle, String assessment) throws ParindexException;

    static native void close(long handle) throws ParindexException;
}
