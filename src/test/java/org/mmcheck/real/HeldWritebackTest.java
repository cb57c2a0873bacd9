package org.mmcheck.real;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmcheck.litmus.Ast;
import org.mmcheck.sem.LitmusModel;
import org.mmcheck.variant.Variants;

/**
 * Writeback as a schedule step (the swap device held by dm suspend), without a kernel: the model's
 * schedules, the driver's markers, what is refused, and the writeback bit on both sides.
 */
class HeldWritebackTest {
    private static Schedules steps(String file, String variant) throws Exception {
        Ast.Test t = RealModelTest.test(file);
        return new Schedules(new LitmusModel(t, Variants.policy(variant)), Schedules.Writeback.STEPS);
    }

    private static List<String> texts(Schedules sch) {
        List<String> out = new ArrayList<>();
        for (Schedules.Schedule s : sch.enumerate(0)) out.add(s.text());
        return out;
    }

    @Test
    void writebackCompletionIsAStepThatMayComeAnywhereAfterTheWrite() throws Exception {
        Schedules sch = steps("history/seed-stable-writes.litmus", "6.1");
        assertEquals(List.of("P0,K0,W", "K0,P0,W", "K0,W,P0"), texts(sch));
        // settled, the same test has only the two orders of its statements
        Ast.Test t = RealModelTest.test("history/seed-stable-writes.litmus");
        List<String> settled = new ArrayList<>();
        for (var s : new Schedules(new LitmusModel(t, Variants.policy("6.1"))).enumerate(0)) settled.add(s.text());
        assertEquals(List.of("P0,K0", "K0,P0"), settled);
    }

    @Test
    void theDriverHoldsTheDeviceForEveryStepAfterWhichAWriteIsInFlight() throws Exception {
        Schedules sch = steps("history/seed-stable-writes.litmus", "6.1");
        Schedules.Schedule s = new Schedules.Schedule(List.of("K0", "P0", "W"));
        assertEquals("K0+,P0+,W", sch.driverText(s, sch.follow(s)));
        Schedules.Schedule later = new Schedules.Schedule(List.of("K0", "W", "P0"));
        assertEquals("K0+,W,P0", sch.driverText(later, sch.follow(later)));
    }

    @Test
    void theOwnersStoreUnderWritebackCopiesOn61AndWritesInPlaceOnPart3v2() throws Exception {
        Schedules.Schedule s = new Schedules.Schedule(List.of("K0", "P0", "W"));
        Schedules fixed = steps("history/seed-stable-writes.litmus", "6.1");
        Obs.PageObs afterStore = fixed.observe(2, fixed.follow(s).get(2)).procs().get(0).pages().get(0);
        assertEquals(Obs.Kind.PRESENT, afterStore.kind());
        assertFalse(afterStore.writeback(), "6.1 maps a copy: the page under writeback is left alone");

        Schedules v2 = steps("history/seed-stable-writes.litmus", "part3-v2");
        Obs.PageObs inPlace = v2.observe(2, v2.follow(s).get(2)).procs().get(0).pages().get(0);
        assertTrue(inPlace.writeback(), "part3-v2 maps the page still under writeback, writable");
        assertTrue(inPlace.swapcache());

        // and the kernel's answer decides between them: the writeback bit is compared
        Compare cmp = new Compare(new org.mmcheck.sem.Program(RealModelTest.test("history/seed-stable-writes.litmus")));
        Obs.Step model = v2.observe(2, v2.follow(s).get(2));
        Obs.Step kernel = fixed.observe(2, fixed.follow(s).get(2));
        List<String> d = cmp.diff(model, kernel);
        assertTrue(d.contains("P0:x: writeback model true, kernel false"), d.toString());
    }

    @Test
    void aStepThatWaitsForAHeldWriteReleasesTheDeviceFirst() throws Exception {
        Schedules sch = steps("swap/swapoff-restores.litmus", "6.1");
        int marked = 0;
        for (Schedules.Schedule s : sch.enumerate(0)) {
            List<Schedules.ModelStep> st = sch.follow(s);
            assertNull(sch.scheduleLimit(s, st), s.text());
            String text = sch.driverText(s, st);
            if (text.contains("K0-")) marked++;
        }
        assertTrue(marked > 0, "swapoff after a page-out whose write is held waits for it");
    }

    @Test
    void kpageflagsWritebackBitIsRead() {
        // PG_writeback is bit 8 of /proc/kpageflags
        Obs.PageObs p = RealTrace.page("P", 7, (1L << 8) | (1L << 12) | (1L << 13), 1);
        assertTrue(p.writeback() && p.swapcache());
        assertFalse(RealTrace.page("P", 7, 1L << 12, 1).writeback());
    }

    @Test
    void bzImageReleaseComesFromTheBootHeader(@TempDir Path dir) throws IOException {
        byte[] img = new byte[0x400];
        img[0x202] = 'H';
        img[0x203] = 'd';
        img[0x204] = 'r';
        img[0x205] = 'S';
        int at = 0x300;
        img[0x20E] = (byte) ((at - 0x200) & 0xff);
        img[0x20F] = (byte) ((at - 0x200) >> 8);
        byte[] v = "6.1.176-mmcheck (root@x) #1 SMP".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(v, 0, img, at, v.length);
        Path f = dir.resolve("bzImage");
        Files.write(f, img);
        assertEquals("6.1.176-mmcheck", Guest.bzImageRelease(f));
        Path junk = dir.resolve("junk");
        Files.write(junk, new byte[0x400]);
        IOException e = assertThrows(IOException.class, () -> Guest.bzImageRelease(junk));
        assertTrue(e.getMessage().contains("not an x86 bzImage"), e.getMessage());
    }
}
