package io.meshplay.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.meshplay.cli.catalog.Catalog;
import io.meshplay.cli.catalog.Health;
import io.meshplay.cli.catalog.InstanceView;
import picocli.CommandLine.Command;

/** {@code meshplay services}: every registered service, its instance count and health summary. */
@Command(name = "services", description = {"List every registered service with its instance count and health.",
        "With registry.type=consul unhealthy instances count too; other registries show healthy ones only."})
final class ServicesCommand extends CliCommand {

    @Override
    protected int run(Session session) {
        Catalog catalog = session.catalog();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String service : catalog.services()) {
            List<InstanceView> instances = catalog.instances(service);
            long passing = instances.stream().filter(i -> Health.PASSING.equals(i.status())).count();
            long warning = instances.stream().filter(i -> Health.WARNING.equals(i.status())).count();
            long critical = instances.stream().filter(i -> Health.CRITICAL.equals(i.status())).count();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("service", service);
            row.put("instances", instances.size());
            row.put("passing", passing);
            row.put("warning", warning);
            row.put("critical", critical);
            row.put("health", instances.isEmpty() ? "no instances"
                    : passing == instances.size() ? "all passing" : passing + "/" + instances.size() + " passing");
            row.put("versions", instances.stream().map(i -> i.instance().version()).filter(v -> !v.isEmpty()).distinct().sorted().toList());
            rows.add(row);
        }
        session.output().list(rows, List.of("service", "instances", "health", "versions"));
        return ExitCodes.OK;
    }
}
