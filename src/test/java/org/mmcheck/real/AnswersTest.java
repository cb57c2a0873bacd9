package org.mmcheck.real;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmcheck.litmus.Ast;
import org.mmcheck.sem.LitmusModel;
import org.mmcheck.sem.Program;
import org.mmcheck.variant.Variants;

/** The kernel's final outcomes beside the model's, and the condition judged on both. */
class AnswersTest {
    /** One run of seed-stable-writes' schedule K0,P0,W whose final read of x gives {@code x}. */
    private static RealTrace.Run run(int x) {
        String console = String.join("\n",
                "@@ RUN t0s0", "@@ BEGIN K0+,P0+,W",
                "@@ STEP 0 init ok", "@@ PROC 0 live 0", "@@ PAGE 0 0 P 10 5808 1",
                "@@ STEP 1 K0+ ok", "@@ PROC 0 live 0", "@@ PAGE 0 0 S 32 0 0",
                "@@ STEP 2 P0+ ok", "@@ PROC 0 live 0", "@@ PAGE 0 0 P 11 400005808 1",
                "@@ STEP 3 W ok", "@@ PROC 0 live 0", "@@ PAGE 0 0 P 11 400005808 1",
                "@@ FINAL 0 0 " + x, "@@ END", "@@ DONE t0s0 0");
        return RealTrace.parse(console, 1).get("t0s0");
    }

    @Test
    void theKernelsFinalValuesAreJudgedByTheTestsCondition() throws Exception {
        Ast.Test t = RealModelTest.test("history/seed-stable-writes.litmus");
        Schedules sch = new Schedules(new LitmusModel(t, Variants.policy("6.1")), Schedules.Writeback.STEPS);
        List<Schedules.ModelStep> steps = sch.follow(new Schedules.Schedule(List.of("K0", "P0", "W")));

        Answers same = new Answers(new Program(t), t.condition());
        same.add(sch.outcome(steps), run(2));
        assertFalse(same.differ());
        List<String> lines = same.lines();
        assertTrue(lines.get(0).endsWith("kernel 1 outcome(s), model 1, the same"), lines.toString());
        assertEquals("exists (0:x=1): kernel fails (0 of 1 outcome(s) satisfy it), model fails (0 of 1 outcome(s)"
                + " satisfy it)", lines.get(1));

        // a kernel that lost the store: the answers differ, and the condition holds on the kernel
        Answers lost = new Answers(new Program(t), t.condition());
        lost.add(sch.outcome(steps), run(1));
        assertTrue(lost.differ());
        assertTrue(lost.lines().contains("  kernel only: 0:x=1;"), lost.lines().toString());
        assertTrue(lost.lines().get(lost.lines().size() - 1).startsWith("exists (0:x=1): kernel holds"));
    }
}
