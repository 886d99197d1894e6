#!/usr/bin/env python3
"""Validates the Kubernetes manifests of infra/kubernetes/ without a cluster.

- The SpinApp against the spin-operator CRD's openAPIV3Schema (crds/), with
  jsonschema, made strict: an unknown field is an error (a cluster would
  prune it silently, which hides a typo), plus the operator's admission rule
  on replicas (`replicas` xor `enableAutoscaling`).
- Every standard resource (CronJob, HorizontalPodAutoscaler, Ingress, Secret)
  with kubernetes-validate in strict mode, for each Kubernetes version of
  KUBERNETES_VERSIONS.
- The pieces agree: every secretKeyRef names a key of the example Secret;
  every SpinApp variable is declared in spin.toml, and the secret ones come
  from the Secret, never in plain; the HPA scales the SpinApp's Deployment;
  the CronJob calls the SpinApp's Service.

Then it proves it can fail: broken copies of the manifests, made in memory,
must each be rejected, or the run fails. Run by infra/test.sh with the venv
infra/install-tools.sh makes: .tools/kube-venv/bin/python infra/kubernetes/validate.py
"""

from __future__ import annotations

import copy
import pathlib
import sys
import time
import tomllib

import jsonschema
import kubernetes_validate
from kubernetes_validate.version import __version__ as KUBERNETES_VALIDATE_VERSION
import yaml

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CRD = HERE / "crds" / "core.spinkube.dev_spinapps.yaml"
# The oldest and newest Kubernetes releases the manifests are meant for.
KUBERNETES_VERSIONS = ("1.30.0", "1.37.0")


def load(path: pathlib.Path) -> list[dict]:
    with path.open() as f:
        return [doc for doc in yaml.safe_load_all(f) if doc is not None]


