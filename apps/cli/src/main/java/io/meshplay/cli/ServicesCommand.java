package io.meshplay.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.meshplay.registry.HealthStatus;
import io.meshplay.registry.InstanceHealth;
import io.meshplay.registry.RegistryInspection;
import picocli.CommandLine.Command;

/** {@code meshplay services}: every registered service, its instance count and health summary. */
@Command(name = "services", description = {"List every registered service with its instance count and health.",
        "Unhealthy instances count too (consul); the memory registry's instances are all passing.",
        "Needs a registry that can be inspected (consul, memory)."})
final class ServicesCommand extends CliCommand {

    @Override
    protected int run(Session session) {
        RegistryInspection inspection = session.inspection();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String service : inspection.services()) {
            List<InstanceHealth> instances = inspection.instances(service);
            long passing = instances.stream().filter(i -> i.status() == HealthStatus.PASSING).count();
            long warning = instances.stream().filter(i -> i.status() == HealthStatus.WARNING).count();
            long critical = instances.stream().filter(i -> i.status() == HealthStatus.CRITICAL).count();
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
        if (rows.isEmpty()) {
            // stderr: stdout stays the (empty) list scripts parse
            inspection.hidingNote().ifPresent(note -> session.err().println("meshplay: no services shown; " + note));
        }
        return ExitCodes.OK;
    }
}
