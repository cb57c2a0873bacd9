package org.mmcheck.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        assertEquals("mmcheck: 620,000 states, 310,000/s, queue 12,345, heap 812 MB" + nl
                + "mmcheck: 1,234,567 states, 307,283/s, queue 9, heap 1,300 MB" + nl,
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void rewritesTheLineOnATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressPrinter p = new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        p.report(10_000, 0, 1_000_000, 2_000, 5L << 20);
        p.report(20_000, 0, 1, 4_000, 5L << 20);
        p.finish();
        p.finish(); // idempotent
        String first = "mmcheck: 10,000 states, 5,000/s, queue 1,000,000, heap 5 MB";
        String second = "mmcheck: 20,000 states, 5,000/s, queue 1, heap 5 MB";
        String pad = " ".repeat(first.length() - second.length());
        assertEquals("\r" + first + "\r" + second + pad + System.lineSeparator(),
                bytes.toString(StandardCharsets.UTF_8));
    }
}
