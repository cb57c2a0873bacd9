package org.mmcheck.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code run --html}: one self-contained page (no network access: styles, script and data are inline)
 * with the table of verdicts and, per witness, a timeline with a column per actor and a drawing of
 * the state after the selected step. The data are the JSON verdicts of {@link Json}, with full states.
 */
public final class Html {
    private Html() {}

    /** The page for these verdicts; each with its test file (or null). */
    public static String page(List<Verdict> verdicts, List<String> files) {
        StringBuilder data = new StringBuilder("[");
        for (int i = 0; i < verdicts.size(); i++) {
            if (i > 0) data.append(',');
            data.append(Json.of(verdicts.get(i), files.get(i)));
        }
        data.append(']');
        // Inside <script>, "</" would end the element; "<\/" is the same JSON string.
        String json = data.toString().replace("</", "<\\/");
        return template().replace("__DATA__", json);
    }

    private static String template() {
        try (InputStream in = Html.class.getResourceAsStream("viewer.html")) {
            if (in == null) throw new IllegalStateException("viewer.html missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read viewer.html", e);
        }
    }
}
