"""Writes an OCI image layout (oci-layout, index.json, blobs/sha256/...) from a spec:

  {"tag": "t",
   "platforms": [{"os": "linux", "architecture": "amd64", "variant": null,
                  "layers": [{"compression": "none|gzip|zstd", "entries": [...],
                              "fault": null | "truncate" | "corrupt" | "wrong-digest" | "wrong-diffid"}]}]}

One platform: index.json names its manifest. Several: index.json names an image index
(with the tag) that lists one manifest per platform; with `"flat_index": true`, index.json
lists the platforms' manifests itself, each with the tag (as some tools write it). Layer digests and diff_ids are right
unless a layer's `fault` says otherwise:
  truncate      the compressed blob cut to half its bytes (digest of the cut bytes)
  corrupt       bytes in the middle of the blob inverted (digest of the changed bytes)
  wrong-digest  the blob changed after its digest was taken: content and name disagree
  wrong-diffid  the config's diff_id for the layer is the digest of other bytes
"""
import hashlib, json, os, shutil, subprocess, tempfile

from .tarwriter import tar_chunks

MEDIA = {"none": "application/vnd.oci.image.layer.v1.tar",
         "gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
         "zstd": "application/vnd.oci.image.layer.v1.tar+zstd"}
# The programs that compress a layer (reading tar on standard input), as image builders do.
COMPRESSORS = {"gzip": ["gzip", "-6", "-n", "-c"], "zstd": ["zstd", "-q", "-3", "-c"]}
MANIFEST = "application/vnd.oci.image.manifest.v1+json"
INDEX = "application/vnd.oci.image.index.v1+json"
CONFIG = "application/vnd.oci.image.config.v1+json"
REF_NAME = "org.opencontainers.image.ref.name"


def _sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return "sha256:" + h.hexdigest()


class Layout:
    """An OCI layout being written in `root`."""

    def __init__(self, root):
        self.root = root
        self.blobs = os.path.join(root, "blobs", "sha256")
        os.makedirs(self.blobs, exist_ok=True)
        with open(os.path.join(root, "oci-layout"), "w") as f:
            json.dump({"imageLayoutVersion": "1.0.0"}, f)

    def put_file(self, path, digest=None):
        """Moves a file into the blobs (named by `digest`, default its own); its descriptor."""
        digest = digest or _sha256_file(path)
        size = os.path.getsize(path)
        shutil.move(path, os.path.join(self.blobs, digest.split(":", 1)[1]))
        return digest, size

    def put_json(self, obj, media_type):
        data = json.dumps(obj, sort_keys=True).encode()
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        with open(os.path.join(self.blobs, digest[7:]), "wb") as f:
            f.write(data)
        return {"mediaType": media_type, "digest": digest, "size": len(data)}

    def put_layer(self, layer):
        """Writes one layer blob; (descriptor, diff_id)."""
        compression = layer.get("compression", "gzip")
        tmp = tempfile.mkdtemp(dir=self.root)
        blob = os.path.join(tmp, "layer.blob")
        diff_id = _write_compressed(tar_chunks(layer["entries"]), compression, blob)
        fault = layer.get("fault")
        digest = None
        if fault == "truncate":
            with open(blob, "r+b") as f:
                f.truncate(os.path.getsize(blob) // 2)
        elif fault == "corrupt":
            _invert_middle(blob)
        elif fault == "wrong-digest":
            digest = _sha256_file(blob)
            _invert_middle(blob)
        elif fault == "wrong-diffid":
            diff_id = "sha256:" + hashlib.sha256(b"other bytes").hexdigest()
        digest, size = self.put_file(blob, digest)
        shutil.rmtree(tmp)
        return {"mediaType": MEDIA[compression], "digest": digest, "size": size}, diff_id

    def put_image(self, platform, tag):
        """Writes the layers, config and manifest of one platform; the manifest's descriptor."""
        layers, diff_ids = [], []
        for layer in platform["layers"]:
            descriptor, diff_id = self.put_layer(layer)
            layers.append(descriptor)
            diff_ids.append(diff_id)
        return self.put_manifest(layers, diff_ids, platform, tag)

    def put_manifest(self, layers, diff_ids, platform, tag):
        """Writes the config and manifest over layer descriptors already in the blobs; the
        manifest's descriptor (with its platform)."""
        config = {"architecture": platform.get("architecture", "amd64"), "os": platform.get("os", "linux"),
                  "created": "2023-11-14T22:13:20Z", "config": {"Env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]},
                  "rootfs": {"type": "layers", "diff_ids": diff_ids},
                  "history": [{"created": "2023-11-14T22:13:20Z", "created_by": f"vigil test layer {i + 1}"}
                              for i in range(len(layers))]}
        if platform.get("variant"):
            config["variant"] = platform["variant"]
        manifest = {"schemaVersion": 2, "mediaType": MANIFEST, "config": self.put_json(config, CONFIG),
                    "layers": layers, "annotations": {REF_NAME: tag}}
        descriptor = self.put_json(manifest, MANIFEST)
        descriptor["platform"] = {k: platform[k] for k in ("os", "architecture", "variant") if platform.get(k)}
        descriptor["platform"].setdefault("os", "linux")
        descriptor["platform"].setdefault("architecture", "amd64")
        return descriptor

    def put_streamed_layer(self, chunks, compression):
        """Writes a layer from tar bytes (an iterable of chunks); (descriptor, diff_id)."""
        tmp = tempfile.mkdtemp(dir=self.root)
        blob = os.path.join(tmp, "layer.blob")
        diff_id = _write_compressed(chunks, compression, blob)
        digest, size = self.put_file(blob)
        shutil.rmtree(tmp)
        return {"mediaType": MEDIA[compression], "digest": digest, "size": size}, diff_id

    def write(self, spec):
        tag = spec.get("tag", "latest")
        platforms = spec["platforms"]
        manifests = [self.put_image(p, tag) for p in platforms]
        if len(manifests) == 1:
            manifests[0].pop("platform")
            top = manifests
        elif spec.get("flat_index"):
            top = manifests
        else:
            top = [self.put_json({"schemaVersion": 2, "mediaType": INDEX, "manifests": manifests}, INDEX)]
        for descriptor in top:
            descriptor["annotations"] = {REF_NAME: tag}
        with open(os.path.join(self.root, "index.json"), "w") as f:
            json.dump({"schemaVersion": 2, "mediaType": INDEX, "manifests": top}, f, sort_keys=True)


def _write_compressed(chunks, compression, out):
    """Streams the tar `chunks` through the compressor into `out`; the diff_id."""
    h = hashlib.sha256()
    with open(out, "wb") as dst:
        if compression == "none":
            sink, close = dst.write, None
        elif compression in COMPRESSORS:
            proc = subprocess.Popen(COMPRESSORS[compression], stdin=subprocess.PIPE, stdout=dst)
            sink, close = proc.stdin.write, lambda: (proc.stdin.close(), proc.wait() == 0 or _fail(f"{compression} failed"))
        else:
            raise ValueError(f"unknown compression {compression}")
        for chunk in chunks:
            h.update(chunk)
            sink(chunk)
        if close:
            close()
    return "sha256:" + h.hexdigest()


def _fail(message):
    raise RuntimeError(message)


def _invert_middle(path, count=64):
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        f.seek(max(0, size // 2 - count // 2))
        data = f.read(count)
        f.seek(max(0, size // 2 - count // 2))
        f.write(bytes(b ^ 0xFF for b in data))


def write_layout(spec, root):
    """Writes the OCI layout `spec` describes into the directory `root`."""
    os.makedirs(root, exist_ok=True)
    Layout(root).write(spec)
