#!/usr/bin/env python3
"""Adapts deploy/k8s for `podman kube play` 4.3 (deploy/local/kube-test) and says what it changed.

usage: kube-adapt.py <k8s dir> <out dir> <name prefix>

Writes one file per workload (NN-<name>.yaml, in kustomization.yaml's order) and prints one line per
file: file, the network alias its pods get (a Service's name, or -; "=secret <name>" for a Secret), then its readiness checks as
`container|http|port|path` or `container|tcp|port`. Every change is printed to stderr as `changed: ...`,
so the test's log says exactly what was not run as written. Why each change (podman 4.3.1):
- Namespace, Service, Job are not kinds it plays; a Service's name becomes a network alias of the
  pods it selects (so consul:8500 resolves), a Job's pod template is played as a Pod.
- It publishes every containerPort on the host at the same number (newer podman does not), which
  would collide with whatever runs here: ports are dropped and named probe ports made numeric.
- env fieldRef status.podIP is refused: the variable is dropped, and the server then advertises the
  address its host name resolves to, which in a pod is the pod's IP, the value the fieldRef gives.
- Debian's Prometheus (the local stand-in for prom/prometheus) has no consul_sd: the ConfigMap's
  prometheus.yml is replaced by http_sd against the server Service's /observe/prometheus-sd.
- secretKeyRef reads a podman secret holding a JSON object of key -> base64 value, and a played Secret
  is stored as YAML: the Secret is made with `podman secret create` in that form instead (the alias
  column says "=secret <name>").
- An emptyDir becomes a machine-wide named volume under the volume's own name (azurite's and
  prometheus' "data" would be one): volume names get the prefix and the workload's name.
- Names get a prefix, since podman's pods, containers and secrets are global on the machine.
"""
import base64
import json
import sys
from pathlib import Path

import yaml

IMAGES = {
    "hashicorp/consul": "localhost/meshplay-local/consul:local",
    "mcr.microsoft.com/azure-storage/azurite": "localhost/meshplay-local/azurite:local",
    "prom/prometheus": "localhost/meshplay-local/prometheus:local",
}
PROMETHEUS_HTTP_SD = """global:
  scrape_interval: 5s
  evaluation_interval: 5s
scrape_configs:
  - job_name: meshplay
    http_sd_configs:
      - url: http://server:8080/observe/prometheus-sd
        refresh_interval: 5s
"""


def changed(what):
    print("changed: " + what, file=sys.stderr)


def adapt_pod_spec(spec, prefix, owner):
    checks = []
    for c in spec.get("containers", []):
        name = c["name"]
        image = c["image"].rsplit(":", 1)[0]
        if image in IMAGES:
            changed(f"{owner}/{name}: image {c['image']} -> {IMAGES[image]} (no registry here)")
            c["image"] = IMAGES[image]
        named = {p["name"]: p["containerPort"] for p in c.get("ports", []) if "name" in p}
        if c.pop("ports", None) is not None:
            changed(f"{owner}/{name}: containerPorts dropped (podman 4.3 would publish them on the host)")
        for probe_key in ("readinessProbe", "livenessProbe", "startupProbe"):
            probe = c.get(probe_key)
            if not probe:
                continue
            for kind in ("httpGet", "tcpSocket"):
                if kind in probe and isinstance(probe[kind].get("port"), str):
                    probe[kind]["port"] = named[probe[kind]["port"]]
            if probe_key == "readinessProbe":
                if "httpGet" in probe:
                    checks.append(f"{name}|http|{probe['httpGet']['port']}|{probe['httpGet']['path']}")
                elif "tcpSocket" in probe:
                    checks.append(f"{name}|tcp|{probe['tcpSocket']['port']}")
        env = []
        for e in c.get("env", []):
            ref = e.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath")
            if ref == "status.podIP":
                changed(f"{owner}/{name}: env {e['name']} (fieldRef status.podIP) dropped; the app's default is the pod's address")
                continue
            secret = e.get("valueFrom", {}).get("secretKeyRef")
            if secret:
                secret["name"] = prefix + secret["name"]
            env.append(e)
        if "env" in c:
            c["env"] = env
    renamed = {}
    for v in spec.get("volumes", []):
        if "configMap" in v:
            v["configMap"]["name"] = prefix + v["configMap"]["name"]
        # podman makes a named volume of each, under the volume's own name: azurite's and prometheus'
        # emptyDir "data" would be one volume, owned by whichever user's image filled it first
        renamed[v["name"]] = f"{prefix}{owner.split()[-1]}-{v['name']}"
        v["name"] = renamed[v["name"]]
    for c in spec.get("containers", []):
        for m in c.get("volumeMounts", []):
            m["name"] = renamed[m["name"]]
    if renamed:
        changed(f"{owner}: volumes renamed {', '.join(renamed.values())} (podman 4.3 names a pod's emptyDir volume by the volume alone, shared machine-wide)")
    return checks


