package io.meshplay.dashboard;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.helidon.config.Config;
import io.meshplay.config.Option;
import io.meshplay.config.Options;

/**
 * The {@code dashboard} keys. The link defaults are where {@code make demo} runs Consul, Prometheus and Zipkin; a
 * blank value turns that link off.
 *
 * @param consulUi       Consul's UI, for links to services and intentions
 * @param prometheus     Prometheus' UI, for links to a service's call-rate graph
 * @param zipkin         Zipkin's UI, for links to a service's traces
 * @param queues         the queues whose length and poison messages are shown (a broker cannot list its queues)
 * @param refresh        how often the page asks for fresh data
 * @param scrapeInterval how often each instance's metrics endpoint is read for call rates
 * @param scrapeTimeout  how long one metrics read may take
 */
public record DashboardOptions(Optional<URI> consulUi, Optional<URI> prometheus, Optional<URI> zipkin, List<String> queues,
                               Duration refresh, Duration scrapeInterval, Duration scrapeTimeout) {

    public static final String DEFAULT_CONSUL_UI = "http://127.0.0.1:8500/ui/dc1";
    public static final String DEFAULT_PROMETHEUS = "http://127.0.0.1:9090";
    public static final String DEFAULT_ZIPKIN = "http://127.0.0.1:9411/zipkin";

    static final Option<String> CONSUL_UI = url("consul-ui-url",
            "Consul's UI of the datacenter (…/ui/<dc>), linked from services and intentions", DEFAULT_CONSUL_UI);
    static final Option<String> PROMETHEUS = url("prometheus-url", "Prometheus, linked from call rates", DEFAULT_PROMETHEUS);
    static final Option<String> ZIPKIN = url("zipkin-url", "Zipkin's UI, linked from services", DEFAULT_ZIPKIN);
    static final Option<List<String>> QUEUES = Option.list("queues",
                    "queues shown with their length and poison messages (brokers cannot list their queues)")
            .defaultValue(List.of("sample-queue"));
    static final Option<Duration> REFRESH = Option.duration("refresh-interval", "how often the page asks for fresh data")
            .range(Duration.ofMillis(200), Duration.ofMinutes(1)).defaultValue(Duration.ofSeconds(2));
    static final Option<Duration> SCRAPE_INTERVAL = Option.duration("scrape-interval",
                    "how often each instance's /observe/metrics is read to compute calls per second")
            .range(Duration.ofMillis(100), Duration.ofMinutes(5)).defaultValue(Duration.ofSeconds(5));
    static final Option<Duration> SCRAPE_TIMEOUT = Option.duration("scrape-timeout", "how long one metrics read may take")
            .range(Duration.ofMillis(50), Duration.ofSeconds(30)).defaultValue(Duration.ofSeconds(2));

    /** The keys under {@code dashboard}, for {@code --help} and the unknown-key check. */
    public static final Options OPTIONS = Options.of(CONSUL_UI, PROMETHEUS, ZIPKIN, QUEUES, REFRESH, SCRAPE_INTERVAL,
            SCRAPE_TIMEOUT).under("dashboard");

    public DashboardOptions {
        queues = List.copyOf(queues);
    }

    /** @param node the {@code dashboard} node; a bad value fails naming its key */
    public static DashboardOptions from(Config node) {
        return new DashboardOptions(link(node, CONSUL_UI), link(node, PROMETHEUS), link(node, ZIPKIN), QUEUES.get(node),
                REFRESH.get(node), SCRAPE_INTERVAL.get(node), SCRAPE_TIMEOUT.get(node));
    }

    /** Defaults only, for tests and embedders without config. */
    public static DashboardOptions defaults() {
        return from(Config.empty());
    }

    private static Option<String> url(String key, String description, String defaultUrl) {
        return Option.string(key, description + " (set blank: no link)").check(DashboardOptions::isHttpUrl,
                "an http(s) URL such as " + defaultUrl).defaultValue(defaultUrl);
    }

    // blank means "no link" here, where Option reads blank as unset (the default)
    private static Optional<URI> link(Config node, Option<String> option) {
        Config value = node.get(option.key());
        if (value.exists() && value.isLeaf() && value.asString().map(String::isBlank).orElse(false)) {
            return Optional.empty();
        }
        return Optional.of(URI.create(stripSlash(option.get(node))));
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI uri = URI.create(text);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
