package org.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code --por on|off} on run and diff: same answers either way, fewer states with it, bad values refused. */
class PorOptionTest {
    private static long explored(String out) {
        Matcher m = Pattern.compile("(?m)^Explored (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        return Long.parseLong(m.group(1));
    }

    private static String withoutCounts(String out) {
        return out.replaceAll("(?m)^(Explored|Time) .*\\n", "");
    }

    @Test
    void offExploresMoreStatesWithTheSameAnswers() {
        Cli.Result on = Cli.run("run", "--variant", "6.12", "bench/ptlock-independent.litmus");
        Cli.Result off = Cli.run("run", "--variant", "6.12", "--por", "off", "bench/ptlock-independent.litmus");
        assertEquals(0, on.status(), on.toString());
        assertEquals(0, off.status(), off.toString());
        assertEquals(withoutCounts(off.out()), withoutCounts(on.out()));
        assertTrue(explored(on.out()) < explored(off.out()), on.out() + off.out());
        Cli.Result explicit = Cli.run("run", "--variant", "6.12", "--por", "on", "bench/ptlock-independent.litmus");
        assertEquals(explored(on.out()), explored(explicit.out()));
    }

    @Test
    void anAtomicTestIsTheSameEitherWay() {
        Cli.Result on = Cli.run("run", "--variant", "5.19", "litmus/cow-after-fork.litmus");
        Cli.Result off = Cli.run("run", "--variant", "5.19", "--por", "off", "litmus/cow-after-fork.litmus");
        assertEquals(explored(off.out()), explored(on.out()));
    }

    @Test
    void badValuesAreRefused() {
        for (String cmd : new String[] {"run", "diff"}) {
            Cli.Result r = cmd.equals("run")
                    ? Cli.run("run", "--por", "maybe", "litmus/cow-after-fork.litmus")
                    : Cli.run("diff", "--base", "5.19", "--variant", "6.1", "--por", "maybe", "litmus/cow-after-fork.litmus");
            assertEquals(2, r.status(), r.toString());
            assertTrue(r.err().contains("--por must be on or off, not 'maybe'"), r.err());
        }
    }
}