def strict(schema: object) -> object:
    """The schema with `additionalProperties: false` on every object that lists
    its properties and does not keep unknown fields, as `kubectl apply
    --validate=strict` treats a custom resource."""
    if isinstance(schema, list):
        return [strict(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: strict(v) for k, v in schema.items()}
    if (
        "properties" in out
        and "additionalProperties" not in out
        and not out.get("x-kubernetes-preserve-unknown-fields")
    ):
        out["additionalProperties"] = False
    return out


def spinapp_validator() -> tuple[str, jsonschema.protocols.Validator]:
    (crd,) = load(CRD)
    assert crd["kind"] == "CustomResourceDefinition", CRD
    group = crd["spec"]["group"]
    served = [v for v in crd["spec"]["versions"] if v.get("served")]
    (version,) = [v for v in served if v.get("storage")]
    schema = strict(version["schema"]["openAPIV3Schema"])
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
    cls.check_schema(schema)
    return f"{group}/{version['name']}", cls(schema)


def spin_variables() -> dict[str, dict]:
    with (ROOT / "spin.toml").open("rb") as f:
        return tomllib.load(f)["variables"]


def secret_refs(node: object):
    """Every secretKeyRef below `node`."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "secretKeyRef":
                yield value
            else:
                yield from secret_refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from secret_refs(item)


def check(resources: list[dict], secret: dict, spinapp_schema) -> list[str]:
    """The errors of `resources` (the applied set) and `secret` (the example)."""
    errors: list[str] = []
    api_version, validator = spinapp_schema
    spinapps = [r for r in resources if r.get("kind") == "SpinApp"]
    if len(spinapps) != 1:
        return [f"one SpinApp expected, found {len(spinapps)}"]
    (app,) = spinapps
    name = app["metadata"]["name"]

    # The SpinApp against its CRD, strict, and the operator's admission rule.
    if app.get("apiVersion") != api_version:
        errors.append(f"SpinApp apiVersion {app.get('apiVersion')!r}, CRD serves {api_version!r}")
    for e in validator.iter_errors(app):
        errors.append(f"SpinApp {name}: {'.'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}")
    spec = app.get("spec", {})
    autoscaling = spec.get("enableAutoscaling", False)
    if autoscaling and "replicas" in spec:
        errors.append("SpinApp: replicas cannot be set when autoscaling is enabled (operator webhook)")
    if not autoscaling and not (isinstance(spec.get("replicas"), int) and spec["replicas"] >= 1):
        errors.append("SpinApp: replicas must be > 0 without autoscaling (operator webhook)")

    # Standard resources, strict, on every targeted Kubernetes version.
    for resource in [r for r in resources if r.get("kind") != "SpinApp"] + [secret]:
        label = f"{resource.get('kind')} {resource.get('metadata', {}).get('name')}"
        for version in KUBERNETES_VERSIONS:
            try:
                kubernetes_validate.validate(resource, version, strict=True)
            except kubernetes_validate.ValidationError as e:
                path = ".".join(map(str, e.absolute_path)) or "<root>"
                errors.append(f"{label} (Kubernetes {version}): {path}: {e.message}")
            except (kubernetes_validate.SchemaNotFoundError, KeyError, TypeError) as e:
                errors.append(f"{label} (Kubernetes {version}): {e}")

    # The pieces agree with each other and with spin.toml.
    keys = set(secret.get("stringData", {})) | set(secret.get("data", {}))
    for ref in secret_refs(resources):
        if ref.get("name") != secret["metadata"]["name"] or ref.get("key") not in keys:
            errors.append(f"secretKeyRef {ref} is not a key of the Secret {secret['metadata']['name']}")
    declared = spin_variables()
    seen = set()
    for var in spec.get("variables", []):
        vname = var.get("name")
        if vname in seen:
            errors.append(f"SpinApp variable {vname} is set twice")
        seen.add(vname)
        if vname not in declared:
            errors.append(f"SpinApp variable {vname} is not declared in spin.toml")
        elif declared[vname].get("secret") and "secretKeyRef" not in var.get("valueFrom", {}):
            errors.append(f"SpinApp variable {vname} is secret in spin.toml but not read from a Secret")
    for vname, declaration in declared.items():
        if declaration.get("required") and vname not in seen:
            errors.append(f"spin.toml requires {vname}, the SpinApp does not set it")
    for hpa in [r for r in resources if r.get("kind") == "HorizontalPodAutoscaler"]:
        target = hpa["spec"]["scaleTargetRef"]
        if (target.get("apiVersion"), target.get("kind"), target.get("name")) != ("apps/v1", "Deployment", name):
            errors.append(f"HPA {hpa['metadata']['name']} must scale the Deployment {name} SpinKube makes")
        if not autoscaling:
            errors.append(f"HPA {hpa['metadata']['name']} needs the SpinApp's enableAutoscaling: true")
    for job in [r for r in resources if r.get("kind") == "CronJob"]:
        command = " ".join(
            " ".join(c.get("command", []) + c.get("args", []))
            for c in job["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
        )
        if f"http://{name}/api/jobs/run" not in command or "Authorization: Bearer" not in command:
            errors.append(f"CronJob {job['metadata']['name']} must POST to http://{name}/api/jobs/run with the bearer")
    return errors


def broken_copies(resources: list[dict], secret: dict):
    """(what is broken, what the rejection must say, resources, secret)."""

    def edit(what, expect, change):
        rs, s = copy.deepcopy(resources), copy.deepcopy(secret)
        change(rs, s)
        return what, expect, rs, s

    def spec(rs, k):
        return next(r for r in rs if r["kind"] == k)["spec"]

    yield edit("SpinApp without image", "'image' is a required property",
               lambda rs, s: spec(rs, "SpinApp").pop("image"))
    yield edit("SpinApp replicas as a string", "'two' is not of type 'integer'",
               lambda rs, s: spec(rs, "SpinApp").update(enableAutoscaling=False, replicas="two"))
    yield edit("SpinApp misspelled field", "'enableAutoscalling' was unexpected",
               lambda rs, s: spec(rs, "SpinApp").update(enableAutoscalling=True))
    yield edit("SpinApp probe without path", "'path' is a required property",
               lambda rs, s: spec(rs, "SpinApp")["checks"]["readiness"]["httpGet"].pop("path"))
    yield edit("SpinApp replicas with autoscaling", "replicas cannot be set",
               lambda rs, s: spec(rs, "SpinApp").update(replicas=3))
    yield edit("SpinApp secret variable in plain", "stripe_secret_key is secret",
               lambda rs, s: spec(rs, "SpinApp")["variables"].append({"name": "stripe_secret_key", "value": "sk_live_x"}))
    yield edit("SpinApp variable spin.toml lacks", "databse_url is not declared",
               lambda rs, s: spec(rs, "SpinApp")["variables"].append({"name": "databse_url", "value": "x"}))
    yield edit("CronJob without schedule", "'schedule' is a required property",
               lambda rs, s: spec(rs, "CronJob").pop("schedule"))
    yield edit("CronJob misspelled field", "'concurencyPolicy' was unexpected",
               lambda rs, s: spec(rs, "CronJob").update(concurencyPolicy="Forbid"))
    yield edit("CronJob secret key the Secret lacks", "is not a key of the Secret",
               lambda rs, s: s["stringData"].pop("jobs-secret"))
    yield edit("HPA minReplicas as a string", "'2' is not of type",
               lambda rs, s: spec(rs, "HorizontalPodAutoscaler").update(minReplicas="2"))
    yield edit("HPA aimed at another Deployment", "must scale the Deployment comptoir",
               lambda rs, s: spec(rs, "HorizontalPodAutoscaler")["scaleTargetRef"].update(name="shop"))
    yield edit("Ingress backend port as a string", "'80' is not of type",
               lambda rs, s: spec(rs, "Ingress")["rules"][0]["http"]["paths"][0]["backend"]["service"]["port"].update(number="80"))
    yield edit("Secret value not a string", "42 is not of type",
               lambda rs, s: s["stringData"].update({"jobs-secret": 42}))


def main() -> int:
    started = time.monotonic()
    schema = spinapp_validator()
    files = sorted(HERE.glob("*.yaml"))
    resources = [doc for f in files for doc in load(f)]
    secrets = load(HERE / "examples" / "secret.yaml")
    assert len(secrets) == 1 and secrets[0]["kind"] == "Secret"
    secret = secrets[0]

    errors = check(resources, secret, schema)
    for e in errors:
        print(f"  INVALID {e}", file=sys.stderr)
    if errors:
        return 1
    for r in resources + [secret]:
        print(f"  ok {r['kind']} {r['metadata']['name']}")

    # The validator must fail on broken manifests, or the green above means nothing.
    accepted = []
    for what, expect, rs, s in broken_copies(resources, secret):
        found = check(rs, s, schema)
        if any(expect in e for e in found):
            print(f"  rejected, as it must: {what}")
        else:
            accepted.append(f"{what} (expected {expect!r}, got {found})")
    for what in accepted:
        print(f"  NOT REJECTED AS IT MUST BE: {what}", file=sys.stderr)
    if accepted:
        return 1
    print(
        f"  {len(resources) + 1} resources valid (SpinApp against {CRD.relative_to(ROOT)}, "
        f"the rest with kubernetes-validate {KUBERNETES_VALIDATE_VERSION} "
        f"strict, Kubernetes {' and '.join(KUBERNETES_VERSIONS)}) in {time.monotonic() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
