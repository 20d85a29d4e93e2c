"""Rules of one view answer that need its request: the path id, the requested fields, dropped names."""

from __future__ import annotations

from contract.checks.context import CheckContext
from contract.errors import RuleViolation
from contract.exchange import Exchange
from contract.expect import names_a_mailing
from contract.php import fields_value, read_path_id


def _view_body(exchange: Exchange) -> dict[str, object] | None:
    if exchange.operation != "view" or exchange.status != 200:
        return None
    try:
        body = exchange.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def view_id_is_path_id(ctx: CheckContext, exchange: Exchange) -> None:
    """The id of a view answer equals the id in the path."""
    body = _view_body(exchange)
    segment = exchange.segment or ""
    path = read_path_id(segment)
    if body is None or "id" not in body or not names_a_mailing(path):
        return
    if not isinstance(body["id"], int) or body["id"] != path.lookup:
        raise RuleViolation(
            "view-id-is-path-id",
            "The view answers for another mailing than the path names",
            f"Received: id {body['id']!r} for {exchange.describe()}. Documented: id {path.lookup}.",
        )


def _sections(ctx: CheckContext, exchange: Exchange) -> tuple[set[str], set[str], str] | None:
    """The valid requested names, the answer's keys, and how the request asked; None when not judged."""
    body = _view_body(exchange)
    reading = ctx.reading(exchange)
    if body is None or reading is None or reading.invalid:
        return None
    names = reading.names or ()
    asked = f"fields={fields_value(names)}" if reading.kind == "names" else "no fields (the default)"
    return set(names), set(body), asked


def view_requested_sections_present(ctx: CheckContext, exchange: Exchange) -> None:
    """Every valid requested section (the default: id) is in the view answer."""
    sections = _sections(ctx, exchange)
    if sections is None or not sections[0] - sections[1]:
        return
    wanted, got, asked = sections
    raise RuleViolation(
        "view-requested-sections-present",
        "The view leaves out a requested section",
        f"Received: keys {sorted(got)} (missing {', '.join(sorted(wanted - got))}) for {exchange.describe()}. "
        f"Documented: {sorted(wanted)} for {asked}.",
    )


def view_no_unrequested_sections(ctx: CheckContext, exchange: Exchange) -> None:
    """A view answer holds no section that was not requested, id aside (the seed's fields selects sections)."""
    sections = _sections(ctx, exchange)
    if sections is None:
        return
    wanted, got, asked = sections
    extra = got - wanted - {"id"}
    if not extra:
        return
    raise RuleViolation(
        "view-no-unrequested-sections",
        "The view answers sections that were not requested",
        f"Received: keys {sorted(got)} (unrequested {', '.join(sorted(extra))}) for {exchange.describe()}. "
        f"Documented: {sorted(wanted)} for {asked}; fields selects the sections to return.",
    )


def view_id_only_when_requested(ctx: CheckContext, exchange: Exchange) -> None:
    """A view answer holds id only when it was requested (or is the default)."""
    sections = _sections(ctx, exchange)
    if sections is None:
        return
    wanted, got, asked = sections
    if "id" not in got or "id" in wanted:
        return
    raise RuleViolation(
        "view-id-only-when-requested",
        "The view answers id although it was not requested",
        f"Received: keys {sorted(got)} for {exchange.describe()}. "
        f"Documented (inferred): exactly {sorted(wanted)} for {asked}; id only when asked for.",
    )


def unknown_fields_dropped(ctx: CheckContext, exchange: Exchange) -> None:
    """Unknown names beside a valid one are dropped: the answer is 200, not 400.

    The other half of the rule (a list with no valid name is 400 / 20620) is the seed's own 400, so
    the status check judges it, as an error.
    """
    reading = ctx.reading(exchange)
    if reading is None or reading.kind != "names" or not reading.dropped:
        return
    if exchange.status == 400:
        raise RuleViolation(
            "unknown-fields-dropped",
            "Unknown names beside a valid one are rejected instead of dropped",
            f"Received: 400 for {exchange.describe()} (unknown: {', '.join(reading.dropped)}). "
            f"Documented: 200 with {list(reading.names or ())}; unknown names are dropped.",
        )
