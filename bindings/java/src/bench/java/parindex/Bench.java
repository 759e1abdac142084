package parindex;

import java.nio.file.Files;
import java.nio.file.Path;

/** The cost of one Round.scoreUnit call (scripts/bench-bindings.sh): Bench ROUND_DIR ASSESSMENT N. */
public final class Bench {
    public static void main(String[] args) throws Exception {
        String assessment = Files.readString(Path.of(args[1]));
        int n = Integer.parseInt(args[2]);
        try (Round round = Engine.openRound(args[0])) {
            for (int i = 0; i < n / 10; i++) {
                round.scoreUnit(assessment);
            }
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                round.scoreUnit(assessment);
            }
            System.out.printf("java  %8.1f µs/call%n", (System.nanoTime() - t) / 1e3 / n);
        }
    }
}
