package org.mmcheck.real;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a dead guest leaves to run again, without booting one. */
class GuestTest {
    private static Guest.Job job(String id) {
        return new Guest.Job(id, Path.of("/tmp/" + id.substring(0, id.indexOf('s'))), "/dev/vda", "P0");
    }

    private static final String DIED = String.join("\n",
            "@@ KERNEL 6.12.95+deb12-cloud-amd64 #1 SMP",
            "@@ RUN t1s1",
            "@@ STEP 0 init ok",
            "@@ DONE t1s1 0",
            "@@ RUN t1s10",
            "@@ STEP 0 init ok",
            "[    5.921208] RIP: 0033:0x4610d3",
            "[    5.922280] RIP: 0010:kmem_cache_alloc_noprof+0xc3/0x2f0",
            "[    5.922471] Kernel panic - not syncing: Fatal exception in interrupt",
            "");

    @Test
    void theJobCutShortAndThoseAfterItAreLeft() {
        List<Guest.Job> jobs = List.of(job("t1s1"), job("t1s10"), job("t2s0"));
        assertEquals(List.of("t1s10", "t2s0"), Guest.unfinished(jobs, DIED).stream().map(Guest.Job::id).toList());
        assertEquals(List.of(), Guest.unfinished(jobs.subList(0, 1), DIED));
    }

    @Test
    void theOopsLineSaysWhy() {
        assertEquals("RIP: 0010:kmem_cache_alloc_noprof+0xc3/0x2f0", Guest.crashLine(DIED));
        assertEquals("no oops on the console: timed out or QEMU failed", Guest.crashLine("@@ RUN t0s0\n"));
    }

    /** A job cut short in one boot and run again in the next counts once, with its whole run. */
    @Test
    void parseKeepsTheRerun() {
        String again = DIED + String.join("\n", "@@ KERNEL 6.12.95", "@@ RUN t1s10", "@@ STEP 0 init ok",
                "@@ END", "@@ DONE t1s10 0", "@@ RUN t2s0", "@@ END", "@@ DONE t2s0 0", "@@ BOOT-END", "");
        var runs = RealTrace.parse(again, 0);
        assertEquals(List.of("t1s1", "t1s10", "t2s0"), List.copyOf(runs.keySet()));
        assertEquals(true, runs.get("t1s10").complete());
        assertEquals(1, runs.get("t1s10").steps().size());
    }
}
