package org.mmcheck.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {

    @Test
    void printsOneLinePerReportWhenNotOnATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressPrinter p = new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        p.report(620_000, 1_000_000, 12_345, 2_000, 812L << 20);
        p.report(1_234_567, 2_000_000, 9, 4_000, 1_300L << 20);
        p.finish();
        String nl = System.lineSeparator();
        assertEquals("mmcheck: 620,000 states (310,000/s), 1,000,000 generated (500,000/s), queue 12,345, heap 812 MB" + nl
                + "mmcheck: 1,234,567 states (307,283/s), 2,000,000 generated (500,000/s), queue 9, heap 1,300 MB" + nl,
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void showsTheDepthWhenTheExplorerGivesIt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressPrinter p = new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        p.report(4_000, 30_000, 100, 17, 2_000, 5L << 20);
        assertEquals("mmcheck: 4,000 states (2,000/s), 30,000 generated (15,000/s), queue 100, depth 17, heap 5 MB"
                + System.lineSeparator(), bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void rewritesTheLineBehindASpinnerOnATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressPrinter p = new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        p.report(10_000, 0, 1_000_000, 3, 2_000, 5L << 20);
        p.report(20_000, 0, 1, 4, 4_000, 5L << 20);
        p.finish();
        p.finish(); // idempotent
        String first = "| mmcheck: 10,000 states (5,000/s), 0 generated (0/s), queue 1,000,000, depth 3, heap 5 MB";
        String second = "/ mmcheck: 20,000 states (5,000/s), 0 generated (0/s), queue 1, depth 4, heap 5 MB";
        String pad = " ".repeat(first.length() - second.length());
        assertEquals("\r" + first + "\r" + second + pad + System.lineSeparator(),
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void closingLineOnlyAfterALongRun() {
        Result<?> r = new Explorer<>(new ToyModels.Counters(3, s -> null), Limits.none(), Progress.silent()).run();

        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        new ProgressPrinter(new PrintStream(quiet, true, StandardCharsets.UTF_8), false).finished(r);
        assertEquals("", quiet.toString(StandardCharsets.UTF_8), "a run that printed no progress stays silent");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressPrinter p = new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        p.report(10, 20, 3, 1, 2_000, 5L << 20);
        p.finished(r);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\r| mmcheck: 10 states"), text);
        String[] lines = text.substring(1).split("\\R");
        assertEquals(2, lines.length, text);
        assertTrue(lines[1].startsWith("mmcheck: complete after 16 states ("), lines[1]);
        assertTrue(lines[1].contains("24 generated ("), lines[1]);
        assertTrue(lines[1].contains("bytes/state; fingerprint collision probability 6.5e-18"), lines[1]);
    }

    @Test
    void measuresProgressAgainstTheNearerLimit() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressPrinter p = new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false)
                .toward(new Limits(100_000, java.time.Duration.ofSeconds(100), 0.85));
        p.report(25_000, 0, 1, 1, 2_000, 5L << 20);   // 25 % of the states, 2 % of the time
        p.report(30_000, 0, 1, 2, 60_000, 5L << 20);  // 30 % of the states, 60 % of the time
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\\R");
        assertTrue(lines[0].endsWith(", 25% of --max-states"), lines[0]);
        assertTrue(lines[1].endsWith(", 60% of --timeout"), lines[1]);

        ByteArrayOutputStream term = new ByteArrayOutputStream();
        ProgressPrinter t = new ProgressPrinter(new PrintStream(term, true, StandardCharsets.UTF_8), true)
                .toward(new Limits(1_000, null, 0.85));
        t.report(500, 0, 1, 1, 2_000, 5L << 20);
        assertTrue(term.toString(StandardCharsets.UTF_8).startsWith("\r| [##########----------]  50% mmcheck: 500 states"),
                term.toString(StandardCharsets.UTF_8));

        ByteArrayOutputStream none = new ByteArrayOutputStream();
        new ProgressPrinter(new PrintStream(none, true, StandardCharsets.UTF_8), false).toward(Limits.none())
                .report(500, 0, 1, 1, 2_000, 5L << 20);
        assertFalse(none.toString(StandardCharsets.UTF_8).contains("%"), "no limit, no percentage");
    }
}
