package org.troupe.server.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.troupe.cli.TroupeCli;
import org.troupe.member.Group;
import org.troupe.member.Troupe;
import org.troupe.server.JavaProcess;
import org.troupe.server.TroupeProcesses;

/**
 * The operator console as a person sees it, in a real headless Chromium (Debian's
 * {@code chromium} and {@code chromium-driver}, driven by Selenium): a server in its own JVM
 * with {@code --http-port}, two members in this JVM and one in a JVM of its own; the page shows
 * the group with its three members, its roles and its channel (marked as a group's); when the
 * third member's process is killed (SIGKILL), its crash shows within seconds: a view change with
 * cause "crashed", and the member gone from the group. Screenshots go to target/screenshots/.
 * Skipped, saying why, where Chromium or its driver is not installed.
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** The server's suspect time: a silent member is removed after it (and the reaper's period). */
    private static final long SUSPECT_MS = 3_000;
    private static final Path SHOTS = Path.of("target", "screenshots");

    private JavaProcess server;
    private String iiop;
    private String http;
    private ChromeDriver browser;
    private Path profile;

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the console's browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                        + " (Debian: apt-get install chromium chromium-driver; .ci/run installs them)");
        int port = JavaProcess.freePort();
        int httpPort = JavaProcess.freePort();
        iiop = "127.0.0.1:" + port;
        http = "http://127.0.0.1:" + httpPort + "/";
        server = TroupeProcesses.startServer("server", port, List.of("--no-naming", "--http-port",
                Integer.toString(httpPort), "--heartbeat", "500", "--suspect", Long.toString(SUSPECT_MS)));
        Files.createDirectories(SHOTS);
        profile = Files.createTempDirectory("troupe-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1100", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aLiveGroupAndAMembersCrashShowInTheConsole() throws Exception {
        TroupeProcesses.Result created = TroupeProcesses.run("groups", "create", "class-101", "--server", iiop,
                "--roles", "Teacher:1:1,Student:2:n", "--types", "Question,Answer", "--protocol", "tele-teaching");
        assertEquals(0, created.exitCode(), created.describe());
        try (Troupe a = Troupe.connect(iiop); Troupe b = Troupe.connect(iiop);
             JavaProcess bob = JavaProcess.start("bob", TroupeProcesses.JVM_ARGS, TroupeCli.class, List.of("member",
                     "--server", iiop, "--group", "class-101", "--role", "Student", "--name", "bob"))) {
            Group tess = a.join("class-101", "Teacher", "tess");
            Group ann = b.join("class-101", "Student", "ann");
            bob.awaitPrefix("joined class-101 as ", TroupeProcesses.START_TIMEOUT_MS);
            // traffic for the rates chart: a question and an answer every 40 ms, more every other second
            java.util.concurrent.atomic.AtomicBoolean talking = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread traffic = new Thread(() -> {
                try {
                    for (int i = 0; talking.get(); i++) {
                        int burst = (i / 25) % 2 == 0 ? 1 : 3;
                        for (int k = 0; k < burst; k++) {
                            tess.send("Question", ("q" + i).getBytes(StandardCharsets.UTF_8));
                            ann.send("Answer", ("a" + i).getBytes(StandardCharsets.UTF_8));
                        }
                        Thread.sleep(40);
                    }
                } catch (Exception e) {
                    if (talking.get()) {
                        throw new IllegalStateException(e);
                    }
                }
            }, "console-traffic");
            traffic.setDaemon(true);
            traffic.start();

            browser.get(http);
            WebDriverWait wait = waiting(Duration.ofSeconds(20));
            String card = "#group-class-101";
            wait.withMessage("the group and its three members").until(d -> d.findElements(
                    By.cssSelector(card + " tr.member")).size() == 3);
            for (String who : List.of("tess", "ann", "bob")) {
                int rows = wait.until(d -> d.findElements(By.cssSelector(card + " tr.member[data-name='" + who
                        + "']")).size());
                assertEquals(1, rows, who + " in the group:\n" + text(card));
            }
            String text = text(card);
            assertTrue(text.contains("complete") && text.contains("tele-teaching"), text);
            assertTrue(text.contains("sequencer on the server"), text);
            assertTrue(text(card + " tr[data-role='Student']").contains("met"), text);
            // heartbeat ages shown in ms or s for every member
            wait.withMessage("heartbeat ages").until(d -> d.findElements(By.cssSelector(card + " td.heartbeat"))
                    .stream().allMatch(td -> td.getText().matches("[0-9.]+ m?s")));
            String channel = text("#channels tr.channel[data-name='group.class-101'][data-kind='group']");
            assertTrue(channel.contains("group channel"), channel);
            // a few samples (every 2 s) drawn as a line
            waiting(Duration.ofSeconds(30)).withMessage("the rates chart")
                    .until(d -> d.findElements(By.cssSelector("#rates svg path")).stream()
                            .anyMatch(p -> p.getAttribute("d").split("L").length >= 8));
            talking.set(false);
            traffic.join(5_000);
            shot("console-live.png");

            long killed = System.nanoTime();
            bob.signal("KILL");
            WebDriverWait crash = waiting(Duration.ofMillis(SUSPECT_MS + 10_000));
            crash.withMessage("bob's crash in the view changes").until(d -> !d.findElements(By.cssSelector(
                    "#views tr.change[data-group='class-101'][data-name='bob'][data-cause='crashed']")).isEmpty());
            crash.withMessage("bob gone from the group").until(d -> d.findElements(
                    By.cssSelector(card + " tr.member[data-name='bob']")).isEmpty()
                    && d.findElements(By.cssSelector(card + " tr.member")).size() == 2);
            long shownMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            String after = text(card);
            assertTrue(after.contains("incomplete") && after.contains("Student needs at least 2, has 1"),
                    "a Student short, and why:\n" + after);
            shot("console-crash.png");
            System.out.println("console: bob's crash shown " + shownMs + " ms after SIGKILL (suspect time "
                    + SUSPECT_MS + " ms)");
            tess.leave();
            ann.leave();
        }
    }

    /** A wait that polls every 100 ms and retries past elements that the page's redraw replaced. */
    private WebDriverWait waiting(Duration timeout) {
        WebDriverWait w = new WebDriverWait(browser, timeout, Duration.ofMillis(100));
        w.ignoring(StaleElementReferenceException.class);
        return w;
    }

    /** The text of the element {@code css} selects, read between two redraws (10 s at most). */
    private String text(String css) {
        return waiting(Duration.ofSeconds(10)).withMessage(css).until(d -> d.findElement(By.cssSelector(css)).getText());
    }

    private void shot(String name) throws Exception {
        Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, SHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
