package io.meshplay.cli;

import java.util.List;

import io.meshplay.registry.InstanceHealth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code meshplay describe <service>}: each instance with its address, version, tags, metadata and checks. */
@Command(name = "describe", description = "Show every instance of a service: id, address, version, tags, metadata, "
        + "health checks with their status and output.")
final class DescribeCommand extends CliCommand {

    @Parameters(index = "0", paramLabel = "<service>", description = "The service name, e.g. example.")
    String service;

    @Override
    protected int run(Session session) {
        Names.service(service);
        List<InstanceHealth> instances = Lookup.instances(session.inspection(), service);
        if (instances.isEmpty() && !session.output().json()) {
            session.err().println("meshplay: service '" + service + "' is registered but has no instances");
        }
        session.output().records(instances.stream().map(InstanceView::of).toList());
        return ExitCodes.OK;
    }
}
