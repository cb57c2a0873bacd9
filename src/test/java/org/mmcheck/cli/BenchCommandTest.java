package org.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mmcheck.check.Flags;
import org.mmcheck.explore.Explorer;
import org.mmcheck.explore.Limits;
import org.mmcheck.explore.Progress;
import org.mmcheck.explore.Result;
import org.mmcheck.explore.StopReason;
import org.mmcheck.litmus.LitmusParser;
import org.mmcheck.model.KState;
import org.mmcheck.sem.LitmusModel;
import org.mmcheck.variant.Variants;

class BenchCommandTest {

    private static String run(String... args) {
        PrintStream saved = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            int status = Main.execute(args);
            assertEquals(Main.OK, status, bytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
            System.setErr(savedErr);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void benchOnTheSmallScenarioAgreesAcrossWorkerCounts() {
        String json = run("bench", "--json", "--workers", "1,2,3", "bench/small-2proc.litmus");
        assertTrue(json.startsWith("{\"variant\":\"5.19\""), json);
        assertEquals(3, json.split("\"scenario\":\"small-2proc\"", -1).length - 1, json);
        assertEquals(3, json.split("\"identical\":true", -1).length - 1, json);
        assertTrue(json.contains("\"distinct\":703,"), json);

        String table = run("bench", "--workers", "1,2", "bench/small-2proc.litmus");
        assertTrue(table.contains("distinct/s") && table.contains("speed-up") && table.contains("small-2proc"), table);
    }

    @Test
    void repeatReportsOneFastestRunPerWorkerCount() {
        String json = run("bench", "--json", "--repeat", "3", "--workers", "1,2", "bench/small-2proc.litmus");
        assertTrue(json.contains("\"repeat\":3,"), json);
        assertEquals(2, json.split("\"scenario\":\"small-2proc\"", -1).length - 1, json);
        assertEquals(2, json.split("\"identical\":true", -1).length - 1, json);
        String table = run("bench", "--repeat", "2", "--workers", "1", "bench/small-2proc.litmus");
        assertTrue(table.contains("fastest of 2 runs"), table);
    }

    @Test
    void theLitmusModelExploresAlikeOnOneAndTwoWorkers() throws Exception {
        Path f = Path.of("bench/small-2proc.litmus");
        LitmusModel model = new LitmusModel(LitmusParser.parse(f.toString(), Files.readString(f),
                Set.copyOf(Variants.names()), Set.copyOf(Flags.ALL)), Variants.policy("5.19"));
        Result<KState> one = new Explorer<>(model, Limits.none(), Progress.silent(), 1).run();
        Result<KState> two = new Explorer<>(model, Limits.none(), Progress.silent(), 2).run();
        assertEquals(StopReason.COMPLETE, one.stopReason());
        assertTrue(BenchCommand.identical(one, two));
        for (long id : one.outcomes().values()) {
            assertEquals(one.witnessToState(id), two.witnessToState(id));
        }
        for (String flag : one.flags().keySet()) {
            assertEquals(one.witnessToFlag(flag), two.witnessToFlag(flag));
        }
        assertTrue(one.bytesPerState() > 0 && one.collisionProbability() < 1e-12);
    }
}
