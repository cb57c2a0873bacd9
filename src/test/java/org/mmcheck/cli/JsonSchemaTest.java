package org.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.mmcheck.check.Flags;

/** Every object {@code run --json} prints is valid against docs/schema/run-output.schema.json. */
class JsonSchemaTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static Schema schema() throws Exception {
        try (InputStream in = Files.newInputStream(Path.of("docs/schema/run-output.schema.json"))) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    /** Validates every line; returns the objects. */
    private static List<JsonNode> validLines(String out) throws Exception {
        Schema schema = schema();
        List<JsonNode> objects = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) continue;
            JsonNode node = MAPPER.readTree(line);
            List<Error> errors = schema.validate(node);
            assertEquals(List.of(), errors.stream().map(Error::toString).toList(), line);
            objects.add(node);
        }
        return objects;
    }

    @Test
    void everyVerdictOfTheSuiteUnderEveryVariantWithWitnesses() throws Exception {
        Cli.Result r = Cli.run("run", "--json", "--witness", "--variant", "all", "litmus");
        List<JsonNode> objects = validLines(r.out());
        long verdicts = objects.stream().filter(o -> o.get("kind").asText().equals("verdict")).count();
        assertTrue(verdicts > 1000, "verdicts: " + verdicts);
        JsonNode last = objects.get(objects.size() - 1);
        assertEquals("summary", last.get("kind").asText());
        assertEquals(verdicts, last.get("runs").asLong());
        // Structured witnesses name decisions; outcomes come as maps.
        assertTrue(r.out().contains("{\"point\":\"do_swap_page.stable_writes\",\"value\":\"false\"}"));
        assertTrue(r.out().contains("\"values\":{\"0:x\":"), r.out().substring(0, 400));
    }

    @Test
    void fullStatesStoppedRunsAndVersionsToo() throws Exception {
        validLines(Cli.run("run", "--json", "--full", "--witness", "--variant", "part3-v2,6.6",
                "litmus/history/seed-stable-writes.litmus").out());
        List<JsonNode> stopped = validLines(Cli.run("run", "--json", "--max-states", "50", "bench/medium-2proc.litmus").out());
        assertEquals("max-states", stopped.get(0).get("stop").asText());
        assertEquals("Unknown", stopped.get(0).get("observation").asText());
    }

    @Test
    void errorsAreObjectsToo() throws Exception {
        Cli.Result r = Cli.run("run", "--json", "no/such.litmus");
        assertEquals(Main.BAD_INPUT, r.status());
        JsonNode e = validLines(r.out()).get(0);
        assertEquals("error", e.get("kind").asText());
        assertTrue(e.get("message").asText().startsWith("no/such.litmus:1:1: "), e.toString());
        // The schema does reject what it should.
        assertTrue(!schema().validate(MAPPER.readTree("{\"schema\":2,\"kind\":\"error\"}")).isEmpty());
        assertTrue(!schema().validate(MAPPER.readTree("{\"schema\":2,\"kind\":\"error\",\"message\":\"m\",\"x\":1}")).isEmpty());
    }

    @Test
    void theRealSummaryObject() throws Exception {
        org.mmcheck.real.RealRun.Summary s = new org.mmcheck.real.RealRun.Summary();
        s.tests = 2;
        s.testsRun = 1;
        s.schedules = 3;
        s.steps = 12;
        s.stepsAgreeing = 12;
        s.kernelRelease = "6.1.0-x";
        JsonNode o = validLines(s.json("6.1")).get(0);
        assertEquals("FULL AGREEMENT", o.get("verdict").asText());
        org.mmcheck.real.RealRun.Summary none = new org.mmcheck.real.RealRun.Summary();
        assertEquals("NOTHING COMPARED", validLines(none.json("6.1")).get(0).get("verdict").asText());
    }

    @Test
    void theSchemaKnowsEveryFlag() throws Exception {
        JsonNode flags = MAPPER.readTree(Files.readString(Path.of("docs/schema/run-output.schema.json")))
                .get("$defs").get("flag").get("enum");
        Set<String> inSchema = new TreeSet<>();
        flags.forEach(f -> inSchema.add(f.asText()));
        assertEquals(new TreeSet<>(Flags.ALL), inSchema);
    }
}
