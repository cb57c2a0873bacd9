package org.mmcheck.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The side-by-side view of {@code --variant all}: one row per test, one column per variant, each cell
 * the observation and the flags raised; a cell that contradicts an expect line is marked with '!'.
 */
public final class Table {
    private final List<String> variants;
    private final Map<String, Map<String, String>> rows = new LinkedHashMap<>();

    public Table(List<String> variants) {
        this.variants = variants;
    }

    public void add(Verdict v) {
        StringBuilder cell = new StringBuilder(v.observation() == null ? "-" : v.observation());
        for (String f : v.flags()) cell.append(' ').append(f);
        if (!v.complete()) cell.append(" (partial)");
        if (v.expectation() != null && !v.expectation().held()) cell.insert(0, "! ");
        rows.computeIfAbsent(v.test(), t -> new LinkedHashMap<>()).put(v.variant(), cell.toString());
    }

    public void print(PrintStream out) {
        List<String> header = new ArrayList<>();
        header.add("test");
        header.addAll(variants);
        int[] width = new int[header.size()];
        for (int c = 0; c < header.size(); c++) width[c] = header.get(c).length();
        for (Map.Entry<String, Map<String, String>> row : rows.entrySet()) {
            width[0] = Math.max(width[0], row.getKey().length());
            for (int c = 1; c < header.size(); c++) {
                width[c] = Math.max(width[c], row.getValue().getOrDefault(header.get(c), "-").length());
            }
        }
        line(out, header, width);
        for (Map.Entry<String, Map<String, String>> row : rows.entrySet()) {
            List<String> cells = new ArrayList<>();
            cells.add(row.getKey());
            for (int c = 1; c < header.size(); c++) cells.add(row.getValue().getOrDefault(header.get(c), "-"));
            line(out, cells, width);
        }
        out.println("('!' marks a cell that contradicts an expect line)");
    }

    private static void line(PrintStream out, List<String> cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) b.append(" | ");
            b.append(String.format("%-" + width[c] + "s", cells.get(c)));
        }
        out.println(b.toString().stripTrailing());
    }
}
