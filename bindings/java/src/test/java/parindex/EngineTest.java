package parindex;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * parindex from Java: every fixture byte-identical to `parindex score`, live preview, bad input,
 * threads. Run by scripts/test-bindings.sh: java -Dparindex.library=... -Dparindex.cli=... -Dparindex.root=...
 */
public final class EngineTest {
    private static int passed;
    private static int failed;

    private static final Path ROOT = Path.of(System.getProperty("parindex.root", "."));
    private static final String CLI = System.getProperty("parindex.cli", ROOT.resolve("target/debug/parindex").toString());

    interface Check {
        void run() throws Exception;
    }

    private static void check(String name, Check c) {
        try {
            c.run();
            passed++;
            System.out.println("ok " + name);
        } catch (Throwable t) {
            failed++;
            System.out.println("FAILED " + name + ": " + t);
        }
    }

    private static void expect(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    interface Call {
        Object run() throws ParindexException;
    }

    private static ParindexException throwsParindex(Call call, String status, String code) {
        try {
            call.run();
        } catch (ParindexException e) {
            expect(e.status().equals(status), "status " + e.status() + ", wanted " + status + ": " + e.getMessage());
            expect(e.errors().get(0).code().equals(code), "code " + e.errors().get(0).code() + ", wanted " + code);
            for (Problem p : e.errors()) {
                expect(p.path() != null && p.message() != null, "path and message");
            }
            return e;
        }
        throw new AssertionError("no ParindexException (" + status + ")");
    }

    private static String cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(CLI);
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        expect(p.waitFor() == 0, "parindex " + String.join(" ", args) + " failed");
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<Path> json(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** The folder as a round bundle: each file's JSON text embedded as it is. */
    private static String bundleOf(Path dir) throws IOException {
        StringBuilder b = new StringBuilder("{\"format\": \"parindex/round-bundle@1\", \"files\": {");
        b.append("\"round.json\": ").append(Files.readString(dir.resolve("round.json")));
        for (String sub : List.of("criteria", "assessments")) {
            for (Path p : json(dir.resolve(sub))) {
                b.append(", \"").append(sub).append('/').append(p.getFileName()).append("\": ").append(Files.readString(p));
            }
        }
        return b.append("}}").toString();
    }

    public static void main(String[] args) throws Exception {
        List<Path> fixtures;
        try (Stream<Path> s = Files.list(ROOT.resolve("fixtures"))) {
            fixtures = s.filter(p -> Files.isRegularFile(p.resolve("round.json"))).sorted().toList();
        }
        expect(fixtures.size() >= 3, "fixtures");
        for (Path dir : fixtures) {
            String name = dir.getFileName().toString();
            check("score " + name + " byte-identical to the CLI", () -> {
                expect(Engine.score(dir.toString()).equals(cli("score", dir.toString())), "folder");
                String bundle = bundleOf(dir);
                Path file = Files.createTempFile("parindex-", ".json");
                Files.writeString(file, bundle);
                String expected = cli("score", file.toString());
                expect(Engine.score(bundle).equals(expected), "bundle text");
                expect(Engine.score(file.toString()).equals(expected), "bundle file");
                Files.delete(file);
            });
            check("scoreUnit " + name, () -> {
                try (Round round = Engine.openRound(dir.toString())) {
                    for (Path a : json(dir.resolve("assessments"))) {
                        String row = round.scoreUnit(Files.readString(a));
                        expect(row.startsWith("{\n  \"unit\": \"") && row.contains("\"rank\": null"), row);
                    }
                }
            });
        }
        Path first = fixtures.get(0);
        check("validate and explain", () -> {
            expect(Engine.validate(first.toString()).startsWith("{\"kind\":\"round_folder\""), "validate");
            String round = Files.readString(first.resolve("round.json"));
            int at = round.indexOf("\"id\"", round.indexOf("\"units\""));
            String unit = round.substring(round.indexOf('"', at + 5) + 1, round.indexOf('"', round.indexOf('"', at + 5) + 1));
            expect(Engine.explain(first.toString(), unit, null).equals(cli("explain", first.toString(), "--unit", unit, "--locale", "en", "--exact", "--width", "10000")), "explain " + unit);
            throwsParindex(() -> Engine.explain(first.toString(), "nobody", null), "usage", "usage");
        });
        check("bad input throws ParindexException, never crashes", () -> {
            throwsParindex(() -> Engine.score(null), "bad_argument", "bad_argument");
            throwsParindex(() -> Engine.score("/no/such/folder"), "usage", "usage");
            throwsParindex(() -> Engine.score("fixtures\0/x"), "bad_argument", "bad_argument");
            throwsParindex(() -> Engine.score("{\"format\":\0}"), "invalid", "input_type");
            throwsParindex(() -> Engine.score("{\"a\": \"\ud800\"}"), "invalid", "input_type");
            throwsParindex(() -> Engine.score("{\"format\": " + "[".repeat(100_000)), "invalid", "input_type");
            String huge = "{\"format\": \"parindex/round-bundle@1\", \"files\": {\"x\": \"" + "a".repeat(64 << 20) + "\"}}";
            throwsParindex(() -> Engine.score(huge), "invalid", "input_type");
            Round round = Engine.openRound(first.toString());
            throwsParindex(() -> round.scoreUnit("not json"), "invalid", "input_type");
            throwsParindex(() -> round.scoreUnit(null), "bad_argument", "bad_argument");
            round.close();
            round.close();
            throwsParindex(() -> round.scoreUnit("{}"), "bad_handle", "bad_handle");
            for (long foreign : new long[] {0L, 1L, -1L, 0xdeadbeefL}) {
                throwsParindex(() -> Round.scoreWithHandle(foreign, "{}"), "bad_handle", "bad_handle");
            }
        });
        check("threads share one Round", () -> {
            List<String> texts = new ArrayList<>();
            for (Path a : json(first.resolve("assessments"))) {
                texts.add(Files.readString(a));
            }
            try (Round round = Engine.openRound(first.toString())) {
                List<String> expected = new ArrayList<>();
                for (String t : texts) {
                    expected.add(round.scoreUnit(t));
                }
                AtomicInteger wrong = new AtomicInteger();
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int offset = t;
                    threads.add(new Thread(() -> {
                        for (int i = 0; i < texts.size() * 2; i++) {
                            int k = (i + offset) % texts.size();
                            try {
                                if (!round.scoreUnit(texts.get(k)).equals(expected.get(k))) {
                                    wrong.incrementAndGet();
                                }
                            } catch (ParindexException e) {
                                wrong.incrementAndGet();
                            }
                        }
                    }));
                }
                threads.forEach(Thread::start);
                for (Thread t : threads) {
                    t.join();
                }
                expect(wrong.get() == 0, wrong.get() + " wrong rows");
            }
        });
        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
