package parindex;

/**
 * One problem: SPEC §10's error object. {@code file} and {@code criterion} are null when unknown;
 * {@code path} is a JSON Pointer into the file ("" for the whole document, or for a problem with the call).
 */
public record Problem(String code, String file, String path, String criterion, String message) {
    @Override
    public String toString() {
        return (file != null ? file + ":" : "") + (path.isEmpty() ? "/" : path) + " [" + code + "]"
                + (criterion != null ? " " + criterion : "") + ": " + message;
    }
}
