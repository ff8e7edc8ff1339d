"""The committed front-end build (frontend/ → webview/static/dist/): present, served by the
gateway, fetches nothing from a CDN, carries its licences, and survives the production storage."""

import asyncio
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.core.files.storage import FileSystemStorage

FRONTEND = Path(settings.BASE_DIR) / "frontend"
DIST = Path(settings.BASE_DIR) / "webview" / "static" / "dist"
SCRIPTS = ["echarts.js", "alpine.js", "htmx.js"]
FILES = SCRIPTS + ["LICENSES.txt"]
CDN_HOSTS = ["jsdelivr", "unpkg", "cdnjs", "googleapis", "gstatic", "cloudflare", "esm.sh", "skypack",
             "jspm", "bootcdn", "staticfile.org", "cdn."]
# URLs that appear in the bundles as text, never fetched: Alpine's error messages link its docs.
DOC_HOSTS = {"alpinejs.dev"}
URL = re.compile(r"""https?://([^/\s"'`)\\$]+)[^\s"'`)]*""")


def read_body(response) -> bytes:
    """ServeStatic answers with an async streaming response, even to the sync test client."""
    if not response.streaming:
        return response.content
    if getattr(response, "is_async", False):
        async def gather():
            return b"".join([chunk async for chunk in response.streaming_content])
        return asyncio.run(gather())
    return b"".join(response.streaming_content)


def package_json() -> dict:
    return json.loads((FRONTEND / "package.json").read_text())


@pytest.mark.parametrize("name", FILES)
def test_dist_file_is_committed(name):
    assert (DIST / name).stat().st_size > 0


@pytest.mark.parametrize("name", FILES)
def test_dist_file_is_served(client, name):
    response = client.get(f"/static/dist/{name}")
    assert response.status_code == 200
    body = read_body(response)
    assert body == (DIST / name).read_bytes()
    if name.endswith(".js"):
        assert "javascript" in response["Content-Type"]


@pytest.mark.parametrize("name", SCRIPTS)
def test_no_cdn_or_remote_url(name):
    text = (DIST / name).read_text(encoding="utf-8")
    for host in CDN_HOSTS:
        assert host not in text.lower(), f"{name} mentions {host}"
    hosts = {match.group(1).lower() for match in URL.finditer(text)}
    assert hosts <= DOC_HOSTS, f"{name} has URLs to {sorted(hosts - DOC_HOSTS)}"
    # The source maps are not vended; a dangling reference would break collectstatic (below).
    assert "sourceMappingURL" not in text


@pytest.mark.parametrize("name", SCRIPTS)
def test_no_eval(name):
    """script-src 'self' without 'unsafe-eval': none of the bundles may build code from strings."""
    text = (DIST / name).read_text(encoding="utf-8")
    assert not re.search(r"\bnew Function\b|\beval\(", text)


def test_versions_are_pinned_exactly():
    manifest = package_json()
    lock = json.loads((FRONTEND / "package-lock.json").read_text())
    pins = {**manifest["dependencies"], **manifest["devDependencies"]}
    for name, version in pins.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned exactly: {version}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


def test_licences_name_every_bundled_package_and_version():
    licences = (DIST / "LICENSES.txt").read_text(encoding="utf-8")
    for name, version in package_json()["dependencies"].items():
        assert f"{name} {version}" in licences
    # What ECharts and Alpine bundle inside themselves.
    for name in ["zrender", "tslib", "@vue/reactivity"]:
        assert re.search(rf"^{re.escape(name)} \d+\.\d+\.\d+ ", licences, re.M)
    # Alpine's build embeds its own @vue/reactivity: the listed version is the embedded one.
    embedded = re.search(r"@vue/reactivity v(\d+\.\d+\.\d+)", (DIST / "alpine.js").read_text()).group(1)
    assert f"@vue/reactivity {embedded} " in licences
    assert "Apache License" in licences and "The Apache Software Foundation" in licences  # LICENSE + NOTICE


def test_echarts_bundle_has_licence_banner_and_french_locale():
    text = (DIST / "echarts.js").read_text(encoding="utf-8")
    version = package_json()["dependencies"]["echarts"]
    assert text.startswith(f"/*! Apache ECharts {version} (Apache-2.0)")
    assert "var echarts=" in text  # the IIFE's global
    assert "Aujourd" in text or "Enregistrer" in text or "Restaurer" in text  # langFR's strings


def test_production_storage_post_processes_the_dist_files(tmp_path):
    """`make run` collects static files into the manifest storage: the bundles must hash cleanly."""
    source = FileSystemStorage(location=DIST.parent)
    target = ManifestStaticFilesStorage(location=tmp_path, base_url="/static/")
    paths = {f"dist/{name}": (source, f"dist/{name}") for name in FILES}
    for path in paths:
        with source.open(path) as handle:
            target.save(path, handle)
    results = list(target.post_process(paths))
    errors = [processed for _, _, processed in results if isinstance(processed, Exception)]
    assert errors == []
    assert {original for original, _, _ in results} == set(paths)
