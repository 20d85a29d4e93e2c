"""A small correct SendStatistics server (quirks included) whose flags each break or vary one thing.

With no flags it answers as openapi.yaml documents the PHP backend: PHP `json_encode` output (`\\uXXXX`,
`\\/`, `[]` for an empty map, a list for a map keyed 0..n-1), `fields` read as a JSON array with unknown
names dropped, 204 for an empty account. Each flag is one fault a real backend ships, or one correct
variation the suite must accept; `tests/contract/faults/catalogue.py` names the expected verdicts.
"""

from __future__ import annotations

import copy
import json
import random
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, request

from contract.php import parse_query, read_fields, read_path_id

NAMES = ("id", "common", "open_time", "click_statistic", "domain_statistic", "errors")
MAP_SECTIONS = ("open_time", "click_statistic", "domain_statistic", "errors")
INVALID_FIELDS = {"code": 20620, "message": "Invalid fields. Wrong parameters of string fields"}
DATA = Path(__file__).with_name("mailings.json")

# Correct variations: the suite must pass each of them.
VARIANTS = frozenset(
    {
        "raw-utf8",  # JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES: raw Cyrillic instead of \uXXXX
        "keys-reordered",  # sections and counters in another order than the seed's
        "pretty-json",  # JSON_PRETTY_PRINT
        "empty-account",  # no mailings at all: 204
        "empty-as-200",  # an empty index as 200 {"statistics": []} instead of 204
        "unlisted",  # the index lists nothing, the details still exist (judged with --known-id)
    }
)
# Faults: each one a thing real backends ship; the suite must flag each of them.
FAULTS = frozenset(
    {
        "unknown-id-200-empty",
        "unknown-id-fabricated",
        "invalid-fields-200",
        "view-500",
        "error-code-20520",
        "error-text-wrong",
        "not-found-text",
        "count-as-string",
        "id-as-string",
        "missing-opened",
        "extra-key",
        "index-title-missing",
        "fields-ignored",
        "id-always",
        "first-field-only",
        "default-all",
        "unknown-not-dropped",
        "delivered-bounce-over-count",
        "domain-sums-off",
        "open-time-5-days",
        "open-time-zero",
        "open-time-off-hour",
        "opened-over-delivered",
        "clicked-over-delivered",
        "error-count-zero",
        "view-id-off",
        "listed-id-404",
        "index-unsorted",
        "duplicate-ids",
        "random-counts",
        "intermittent-500",
        "slow",
        "html-content-type",
        "empty-map-as-object",
        "list-as-object",
        "unknown-error-code-99",
        "non-numeric-id-500",
        "sort-field-400",
        "index-by-title",
        "counts-as-floats",
        "count-gap",
        "errors-sum-off",
        "opens-sum-off",
        "clicks-sum-off",
        "click-count-zero",
        "click-key-not-url",
        "domain-key-address",
    }
)
FLAGS = VARIANTS | FAULTS
SLOW_SECONDS = 2.0


# Flags that change a stored number: (mailing id, section path, key, new value).
PATCHES: dict[str, tuple[int, tuple[str, ...], str, Any]] = {
    "delivered-bounce-over-count": (42, ("common",), "count", 9000),
    "domain-sums-off": (5, ("domain_statistic", "mail.ru"), "delivered", 301),
    "open-time-5-days": (42, ("open_time",), "1704362400", 3),
    "open-time-zero": (5, ("open_time",), "1700006400", 0),
    "open-time-off-hour": (5, ("open_time",), "1700001800", 4),
    "opened-over-delivered": (1, ("common",), "opened", 2),
    "clicked-over-delivered": (1, ("common",), "clicked", 3),
    "error-count-zero": (42, ("errors",), "113", 0),
    "unknown-error-code-99": (42, ("errors",), "99", 1),
    "count-gap": (5, ("common",), "count", 505),
    "errors-sum-off": (5, ("errors",), "0", 9),
    "opens-sum-off": (5, ("open_time",), "1700082000", 11),
    "clicks-sum-off": (5, ("click_statistic",), "https://shop.example.ru/sale?utm=mail", 10),
    "click-count-zero": (42, ("click_statistic",), "https://example.ru/", 0),
}
# Flags that rename a map key: (mailing id, section, old key, new key).
RENAMES: dict[str, tuple[int, str, str, str]] = {
    "click-key-not-url": (5, "click_statistic", "https://shop.example.ru/sale?utm=mail", "sale page"),
    "domain-key-address": (5, "domain_statistic", "yandex.ru", "ivanov@yandex.ru"),
}


