"""Load a running server: 64 connections for 60 s over a mix of public pages, with ``wrk``.

Start the server as in production first (README, "Serving"), then
``python manage.py benchmark_serving --url http://127.0.0.1:8000``. The pages are picked from
the database the server uses (the same settings): home, search, speakers, a speaker, a topic,
compare, quotes and articles. ``wrk`` (Debian package ``wrk``) holds the connections open and
measures; this command writes its request script and prints requests/s, latency p50/p99 and
errors (socket errors and responses other than 2xx/3xx).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.articles.models import Article
from apps.quotes.models import Quote, Topic
from apps.speakers.models import Speaker

# wrk's Lua: each request takes the next path of the mix; the summary is printed as JSON.
SCRIPT = """
local paths = %(paths)s
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout + summary.errors.status
  io.write(string.format(
    'RESULT {"requests": %%d, "seconds": %%.3f, "p50_ms": %%.1f, "p99_ms": %%.1f, '
      .. '"errors": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, errors))
end
"""


class Command(BaseCommand):
    help = "64 connections for 60 s against a running server over a mix of pages (needs wrk)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000")
        parser.add_argument("--connections", type=int, default=64)
        parser.add_argument("--seconds", type=int, default=60)
        parser.add_argument("--threads", type=int, default=2, help="wrk's own threads.")

    def pages(self) -> list[str]:
        paths = ["/", "/search/?q=sanctions", "/search/?q=Lavrov+talks", "/speakers/", "/compare/"]
        paths += [
            f"/speakers/{slug}/" for slug in Speaker.objects.values_list("slug", flat=True)[:3]
        ]
        paths += [f"/topics/{slug}/" for slug in Topic.objects.values_list("slug", flat=True)[:2]]
        paths += [
            f"/quotes/{pk}/" for pk in Quote.objects.public().values_list("pk", flat=True)[:5]
        ]
        paths += [f"/articles/{pk}/" for pk in Article.objects.values_list("pk", flat=True)[:3]]
        return paths

    def handle(self, *args, url, connections, seconds, threads, **options):
        wrk = shutil.which("wrk")
        if wrk is None:
            raise CommandError("wrk is not installed (Debian: apt-get install wrk)")
        paths = self.pages()
        lua = SCRIPT % {"paths": "{" + ", ".join(json.dumps(p) for p in paths) + "}"}
        with tempfile.TemporaryDirectory() as folder:
            script = Path(folder) / "mix.lua"
            script.write_text(lua)
            completed = subprocess.run(  # noqa: S603 - wrk found on PATH, arguments are ours
                [
                    wrk,
                    f"-t{threads}",
                    f"-c{connections}",
                    f"-d{seconds}s",
                    "--timeout",
                    "10s",
                    "-s",
                    str(script),
                    url.rstrip("/") + "/",
                ],
                capture_output=True,
                text=True,
                check=False,
                timeout=seconds + 60,
            )
        match = re.search(r"^RESULT (\{.*\})$", completed.stdout, re.MULTILINE)
        if completed.returncode or not match:
            raise CommandError(f"wrk failed: {completed.stderr or completed.stdout}")
        result = json.loads(match.group(1))
        self.stdout.write(
            f"{len(paths)} pages, {connections} connections, {result['seconds']:.0f} s: "
            f"{result['requests'] / result['seconds']:.1f} requests/s, "
            f"p50 {result['p50_ms']:.0f} ms, p99 {result['p99_ms']:.0f} ms, "
            f"{result['requests']} requests, {result['errors']} errors"
        )
