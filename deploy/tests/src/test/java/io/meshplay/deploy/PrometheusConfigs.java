package io.meshplay.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.meshplay.deploy.DeployFiles.at;

/** The parts of a Prometheus config the deploy tests compare. */
final class PrometheusConfigs {

    private PrometheusConfigs() {
    }

    /** The meshplay scrape job (the only one the configs define). */
    static Map<String, Object> job(Map<String, Object> config) {
        List<Map<String, Object>> jobs = at(config, "scrape_configs");
        return jobs.stream().filter(j -> "meshplay".equals(j.get("job_name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no job_name: meshplay in " + config));
    }

    /** host:port of every consul_sd server. */
    static List<String> consulServers(Map<String, Object> config) {
        List<String> servers = new ArrayList<>();
        List<Map<String, Object>> sd = at(job(config), "consul_sd_configs");
        sd.forEach(s -> servers.add(String.valueOf(s.get("server"))));
        return servers;
    }
}
