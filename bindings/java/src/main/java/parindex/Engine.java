package parindex;

/**
 * The PAR Index (Chỉ số CCHC) scoring engine. A round is a folder path, a round bundle file's
 * path, or a round bundle's JSON text (starting with '{'). Every method may be called from
 * several threads at once. See docs/embedding.md.
 */
public final class Engine {
    private Engine() {}

    /** The results document's JSON text, byte for byte what {@code parindex score} prints. */
    public static String score(String round) throws ParindexException {
        return Native.score(round);
    }

    /** Checks a round, or one criteria-set, round or assessment file: what it is, as JSON text. */
    public static String validate(String round) throws ParindexException {
        return Native.validate(round, null);
    }

    /** As {@link #validate(String)}, an assessment file checked against {@code roundDir}. */
    public static String validate(String path, String roundDir) throws ParindexException {
        return Native.validate(path, roundDir);
    }

    /** One unit explained as text, byte for byte what {@code parindex explain} prints; criterion may be null. */
    public static String explain(String round, String unit, String criterion) throws ParindexException {
        return Native.explain(round, unit, criterion);
    }

    /** Opens a round for live preview; close it (try-with-resources). */
    public static Round openRound(String round) throws ParindexException {
        return new Round(Native.open(round));
    }
}
