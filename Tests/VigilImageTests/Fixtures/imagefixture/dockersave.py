"""Packs an OCI layout as Docker 25 and later `docker save` writes it: one tar holding the
layout itself (oci-layout, index.json, blobs/sha256/...) and the legacy `manifest.json`
and `repositories`, which name the same blobs by path. index.json's descriptor carries
containerd's image name and a bare tag, as Docker writes them."""
import io, json, os, tarfile


def _add(tar, name, data=None, path=None):
    info = tarfile.TarInfo(name)
    info.mtime, info.mode = 0, 0o644
    if path:
        info.size = os.path.getsize(path)
        with open(path, "rb") as f:
            tar.addfile(info, f)
    else:
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))


def docker_save(layout, out, name):
    """Writes `out` from the single-image OCI layout `layout`; `name` is "repo:tag"."""
    index = json.load(open(os.path.join(layout, "index.json")))
    top = index["manifests"][0]
    manifest = json.load(open(os.path.join(layout, "blobs", "sha256", top["digest"][7:])))
    if "manifests" in manifest:
        raise ValueError("docker save writes one platform: give a single-image layout")
    repo, _, tag = name.rpartition(":")
    full = name if "/" in repo else f"docker.io/library/{name}"
    top["annotations"] = {"io.containerd.image.name": full, "org.opencontainers.image.ref.name": tag}
    legacy = [{"Config": "blobs/sha256/" + manifest["config"]["digest"][7:], "RepoTags": [name],
               "Layers": ["blobs/sha256/" + l["digest"][7:] for l in manifest["layers"]]}]
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
        for d in ("blobs/", "blobs/sha256/"):
            info = tarfile.TarInfo(d)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, 0
            tar.addfile(info)
        for blob in sorted(os.listdir(os.path.join(layout, "blobs", "sha256"))):
            _add(tar, "blobs/sha256/" + blob, path=os.path.join(layout, "blobs", "sha256", blob))
        _add(tar, "index.json", json.dumps(index).encode())
        _add(tar, "manifest.json", json.dumps(legacy).encode())
        _add(tar, "oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
        _add(tar, "repositories", json.dumps({full.rsplit(":", 1)[0]: {tag: manifest["layers"][-1]["digest"][7:]}}).encode())
