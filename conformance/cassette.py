"""Schemathesis' VCR cassette: statistics, the failing cases alone, and their replay.

Cassettes of a long run are tens of megabytes, so they are read line by line; only the small
cassette of failing cases is parsed as YAML.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import yaml

_URI = re.compile(r"^    uri: '(.*)'$")
_METHOD = re.compile(r"^    method: '(\w+)'$")
_CODE = re.compile(r"^      code: '(\d+)'$")


def _chunks(path: Path):
    """(header lines, [interaction lines, ...]) of a cassette."""
    header, chunks = [], []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("- id:"):
                chunks.append([line])
            elif chunks:
                chunks[-1].append(line)
            else:
                header.append(line)
    return header, chunks


def stats(path: Path) -> dict:
    """Requests recorded, voids among them, and how many voids were answered 200."""
    requests = voids = void_200 = 0
    uri = method = None
    if not path.exists():
        return {"requests": 0, "voids": 0, "void_200": 0}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if match := _URI.match(line):
                uri, requests = match.group(1), requests + 1
            elif match := _METHOD.match(line):
                method = match.group(1)
            elif (match := _CODE.match(line)) and method == "POST" and uri and uri.endswith("/void/"):
                voids += 1
                void_200 += match.group(1) == "200"
    return {"requests": requests, "voids": voids, "void_200": void_200}


def keep_failures(path: Path, out: Path) -> int:
    """Write the failing interactions of `path` to `out` (a cassette of their own)."""
    header, chunks = _chunks(path)
    failing = [chunk for chunk in chunks if len(chunk) > 1 and chunk[1].strip() == "status: 'FAILURE'"]
    out.write_text("".join(header) + "".join("".join(chunk) for chunk in failing), encoding="utf-8")
    return len(failing)


def replay(path: Path, base_url: str, token: str) -> list[dict]:
    """Send every recorded request again to `base_url`; returns what was sent and answered."""
    interactions = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("http_interactions") or []
    results = []
    with httpx.Client(base_url=base_url.rstrip("/"), timeout=30) as http:
        for interaction in interactions:
            request = interaction["request"]
            url = urlsplit(request["uri"])
            headers = {
                name: values[0]
                for name, values in (request.get("headers") or {}).items()
                if name.lower() not in ("authorization", "content-length", "host")
            }
            headers["Authorization"] = f"Token {token}"
            body = (request.get("body") or {}).get("string")
            response = http.request(
                request["method"],
                url.path + (f"?{url.query}" if url.query else ""),
                headers=headers,
                content=body.encode() if isinstance(body, str) else None,
            )
            failed_checks = [c["name"] for c in interaction.get("checks", []) if c.get("status") == "FAILURE"]
            results.append(
                {
                    "id": interaction["id"],
                    "method": request["method"],
                    "path": url.path,
                    "recorded": int(interaction["response"]["status"]["code"]),
                    "now": response.status_code,
                    "checks": failed_checks,
                    "body": response.text[:300],
                }
            )
    return results