def main():
    k8s, out, prefix = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    order = yaml.safe_load((k8s / "kustomization.yaml").read_text())["resources"]
    docs = [d for f in order for d in yaml.safe_load_all((k8s / f).read_text()) if d]
    aliases = {}  # app.kubernetes.io/name of the selected pods -> Service name
    configmaps = {}
    for d in docs:
        if d["kind"] == "Service":
            aliases[d["spec"]["selector"]["app.kubernetes.io/name"]] = d["metadata"]["name"]
            changed(f"Service {d['metadata']['name']}: not played; its name is a network alias of the pods it selects")
        elif d["kind"] == "Namespace":
            changed(f"Namespace {d['metadata']['name']}: not played (podman has none; names are prefixed instead)")
        elif d["kind"] == "ConfigMap":
            configmaps[d["metadata"]["name"]] = d
    n = 0
    for d in docs:
        kind, name = d["kind"], d["metadata"]["name"]
        d["metadata"].pop("namespace", None)
        extra = []
        if kind == "Secret":
            d["metadata"]["name"] = prefix + name
            label, checks = "-", []
        elif kind in ("Deployment", "Job"):
            template = d["spec"]["template"]
            label = template["metadata"]["labels"]["app.kubernetes.io/name"]
            checks = adapt_pod_spec(template["spec"], prefix, f"{kind} {name}")
            if kind == "Job":
                changed(f"Job {name}: played as a Pod with its template (backoffLimit {d['spec'].get('backoffLimit')} not applied)")
                d = {"apiVersion": "v1", "kind": "Pod",
                     "metadata": {"name": prefix + name, "labels": template["metadata"]["labels"]},
                     "spec": template["spec"]}
            else:
                d["metadata"]["name"] = prefix + name
            for v in template["spec"].get("volumes", []):
                cm = v.get("configMap")
                if cm:
                    m = configmaps[cm["name"][len(prefix):]]
                    m["metadata"]["name"] = cm["name"]
                    if "prometheus.yml" in m["data"] and "consul_sd_configs" in m["data"]["prometheus.yml"]:
                        m["data"]["prometheus.yml"] = PROMETHEUS_HTTP_SD
                        changed(f"ConfigMap {cm['name'][len(prefix):]}: consul_sd replaced by http_sd (Debian's Prometheus has no consul_sd)")
                    extra.append(m)
            label = aliases.get(label, "-")
        else:
            continue
        n += 1
        path = out / f"{n:02d}-{name}.yaml"
        if kind == "Secret":
            changed(f"Secret {name}: created with podman secret create as a JSON object of key -> base64 value (podman 4.3's secretKeyRef reads only that; a played Secret is stored as YAML and fails)")
            # what podman 4.3's secretKeyRef reads: a flat JSON object of key -> base64 value
            data = {k: base64.b64encode(v.encode()).decode() for k, v in d.get("stringData", {}).items()}
            data.update(d.get("data", {}))
            path = out / f"{n:02d}-{name}.json"
            path.write_text(json.dumps(data) + "\n")
            label = "=secret " + d["metadata"]["name"]
        else:
            path.write_text(yaml.safe_dump_all(extra + [d], sort_keys=False))
        print("\t".join([path.name, label] + checks))


if __name__ == "__main__":
    main()
