package org.mmcheck.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * {@code run --json}: one JSON object per line (JSON Lines), each with a {@code schema} number and a
 * {@code kind}: a verdict per test and variant, a summary after several runs, an error for bad input.
 * The objects are described by {@code docs/schema/run-output.schema.json}; fields are only ever added.
 */
public final class Json {
    private Json() {}

    /** The version of the objects' layout (docs/schema/run-output.schema.json). */
    public static final int SCHEMA = 2;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A verdict; {@code file} is the test's path (null when unknown). */
    public static String of(Verdict v, String file) {
        ObjectNode o = start("verdict");
        o.put("test", v.test());
        if (file != null) o.put("file", file);
        o.put("variant", v.variant());
        if (v.requestedAs() != null) o.put("for", v.requestedAs());
        o.put("states", v.outcomes().size());
        ArrayNode outs = o.putArray("outcomes");
        for (Verdict.OutcomeLine line : v.outcomes()) {
            ObjectNode e = outs.addObject();
            e.put("outcome", line.text());
            e.put("positive", line.positive());
            ObjectNode values = e.putObject("values");
            line.values().forEach((column, value) -> {
                if (value == null) values.putNull(column);
                else values.put(column, value);
            });
        }
        o.put("positive", v.positive());
        o.put("negative", v.negative());
        strings(o.putArray("flags"), v.flags());
        o.put("condition", v.condition());
        o.put("observation", v.observation());
        o.put("explored", v.explored());
        o.put("transitions", v.transitions());
        o.put("time", seconds(v.seconds()));
        o.put("complete", v.complete());
        o.put("stop", v.stop());
        if (v.expectation() == null) {
            o.putNull("expect");
        } else {
            ObjectNode e = o.putObject("expect");
            e.put("held", v.expectation().held());
            e.put("message", v.expectation().message());
        }
        ArrayNode ws = o.putArray("witnesses");
        for (Verdict.Witness w : v.witnesses()) {
            ObjectNode wo = ws.addObject();
            wo.put("for", w.what());
            strings(wo.putArray("steps"), w.steps());
            ArrayNode trace = wo.putArray("trace");
            for (WitnessStep s : w.trace()) {
                ObjectNode so = trace.addObject();
                so.put("actor", s.actor());
                so.put("statement", s.statement());
                strings(so.putArray("kernel"), s.kernel());
                ArrayNode ds = so.putArray("decisions");
                for (WitnessStep.Decision d : s.decisions()) ds.addObject().put("point", d.point()).put("value", d.value());
                strings(so.putArray("flags"), s.flags());
                strings(so.putArray("state"), s.state());
            }
        }
        return write(o);
    }

    /** A verdict without its file. */
    public static String of(Verdict v) {
        return of(v, null);
    }

    /** The summary after several runs, as the text output's "Summary:" line. */
    public static String summary(int runs, int tests, int held, int failed, int without, int stopped, double seconds) {
        ObjectNode o = start("summary");
        o.put("runs", runs);
        o.put("tests", tests);
        o.put("held", held);
        o.put("failed", failed);
        o.put("withoutExpect", without);
        o.put("stopped", stopped);
        o.put("time", seconds(seconds));
        return write(o);
    }

    /**
     * {@code real --json}: the comparison with a real kernel, in one object.
     *
     * @param verdict FULL AGREEMENT, DISAGREEMENT or NOTHING COMPARED
     */
    public static String real(String kernel, String variant, int tests, int testsRun, int notReproducible, int schedules,
                              int schedulesSkipped, int steps, int stepsAgreeing, int disagreeingSchedules, int failedRuns,
                              int partial, int answersDiffer, String verdict, List<String> disagreements, double seconds) {
        ObjectNode o = start("real");
        o.put("kernel", kernel);
        o.put("variant", variant);
        o.put("tests", tests);
        o.put("testsRun", testsRun);
        o.put("notReproducible", notReproducible);
        o.put("schedules", schedules);
        o.put("schedulesSkipped", schedulesSkipped);
        o.put("steps", steps);
        o.put("stepsAgreeing", stepsAgreeing);
        o.put("disagreeingSchedules", disagreeingSchedules);
        o.put("failedRuns", failedRuns);
        o.put("partiallyReproducible", partial);
        o.put("answersDiffer", answersDiffer);
        o.put("verdict", verdict);
        strings(o.putArray("disagreements"), disagreements);
        o.put("time", seconds(seconds));
        return write(o);
    }

    /** Bad input or usage: the same message as on stderr ({@code file:line:col: what} where there is a place). */
    public static String error(String message) {
        ObjectNode o = start("error");
        o.put("message", message);
        return write(o);
    }

    private static ObjectNode start(String kind) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("schema", SCHEMA);
        o.put("kind", kind);
        return o;
    }

    private static BigDecimal seconds(double s) {
        return BigDecimal.valueOf(s).setScale(3, RoundingMode.HALF_UP);
    }

    private static void strings(ArrayNode a, List<String> items) {
        for (String s : items) a.add(s);
    }

    private static String write(ObjectNode o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e); // a tree of plain values always serialises
        }
    }
}
