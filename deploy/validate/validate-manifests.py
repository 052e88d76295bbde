#!/usr/bin/env python3
"""Validates Vigil's Kubernetes manifests offline, strictly (unknown fields are errors).

usage: validate-manifests.py [--kubernetes-version 1.33.0] [DIR]   (DIR: deploy/kubernetes)

- Built-in kinds: against the Kubernetes OpenAPI schemas that the PyPI package
  kubernetes-validate ships, for the pinned version, in strict mode.
- ServiceMonitor (a CRD, for which kubernetes-validate has no schema and only warns):
  against servicemonitor-v1.schema.json beside this script, a hand-written subset of the
  Prometheus Operator's CRD schema. Any other kind without a schema is an error.
- kustomization.yaml: only the keys used here; every resource a file in or below its
  folder, or a folder that holds a kustomization.yaml and is not above it (kustomize's
  load restrictions, no cycles); every manifest is listed by some kustomization. When
  kubectl is on PATH, `kubectl kustomize` also builds every kustomization (offline).

Prints one line per document or problem; exits 1 when anything is wrong.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

import jsonschema
import kubernetes_validate
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
KUSTOMIZATION_KEYS = {"apiVersion", "kind", "resources", "images", "namespace", "labels", "patches"}
IMAGE_KEYS = {"name", "newName", "newTag", "digest"}


def check_kustomization(path, errors):
    """Problems of one kustomization.yaml; returns the manifest files it lists."""
    folder = os.path.dirname(path)
    with open(path) as f:
        data = yaml.safe_load(f) or {}
    listed = []
    unknown = set(data) - KUSTOMIZATION_KEYS
    if unknown:
        errors.append(f"{path}: unknown keys {sorted(unknown)}")
    if data.get("apiVersion") != "kustomize.config.k8s.io/v1beta1" or data.get("kind") != "Kustomization":
        errors.append(f"{path}: apiVersion/kind must be kustomize.config.k8s.io/v1beta1 Kustomization")
    for resource in data.get("resources") or []:
        target = os.path.normpath(os.path.join(folder, resource))
        if os.path.isdir(target):
            if os.path.commonpath([folder, target]) == target:
                errors.append(f"{path}: resource {resource} is a folder holding this one: kustomize refuses the cycle")
            elif not os.path.isfile(os.path.join(target, "kustomization.yaml")):
                errors.append(f"{path}: resource {resource} is a folder without kustomization.yaml")
        elif not os.path.isfile(target):
            errors.append(f"{path}: resource {resource} does not exist")
        elif os.path.commonpath([folder, target]) != folder:
            errors.append(f"{path}: resource {resource} is a file outside the kustomization's folder")
        else:
            listed.append(target)
    for image in data.get("images") or []:
        if not isinstance(image, dict) or set(image) - IMAGE_KEYS or "name" not in image:
            errors.append(f"{path}: bad image entry {image!r}")
    return listed


def kustomize_builds(root, errors):
    """`kubectl kustomize` on every kustomization folder, when kubectl is installed."""
    if shutil.which("kubectl") is None:
        print("note kubectl is not installed: kustomizations checked by the rules above only")
        return
    for folder, dirs, files in sorted(os.walk(root)):
        if "kustomization.yaml" not in files:
            continue
        r = subprocess.run(["kubectl", "kustomize", folder], capture_output=True, text=True)
        if r.returncode != 0:
            errors.append(f"{folder}: kubectl kustomize: {r.stderr.strip()}")
        else:
            print("built", os.path.relpath(folder, root) or ".", "with kubectl kustomize")


def check_document(path, doc, version, schema, errors):
    """Validates one YAML document; returns a line for the log."""
    kind = doc.get("kind", "?")
    name = (doc.get("metadata") or {}).get("name", "?")
    if kind == "ServiceMonitor":
        try:
            jsonschema.Draft202012Validator(schema).validate(doc)
        except jsonschema.ValidationError as e:
            errors.append(f"{path}: {kind}/{name}: {'.'.join(map(str, e.path))}: {e.message}")
        return f"{path}: {kind}/{name} (servicemonitor-v1.schema.json)"
    try:
        kubernetes_validate.validate(doc, version, strict=True)
    except kubernetes_validate.ValidationError as e:
        errors.append(f"{path}: {kind}/{name}: {'.'.join(map(str, e.path))}: {e.message}")
    except kubernetes_validate.SchemaNotFoundError as e:
        errors.append(f"{path}: {kind}/{name}: {e.message}")
    return f"{path}: {kind}/{name} (Kubernetes {version}, strict)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kubernetes-version", default="1.33.0")
    parser.add_argument("dir", nargs="?", default=os.path.join(HERE, "..", "kubernetes"))
    args = parser.parse_args()
    root = os.path.abspath(args.dir)
    with open(os.path.join(HERE, "servicemonitor-v1.schema.json")) as f:
        schema = json.load(f)

    errors, manifests, listed, checked = [], [], set(), 0
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            if name == "kustomization.yaml":
                listed.update(check_kustomization(path, errors))
            elif name.endswith((".yaml", ".yml")):
                manifests.append(path)
    for path in manifests:
        if path not in listed:
            errors.append(f"{path}: listed by no kustomization.yaml")
        try:
            with open(path) as f:
                docs = [d for d in yaml.safe_load_all(f) if d]
        except yaml.YAMLError as e:
            errors.append(f"{path}: not YAML: {e}")
            continue
        for doc in docs:
            print("checked", check_document(os.path.relpath(path, root), doc, args.kubernetes_version, schema, errors))
            checked += 1
    kustomize_builds(root, errors)
    for line in errors:
        print("error", line)
    if checked == 0:
        print("error no manifest found under", root)
        return 1
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
