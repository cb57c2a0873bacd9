package org.mmcheck.report;

import java.util.List;
import java.util.Locale;

/** One JSON object per test and variant (JSON Lines), with the same facts as the text output. */
public final class Json {
    private Json() {}

    public static String of(Verdict v) {
        StringBuilder b = new StringBuilder("{");
        field(b, "test", v.test()).append(',');
        field(b, "variant", v.variant()).append(',');
        if (v.requestedAs() != null) field(b, "for", v.requestedAs()).append(',');
        b.append("\"states\":").append(v.outcomes().size()).append(",\"outcomes\":[");
        for (int i = 0; i < v.outcomes().size(); i++) {
            Verdict.OutcomeLine o = v.outcomes().get(i);
            if (i > 0) b.append(',');
            b.append('{');
            field(b, "outcome", o.text()).append(",\"positive\":").append(o.positive()).append('}');
        }
        b.append("],\"positive\":").append(v.positive()).append(",\"negative\":").append(v.negative());
        b.append(",\"flags\":");
        strings(b, v.flags());
        b.append(',');
        field(b, "condition", v.condition()).append(',');
        field(b, "observation", v.observation()).append(',');
        b.append("\"explored\":").append(v.explored()).append(",\"transitions\":").append(v.transitions());
        b.append(",\"time\":").append(String.format(Locale.ROOT, "%.3f", v.seconds())).append(',');
        b.append("\"complete\":").append(v.complete()).append(',');
        field(b, "stop", v.stop()).append(",\"expect\":");
        if (v.expectation() == null) {
            b.append("null");
        } else {
            b.append("{\"held\":").append(v.expectation().held()).append(',');
            field(b, "message", v.expectation().message()).append('}');
        }
        b.append(",\"witnesses\":[");
        for (int i = 0; i < v.witnesses().size(); i++) {
            Verdict.Witness w = v.witnesses().get(i);
            if (i > 0) b.append(',');
            b.append('{');
            field(b, "for", w.what()).append(",\"steps\":");
            strings(b, w.steps());
            b.append('}');
        }
        return b.append("]}").toString();
    }

    private static StringBuilder field(StringBuilder b, String name, String value) {
        b.append('"').append(name).append("\":");
        return value == null ? b.append("null") : quote(b, value);
    }

    private static void strings(StringBuilder b, List<String> items) {
        b.append('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) b.append(',');
            quote(b, items.get(i));
        }
        b.append(']');
    }

    static StringBuilder quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\t': b.append("\\t"); break;
                case '\r': b.append("\\r"); break;
                default:
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
            }
        }
        return b.append('"');
    }
}
