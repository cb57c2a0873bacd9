package org.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * {@code run --html} in a real browser: Debian's headless Chromium, driven through chromedriver,
 * opens the page for the seed test and is used as a reviewer would: click, keys, read the drawing.
 */
class HtmlViewerBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @Test
    void theSeedReportWorksInChromium(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "needs Debian's chromium and chromium-driver (.ci/run installs them); skipped without them");
        Path page = dir.resolve("seed.html");
        Cli.Result r = Cli.run("run", "--variant", "5.19,part3-v2", "--html", page.toString(),
                "litmus/history/seed-stable-writes.litmus", "litmus/cow-after-fork.litmus");
        assertEquals(0, r.status(), r.toString());
        String html = Files.readString(page);
        // Self-contained: nothing is loaded from anywhere.
        assertFalse(html.matches("(?s).*(src|href)\\s*=\\s*[\"'](https?:)?//.*"), "no external resources");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
        WebDriver d = new ChromeDriver(service, options);
        try {
            d.get(page.toUri().toString());
            WebElement cell = d.findElement(By.cssSelector("td.cell[data-test='seed-stable-writes'][data-variant='part3-v2']"));
            assertTrue(cell.getText().contains("stable-write"), cell.getText());
            assertFalse(d.findElement(By.cssSelector("td.cell[data-test='seed-stable-writes'][data-variant='5.19']"))
                    .getText().contains("stable-write"));
            cell.click();

            List<WebElement> witnesses = d.findElements(By.cssSelector("#witnesses button"));
            assertEquals(1, witnesses.size());
            assertEquals("flag stable-write (3 steps)", witnesses.get(0).getText());
            // One column per actor: the process and the kernel thread.
            List<String> heads = d.findElements(By.cssSelector("#timeline th")).stream().map(WebElement::getText).toList();
            assertEquals(List.of("#", "P0", "K0"), heads);

            // Keys: two steps down is P0's store into the page under writeback.
            d.findElement(By.tagName("body")).sendKeys(Keys.ARROW_DOWN, Keys.ARROW_DOWN);
            assertEquals("2", d.findElement(By.cssSelector("#timeline tr.selected")).getAttribute("data-step"));
            String info = d.findElement(By.id("stepinfo")).getText();
            assertTrue(info.startsWith("Step 3 of 3: P0: *x = 2;"), info);
            assertTrue(info.contains("do_swap_page.stable_writes = false"), info);
            assertTrue(info.contains("!! stable-write"), info);
            WebElement pageBox = d.findElement(By.cssSelector("#drawing .box[data-id='page#0']"));
            String classes = pageBox.getAttribute("class");
            assertTrue(classes.contains("writeback") && classes.contains("excl") && classes.contains("changed"), classes);
            assertFalse(d.findElements(By.cssSelector("#arrows line[data-from='P0:x'][data-to='page#0']")).isEmpty());

            // Click: step 2, after reclaim's second half, the PTE names the swap slot.
            d.findElement(By.cssSelector("#timeline tr[data-step='1'] td.step")).click();
            WebElement pte = d.findElement(By.cssSelector("#drawing .box[data-id='P0:x']"));
            assertTrue(pte.getText().contains("swp(slot#0,excl)"), pte.getText());
            assertFalse(d.findElements(By.cssSelector("#arrows line[data-from='P0:x'][data-to='slot#0']")).isEmpty());

            // A link can open one step (the screenshot in docs/ is taken that way).
            d.get(page.toUri() + "#test=seed-stable-writes&variant=part3-v2&witness=1&step=3");
            d.navigate().refresh();
            assertTrue(d.findElement(By.id("stepinfo")).getText().startsWith("Step 3 of 3: P0: *x = 2;"));

            long loaded = (Long) ((JavascriptExecutor) d).executeScript(
                    "return performance.getEntriesByType('resource').length;");
            assertEquals(0, loaded, "the page fetched nothing");
        } finally {
            d.quit();
        }
    }
}
