package io.meshplay.dashboard;

import java.time.Duration;
import java.util.UUID;

import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.azurite.Azurite;
import io.meshplay.testing.azurite.AzuriteExtension;
import io.meshplay.testing.browser.BrowserSession;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard as a person sees it, in real headless chromium at 1280x800, against real Consul, Azurite and two
 * example servers: both instances shown, one stopped disappears without a reload within 10 s, a poisoned message
 * shows with its reason and is replayed with its button, another is purged after the confirmation dialog. (A call
 * from the form needs the gateway's routes: that test is apps/gateway's DashboardThroughGatewayTest.)
 */
@ExtendWith({ConsulExtension.class, AzuriteExtension.class})
class DashboardBrowserTest {

    private static final Duration PAGE = Duration.ofSeconds(30);

    @Test
    void showsInstancesLiveAndReplaysAPoisonedMessage(ConsulAgent consul, Azurite azurite) throws Exception {
        try (DashboardFixture mesh = new DashboardFixture(consul, azurite, "dash-ui-" + UUID.randomUUID().toString().substring(0, 8))) {
            MeshplayServer first = mesh.startExample();
            MeshplayServer second = mesh.startExample();
            String firstId = first.instance().id();
            String secondId = second.instance().id();
            try (BrowserSession page = BrowserSession.open(mesh.url("/"), PAGE)) {
                page.waitForText(firstId, PAGE);
                page.waitForText(secondId, PAGE);
                page.waitForText("2 instance(s), 2 passing", PAGE);
                assertThat(page.count("#mesh tr[data-instance]")).isEqualTo(2);
                assertThat(page.documentSize()[0]).as("no horizontal scrolling at 1280 px").isLessThanOrEqualTo(1280);

                long stopped = System.nanoTime();
                second.close();
                page.waitForTextGone(secondId, Duration.ofSeconds(10));
                Duration gone = Duration.ofNanos(System.nanoTime() - stopped);
                assertThat(gone).as("removed without a reload").isLessThan(Duration.ofSeconds(10));
                page.waitForText("1 instance(s), 1 passing", PAGE);
                assertThat(page.text()).contains(firstId);

                String messageId = "ui-" + UUID.randomUUID();
                mesh.publish(messageId, "not a greeting");
                page.waitForText(DashboardFixture.POISON_REASON, PAGE);
                page.waitForText(messageId, PAGE);
                page.click("button", "Replay " + mesh.queue() + "-poison", PAGE);
                page.waitForText("Replayed 1 message(s) from " + mesh.queue() + "-poison to " + mesh.queue() + ".", PAGE);
                await().atMost(PAGE).until(() -> mesh.handled().contains(messageId));
                page.waitForTextGone(DashboardFixture.POISON_REASON, PAGE);

                String doomed = "ui-purge-" + UUID.randomUUID();
                mesh.publish(doomed, "also not a greeting");
                page.waitForText(doomed, PAGE);
                String purge = "Purge " + mesh.queue() + "-poison…";
                page.click("button", purge, PAGE);
                page.waitForText("Delete about 1 message(s) from " + mesh.queue() + "-poison?", PAGE);
                page.click("button", "Cancel", PAGE);
                page.waitForText("Nothing deleted.", PAGE);
                assertThat(page.text()).contains(doomed);
                page.click("button", purge, PAGE);
                page.click("button", "Delete them", PAGE);
                page.waitForText("Purged about 1 message(s) from " + mesh.queue() + "-poison.", PAGE);
                page.waitForTextGone(doomed, PAGE);
                assertThat(mesh.handled()).doesNotContain(doomed);
                assertThat(page.scriptErrors()).as("the page's script raised no error").isEmpty();
                page.screenshot();
            }
        }
    }
}
