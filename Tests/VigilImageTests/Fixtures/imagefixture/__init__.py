"""Test images for Vigil's image scanning: tar layers, OCI layouts, presets (see build-image.py)."""