def load_mailings(flags: frozenset[str]) -> dict[int, dict[str, Any]]:
    """Read the account from mailings.json and apply the flags that change stored numbers."""
    mailings = {m["id"]: m for m in json.loads(DATA.read_text(encoding="utf-8"))["mailings"]}
    if "empty-account" in flags:
        return {}
    for flag, (mailing_id, path, key, value) in PATCHES.items():
        if flag in flags:
            target = mailings[mailing_id]
            for part in path:
                target = target[part]
            target[key] = value
    for flag, (mailing_id, section, old, new) in RENAMES.items():
        if flag in flags:
            entries = mailings[mailing_id][section]
            mailings[mailing_id][section] = {new if key == old else key: value for key, value in entries.items()}
    return mailings


def php_map(value: Mapping[str, Any]) -> Any:
    """Encode a map as PHP's json_encode does: keys 0..n-1 in order (and no keys) become a list."""
    keys = list(value)
    if keys == [str(i) for i in range(len(keys))]:
        return list(value.values())
    return dict(value)


class Reference:
    """The server's state: flags, the account, and a request counter for the intermittent fault."""

    def __init__(self, flags: Iterable[str]) -> None:
        self.flags = frozenset(flags)
        unknown = self.flags - FLAGS
        if unknown:
            raise ValueError(f"unknown reference flags: {sorted(unknown)}")
        self.mailings = load_mailings(self.flags)
        self._lock = threading.Lock()
        self._requests = 0

    def has(self, flag: str) -> bool:
        """Whether a flag is set."""
        return flag in self.flags

    def tick(self) -> int:
        """Count a request and return its number."""
        with self._lock:
            self._requests += 1
            return self._requests

    def encode(self, body: Any, status: int = 200) -> Response:
        """Render a body as PHP's json_encode would (or as a flag says)."""
        if self.has("raw-utf8"):
            text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        elif self.has("pretty-json"):
            text = json.dumps(body, indent=4).replace("/", "\\/")
        else:
            text = json.dumps(body, separators=(",", ":")).replace("/", "\\/")
        mimetype = "text/html" if self.has("html-content-type") else "application/json"
        return Response(text, status=status, content_type=f"{mimetype}; charset=UTF-8")

    def index(self) -> Response:
        """GET /mailer/sendstatistics."""
        if self.has("sort-field-400") and request.args.get("sort_field", "id") != "id":
            return self.encode({"message": "Invalid sort field"}, 400)
        listed = [] if self.has("unlisted") else sorted(self.mailings)
        items: list[dict[str, Any]] = [{"id": i, "letter_title": self.mailings[i]["letter_title"]} for i in listed]
        if self.has("listed-id-404"):
            items.append({"id": 99, "letter_title": "Черновик"})
        if self.has("duplicate-ids") and items:
            items.insert(1, dict(items[0]))
        if self.has("index-unsorted"):
            items.reverse()
        if self.has("index-by-title"):
            items.sort(key=lambda item: item["letter_title"])
        if self.has("index-title-missing") and items:
            del items[0]["letter_title"]
        if not items and not self.has("empty-as-200"):
            return Response(b"", status=204)
        return self.encode({"statistics": items})

    def view(self, segment: str) -> Response:
        """GET /mailer/sendstatistics/{id}."""
        if self.has("slow"):
            time.sleep(SLOW_SECONDS)
        default = ("id", "common") if self.has("default-all") else ("id",)
        # How the backend reads the request is contract/php's (the one model of it, judged by real PHP).
        reading = read_fields(parse_query(request.query_string).value("fields"), NAMES, default)
        fields = NAMES if self.has("fields-ignored") else reading.names
        if fields is not None and self.has("unknown-not-dropped") and reading.dropped:
            fields = None
        if fields is None:
            if self.has("invalid-fields-200"):
                fields = ("id",)
            else:
                error = dict(INVALID_FIELDS)
                if self.has("error-code-20520"):
                    error["code"] = 20520
                if self.has("error-text-wrong"):
                    error["message"] = "Invalid fields"
                return self.encode(error, 400)
        path = read_path_id(segment)
        if not path.digits or path.lookup is None:
            if self.has("non-numeric-id-500") and not path.digits:
                return Response("<h1>Internal Server Error</h1>", status=500, content_type="text/html")
            return self.not_found()
        mailing = self.mailings.get(path.lookup)
        if mailing is None and self.has("unknown-id-fabricated") and self.mailings:
            mailing = {**next(iter(self.mailings.values())), "id": path.lookup}
        if mailing is None:
            return self.not_found()
        if self.has("view-500") and fields != ("id",):
            return self.encode({"message": "Internal Server Error"}, 500)
        return self.encode(self.render(mailing, fields))

    def not_found(self) -> Response:
        """The 404 answer (or what a flag makes of it)."""
        if self.has("unknown-id-200-empty"):
            return Response(b"", status=200, content_type="application/json")
        return self.encode({"message": "Not Found" if self.has("not-found-text") else "Not found"}, 404)

    def render(self, mailing: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
        """Build a view body with the selected sections."""
        if self.has("id-always") and "id" not in fields:
            fields = ("id", *fields)
        if self.has("first-field-only"):
            fields = fields[:1]
        mailing = copy.deepcopy(mailing)
        if self.has("random-counts"):
            delivered = mailing["common"]["delivered"]
            mailing["common"]["opened"] = random.randint(0, delivered)
        body: dict[str, Any] = {}
        for name in fields:
            value = mailing[name]
            if name in MAP_SECTIONS:
                value = self.map_section(name, value)
            body[name] = value
        return self.mangle(body)

    def map_section(self, name: str, value: dict[str, Any]) -> Any:
        """Encode one map section (PHP's rules unless a flag breaks them)."""
        if self.has("empty-map-as-object") and not value:
            return {}
        if self.has("list-as-object") and name == "errors":
            return dict(value)
        return php_map(value)

    def mangle(self, body: dict[str, Any]) -> dict[str, Any]:
        """Apply the flags that distort a finished view body."""
        common = body.get("common")
        if isinstance(common, dict):
            if self.has("count-as-string"):
                common["count"] = str(common["count"])
            if self.has("missing-opened"):
                del common["opened"]
            if self.has("counts-as-floats"):
                common.update({key: float(value) for key, value in common.items() if isinstance(value, int)})
        if "id" in body:
            if self.has("id-as-string"):
                body["id"] = str(body["id"])
            if self.has("view-id-off"):
                body["id"] += 1000
        if self.has("extra-key"):
            body["status"] = "finished"
        if self.has("keys-reordered"):
            body = {key: _reversed(value) for key, value in reversed(body.items())}
        return body


def _reversed(value: Any) -> Any:
    return dict(reversed(value.items())) if isinstance(value, dict) else value


def create_app(flags: Iterable[str] = ()) -> Flask:
    """Build the reference server with the given flags."""
    app = Flask(__name__)
    reference = Reference(flags)
    app.extensions["reference"] = reference

    @app.before_request
    def _intermittent() -> Response | None:
        if reference.has("intermittent-500") and reference.tick() % 5 == 0:
            return Response("<h1>502 Bad Gateway</h1>", status=500, content_type="text/html")
        if not request.headers.get("X-Estis-Auth"):
            return reference.encode({"message": "Unauthorized"}, 401)
        return None

    app.add_url_rule("/mailer/sendstatistics", "index", reference.index)
    app.add_url_rule("/mailer/sendstatistics/<path:segment>", "view", reference.view)
    return app
