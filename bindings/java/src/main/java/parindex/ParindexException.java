package parindex;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Invalid input, or an unusable call. {@link #status()} is "invalid", "usage", "bad_argument",
 * "bad_handle" or "internal"; {@link #errors()} are SPEC §10's error objects.
 */
public final class ParindexException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String status;
    private final List<Problem> errors;

    /** Called by the native library: {@code flat} holds code, file, path, criterion, message per problem. */
    ParindexException(String status, String[] flat) {
        this(status, unflatten(flat));
    }

    private ParindexException(String status, List<Problem> errors) {
        super(errors.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.status = status;
        this.errors = Collections.unmodifiableList(errors);
    }

    private static List<Problem> unflatten(String[] flat) {
        List<Problem> out = new ArrayList<>();
        for (int i = 0; i + 4 < flat.length; i += 5) {
            out.add(new Problem(flat[i], flat[i + 1], flat[i + 2], flat[i + 3], flat[i + 4]));
        }
        return out;
    }

    /** Which kind of failure. */
    public String status() {
        return status;
    }

    /** Every problem, at least one. */
    public List<Problem> errors() {
        return errors;
    }
}
