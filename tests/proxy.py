"""nginx in front of a gunicorn of its own, configured from the template production
uses (deploy/nginx/gc6portal.conf.template), for the proxy tests.

The gunicorn behind it trusts only the proxy's address for X-Forwarded-For, as in
production: nginx connects to it from 127.0.0.3 (`proxy_bind`), the only address in
its GC6_TRUSTED_PROXIES, so the tests, on 127.0.0.1, are clients like any other. The
suite's other server (`web`) trusts nobody, so the tests that speak to it directly
are unaffected.
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.stack import ROOT, Process, free_port, start_web, wait_serving
from tests.tools import require_tool

TEMPLATE = ROOT / "deploy" / "nginx" / "gc6portal.conf.template"
PROXY_ADDRESS = "127.0.0.3"

# What the tests set; production's defaults are in docker-compose.yml.
VALUES = {
    "GC6_PROXY_FORM_RATE": "30r/m",
    "GC6_PROXY_FORM_BURST": "10",
    "GC6_PROXY_LOGIN_RATE": "10r/m",
    "GC6_PROXY_LOGIN_BURST": "5",
    "GC6_PROXY_MAX_BODY": "21m",
}


def render(template: Path, values: dict[str, str]) -> str:
    """${NAME} filled in as the image's envsubst does; nginx's own $variables stay."""
    return string.Template(template.read_text()).safe_substitute(values)


@dataclass
class Proxy:
    url: str
    upstream: str
    process: Process
    web: Process


def start_nginx(root: Path, upstreams: list[str], env: dict[str, str]) -> tuple[Process, str]:
    """nginx in `root` (made here) from production's template, in front of `upstreams`
    ("host:port" each), connecting to them from PROXY_ADDRESS; once it answers."""
    nginx = require_tool("nginx")
    root.mkdir(parents=True, exist_ok=True)
    port = free_port()
    values = {**VALUES, "GC6_PROXY_UPSTREAM": upstreams[0], "GC6_PROXY_LISTEN": f"127.0.0.1:{port}"}
    site = render(TEMPLATE, values)
    # In compose one name (`web`) resolves to every replica; here, a line for each.
    servers = "".join(f"    server {upstream};\n" for upstream in upstreams)
    site, found = re.subn(rf"^\s*server {re.escape(upstreams[0])};\n", servers, site, flags=re.M)
    assert found == 1, site
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (root / name).mkdir()
    (root / "site.conf").write_text(site)
    # As root, nginx's workers would run as "nobody", who cannot write the test's
    # private temporary folders; as anyone else, they run as that user anyway.
    user = "user root;" if os.geteuid() == 0 else ""
    (root / "nginx.conf").write_text(
        f"""
{user}
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {root}/access.log;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    proxy_bind {PROXY_ADDRESS};
    include {root}/site.conf;
}}
"""
    )
    args = [nginx, "-p", str(root), "-c", str(root / "nginx.conf"), "-g", "daemon off;"]
    process = Process(f"nginx-{port}", args, env, root)
    url = f"http://127.0.0.1:{port}"
    wait_serving(process, url, 30, "nginx", log=str(root / "error.log"))
    return process, url


@pytest.fixture(scope="session")
def proxy(stack_env, tmp_path_factory) -> Iterator[Proxy]:
    root = tmp_path_factory.mktemp("nginx")
    web, upstream = start_web({**stack_env, "GC6_TRUSTED_PROXIES": PROXY_ADDRESS}, root)
    process, url = start_nginx(root / "nginx", [upstream.removeprefix("http://")], dict(stack_env))
    yield Proxy(url=url, upstream=upstream, process=process, web=web)
    process.stop()
    web.stop()
