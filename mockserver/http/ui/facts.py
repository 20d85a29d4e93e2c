"""What the UI reads rather than restates: the API's paths and fields, the error catalogue, the mock's names."""

from __future__ import annotations

from typing import Any

from contract.spec import Contract
from mockserver.control.api.common import PREFIX as CONTROL_PREFIX
from mockserver.errors import ConfigError
from mockserver.http.auth import api_key_header
from mockserver.names import (
    FAULT_HEADER,
    SCENARIO_COOKIE,
    SCENARIO_HEADER,
    SCENARIO_PARAMETER,
    SCENARIO_RESPONSE_HEADER,
    SESSION_COOKIE,
    SESSION_HEADER,
    SESSION_PARAMETER,
    WARNING_HEADER,
)

__all__ = ["page_facts"]


def page_facts(contract: Contract) -> dict[str, Any]:
    """Return the facts the page needs, from the contract and the mock's constants (served as facts.json)."""
    index, view = _paths(contract)
    return {
        "control": CONTROL_PREFIX,
        "api": {
            "index": index,
            "view": view,
            "fields": list(contract.field_names),
            "fields_parameter": contract.parameter("Fields")["name"],
            "key_header": api_key_header(contract),
        },
        "select": {
            "scenario": {"header": SCENARIO_HEADER, "cookie": SCENARIO_COOKIE, "query": SCENARIO_PARAMETER},
            "session": {"header": SESSION_HEADER, "cookie": SESSION_COOKIE, "query": SESSION_PARAMETER},
        },
        "headers": {"warning": WARNING_HEADER, "scenario": SCENARIO_RESPONSE_HEADER, "fault": FAULT_HEADER},
        "catalogue": {
            "classes": dict(contract.schema("DeliveryErrorCode").get("x-classes", {})),
            "codes": [
                {"code": entry.code, "class": entry.error_class, "en": entry.title, "ru": entry.ru}
                for entry in contract.error_catalogue
            ],
        },
    }


def _paths(contract: Contract) -> tuple[str, str]:
    """Return the index's path and the view's path template: the GET paths without and with a parameter."""
    gets = [path for path, item in contract.document["paths"].items() if "get" in item]
    plain = [path for path in gets if "{" not in path]
    templated = [path for path in gets if path.count("{") == 1]
    if len(plain) != 1 or len(templated) != 1:
        raise ConfigError(f"the UI expects one list and one view path in the contract, not {gets}")
    return plain[0], templated[0]
