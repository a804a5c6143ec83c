"""``make demo``: the whole product on one machine without network.

Starts the fixture platforms the tests use on 127.0.0.1 (``python -m tests.fixture_sites.server``),
writes a registry pointing at them, crawls them (``mooc crawl``), indexes (``mooc index``) and serves
the pages and the API (``mooc serve``). Everything lives in ``var/demo/`` (rebuilt on each start, since
the fixture ports change); Ctrl-C stops the server and the fixture platforms.

    python -m mooc.demo [--port 8000] [--host 127.0.0.1]
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
SITES_DIR = REPO / "tests" / "fixture_sites"
PAGE_SITE = REPO / "tests" / "pages" / "site"   # the pages tests' own platform (hostile course text)


@dataclass(frozen=True)
class DemoPlatform:
    site: str                    # fixture folder
    entry: dict                  # registry entry without url
    path: str = ""               # appended to the fixture server's base URL
    env: dict = field(default_factory=dict)  # fixture credentials the platform's spider reads


# Fixture credentials below are the fixture servers' own test values, not secrets.
PLATFORMS = (
    DemoPlatform("openedx", {"id": "thaimooc-demo", "name": "Thai MOOC (fixture)", "country": "TH",
                             "family": "openedx", "languages": ["th", "en"]}),
    DemoPlatform("kmooc", {"id": "kmooc-demo", "name": "K-MOOC (fixture)", "country": "KR", "family": "kmooc",
                           "languages": ["ko", "en"], "page_size": 3}, "/B552881/kmooc_v2_0",
                 {"MOOC_KMOOC_API_KEY": "fixture+Key/ABC=="}),
    DemoPlatform("richie", {"id": "fun-demo", "name": "FUN MOOC (fixture)", "country": "FR", "family": "richie",
                            "languages": ["fr"], "page_size": 3}),
    DemoPlatform("moochub", {"id": "openhpi-demo", "name": "MOOChub (fixture)", "country": "DE",
                             "family": "moochub", "languages": ["de", "en"]}, "/bridges/moochub/courses"),
    DemoPlatform("openlearning", {"id": "openlearning-demo", "name": "OpenLearning (fixture)", "country": "MY",
                                  "family": "openlearning", "languages": ["en", "ms"], "page_size": 2}, "/v2.1",
                 {"MOOC_OPENLEARNING_API_KEY": "ol-fixture-Key+9f/3c"}),
    DemoPlatform("swayam", {"id": "swayam-demo", "name": "SWAYAM (fixture)", "country": "IN", "family": "swayam",
                            "languages": ["en", "hi"], "page_size": 2}),
    DemoPlatform("icourse163", {"id": "icourse163-demo", "name": "中国大学MOOC (fixture)", "country": "CN",
                                "family": "icourse163", "languages": ["zh"], "school_ids": [13001, "10003"],
                                "page_size": 2}),
    DemoPlatform("eduopen", {"id": "eduopen-demo", "name": "EduOpen (fixture)", "country": "IT",
                             "family": "eduopen", "languages": ["it", "en"]}, "/rss/courses.php"),
    DemoPlatform("federica", {"id": "federica-demo", "name": "Federica (fixture)", "country": "IT",
                              "family": "federica", "languages": ["it", "en"]}, "/feed-courses.php"),
    DemoPlatform("rss", {"id": "openlearn-demo", "name": "OpenLearn (fixture)", "country": "GB", "family": "rss",
                         "link_pattern": "/free-course/"}, "/openlearn/rss.xml"),
    DemoPlatform("rss", {"id": "brokenfeed-demo", "name": "A broken feed (fixture)", "country": "IE",
                         "family": "rss"}, "/broken.xml"),
    DemoPlatform("schemaorg", {"id": "schemaorg-demo", "name": "Schema.org site (fixture)", "country": "NL",
                               "family": "schemaorg", "languages": ["en", "fr"],
                               "url_pattern": "/(courses|cours|kr)/"}, "/"),
    DemoPlatform("moodle", {"id": "moodle-demo", "name": "Moodle (fixture)", "country": "RU", "family": "moodle",
                            "languages": ["ru", "el"], "perpage": 3}),
)

# known platforms without a spider yet, and countries without a known listing: the dashboard shows both
EXTRA_ENTRIES = (
    {"id": "vnmooc-demo", "name": "VN MOOC (no spider yet)", "country": "VN", "family": "custom-vn",
     "url": "https://vnmooc.example", "languages": ["vi"], "enabled": False},
)
COUNTRY_NOTES = ({"code": "BN", "note": "No known public MOOC listing."},
                 {"code": "LA", "note": "No known public MOOC listing."})


class Demo:
    def __init__(self, folder: Path):
        self.folder = folder
        self.processes: list[subprocess.Popen] = []

    def start_site(self, folder: Path) -> str:
        """One fixture server in a subprocess; returns its base URL (the first line it prints)."""
        process = subprocess.Popen([sys.executable, "-m", "tests.fixture_sites.server", str(folder), "--port", "0"],
                                   cwd=REPO, stdout=subprocess.PIPE, text=True, start_new_session=True)
        self.processes.append(process)
        line = process.stdout.readline().strip() if process.stdout else ""
        if not line.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"fixture site {folder.name} did not start")
        return line

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def mooc(*args: str, env: dict[str, str]) -> int:
    print("$ mooc", " ".join(args), flush=True)
    return subprocess.call([sys.executable, "-m", "mooc", *args], cwd=REPO, env=env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--folder", type=Path, default=REPO / "var" / "demo")
    args = parser.parse_args(argv)

    folder: Path = args.folder
    with socket.socket() as probe:
        try:
            probe.bind((args.host, args.port))
        except OSError as exc:
            print(f"cannot serve on {args.host}:{args.port} ({exc.strerror}): choose another --port", file=sys.stderr)
            return 2
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    demo = Demo(folder)
    env = {**os.environ, "MOOC_INDEX": "embedded", "MOOC_INDEX_DIR": str(folder / "index"),
           "MOOC_DOWNLOAD_DELAY": "0", "MOOC_RETRY_BACKOFF_BASE": "0.05",
           "MOOC_ALLOW_PRIVATE_HOSTS": "127.0.0.1"}   # the fixture platforms are local on purpose
    for name in ("ELASTICSEARCH_URL", "OPENSEARCH_URL"):
        env.pop(name, None)
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in the background
    try:
        bases: dict[Path, str] = {}
        entries = []
        for platform in PLATFORMS:
            site = SITES_DIR / platform.site
            if not (site / "site.yaml").is_file():
                print(f"(no fixture site {platform.site}: skipped)")
                continue
            if site not in bases:
                bases[site] = demo.start_site(site)
            entries.append({**platform.entry, "url": bases[site] + platform.path, "enabled": True})
            env.update(platform.env)
        if (PAGE_SITE / "site.yaml").is_file():
            base = demo.start_site(PAGE_SITE)
            entries.append({"id": "hoc-demo", "name": "Học Mở (fixture)", "country": "VN", "family": "openedx",
                            "url": base, "languages": ["vi", "en"], "enabled": True})
        entries.extend(EXTRA_ENTRIES)
        registry = folder / "registry.yaml"
        registry.write_text(yaml.safe_dump({"platforms": entries, "countries": list(COUNTRY_NOTES)},
                                           allow_unicode=True, sort_keys=False), encoding="utf-8")
        db = folder / "catalogue.db"
        options = ("--registry", str(registry), "--db", str(db))
        started = time.monotonic()
        if mooc(*options, "crawl", env=env) != 0:
            print("(a platform failed: that is part of the demo, see /health-report)", flush=True)
        if mooc(*options, "index", env=env) != 0:
            print("indexing failed", file=sys.stderr)
            return 1
        print(f"\nCrawled and indexed in {time.monotonic() - started:.0f} s. "
              f"Open http://{args.host}:{args.port}/  (Ctrl-C stops the demo)\n", flush=True)
        server = subprocess.Popen([sys.executable, "-m", "mooc", *options, "serve", "--host", args.host,
                                   "--port", str(args.port)], cwd=REPO, env=env, start_new_session=True)
        demo.processes.append(server)
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        demo.stop()
        print("demo stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
