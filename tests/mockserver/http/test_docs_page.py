"""The page for people: /docs rendered from openapi.yaml, offline; / leads there; /openapi.yaml fit to the mock."""

from __future__ import annotations

import re

import pytest
import yaml
from flask.testing import FlaskClient

from contract.spec import Contract, default_document_path
from mockserver.http.docs_page import markdown
from mockserver.http.served_document import served_document
from tests.conftest import MakeApp


@pytest.fixture
def page(client: FlaskClient) -> str:
    """The /docs page's HTML."""
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.content_type == "text/html; charset=utf-8"
    return response.get_data(as_text=True)


def test_the_page_shows_every_operation_parameter_and_response(page: str, contract: Contract) -> None:
    """Each path, operationId, summary, parameter name and documented status appears on the page."""
    for path, item in contract.document["paths"].items():
        operation = item["get"]
        assert f"<code>{path}</code>" in page
        assert operation["operationId"] in page
        assert operation["summary"] in page
        for status in operation["responses"]:
            assert f'<h5 class="status">{status}</h5>' in page
    for name in ("sort_field", "fields", "id"):
        assert f"<code>{name}</code>" in page


def test_the_page_shows_examples_readable_and_as_sent(page: str) -> None:
    """Examples appear indented and in PHP's wire form (escaped Unicode, [] for empty maps)."""
    assert "&#34;letter_title&#34;: &#34;Скидки до 50% только до воскресенья 🔥&#34;" in page
    assert "\\u0421\\u043a\\u0438\\u0434\\u043a\\u0438" in page
    assert "&#34;errors&#34;:[7]" in page


def test_the_page_has_the_error_catalogue(page: str, contract: Contract) -> None:
    """Every delivery error code appears with its meaning, Russian text and class."""
    for entry in contract.error_catalogue:
        assert (
            f"<tr><td><code>{entry.code}</code></td><td>{entry.title}</td>"
            f'<td lang="ru">{entry.ru}</td><td>{entry.error_class}</td></tr>'
        ) in page


def test_the_page_has_the_rules_and_the_quirks(page: str, contract: Contract) -> None:
    """Every domain rule id and the document's encoding quirks are on the page."""
    for rule in contract.rules:
        assert f"<code>{rule.id}</code>" in page
    assert "<h3>Encoding quirks of the real backend (PHP <code>json_encode</code>)</h3>" in page
    assert "<strong>empty map is sent as <code>[]</code></strong>" in page
    assert "X-Mock-Warning" in page


def test_the_page_loads_nothing_from_elsewhere(page: str) -> None:
    """No script, no external stylesheet, font or image: every src/href is local, a fragment or data:."""
    assert "<script" not in page
    assert "@import" not in page
    assert "url(" not in page
    references = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert references
    assert all(ref.startswith(("#", "/", "data:")) and not ref.startswith("//") for ref in references)


def test_the_page_says_whether_authentication_is_on(make_app: MakeApp) -> None:
    """The page tells a person whether this mock requires the key."""
    on = make_app(SENDSTAT_AUTH_KEYS=["k"]).test_client().get("/docs").get_data(as_text=True)
    assert "In this mock: required." in on


def test_the_root_leads_to_the_docs(client: FlaskClient) -> None:
    """/ redirects to /docs."""
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/docs"


def test_the_served_contract_points_at_the_mock_and_asks_no_key_of_a_keyless_scenario(client: FlaskClient) -> None:
    """/openapi.yaml is the file but for `servers` (this mock, as reached) and `security` ([] for the default)."""
    response = client.get("/openapi.yaml", base_url="http://127.0.0.1:8123")
    assert response.status_code == 200
    assert response.content_type.startswith("application/yaml")
    served, original = yaml.safe_load(response.data), yaml.safe_load(default_document_path().read_bytes())
    assert served["servers"][0]["url"] == "http://127.0.0.1:8123"
    assert served["security"] == []
    assert original["servers"][0]["url"] == "https://v1.estismail.com"
    assert {k: v for k, v in served.items() if k not in ("servers", "security")} == {
        k: v for k, v in original.items() if k not in ("servers", "security")
    }
    assert b"# " in response.data  # the file's comments are kept: only two blocks are rewritten


def test_the_served_contract_requires_the_key_when_the_scenario_does(make_app: MakeApp) -> None:
    """With auth-required active, the served document keeps the file's security (X-Estis-Auth on every call)."""
    client = make_app(SENDSTAT_SOURCE=None, SENDSTAT_SCENARIO="auth-required").test_client()
    served = yaml.safe_load(client.get("/openapi.yaml").data)
    assert served["security"] == [{"EstisAuth": []}]
    assert served["servers"][0]["url"] == "http://localhost"


def test_the_page_says_whether_the_active_scenario_takes_a_key(make_app: MakeApp) -> None:
    """/docs says a key is required when the active scenario takes one (auth-required), off otherwise."""
    keyed = make_app(SENDSTAT_SOURCE=None, SENDSTAT_SCENARIO="auth-required").test_client().get("/docs")
    assert "In this mock: required." in keyed.get_data(as_text=True)
    keyless = make_app(SENDSTAT_SOURCE=None).test_client().get("/docs")
    assert "In this mock: off (no keys configured)." in keyless.get_data(as_text=True)


def test_a_hostile_host_cannot_inject_yaml(client: FlaskClient) -> None:
    """The base URL is written as a quoted scalar: a Host with quotes, colons and a hash stays one string."""
    response = client.get("/openapi.yaml", headers={"Host": 'x" # security: [evil]'})
    served = yaml.safe_load(response.data)
    assert served["security"] == []
    assert len(served["servers"]) == 1
    assert yaml.safe_load(served_document(b"paths: {}\n", 'a"\nsecurity: x', key_required=True)) == {
        "paths": {},
        "servers": [{"url": 'a"\nsecurity: x', "description": served["servers"][0]["description"]}],
    }


@pytest.mark.parametrize("text", [b"openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n", b"paths: {}"])
def test_a_document_without_servers_or_security_gets_them(text: bytes) -> None:
    """An operator's document lacking the blocks gets them added, still valid YAML."""
    served = yaml.safe_load(served_document(text, "http://h:1", key_required=False))
    assert (served["servers"][0]["url"], served["security"]) == ("http://h:1", [])


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("plain text", "<p>plain text</p>"),
        ("one\ntwo\n\nthree", "<p>one two</p><p>three</p>"),
        ("## Title", "<h3>Title</h3>"),
        ("* a\n  continued\n* b", "<ul><li>a continued</li><li>b</li></ul>"),
        ("intro\n* item", "<p>intro</p><ul><li>item</li></ul>"),
        ("`x < y` and **bold**", "<p><code>x &lt; y</code> and <strong>bold</strong></p>"),
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ("", ""),
    ],
)
def test_markdown_renders_the_documents_subset_escaped(text: str, html: str) -> None:
    """Paragraphs, headings, bullets, code and bold render; HTML in the text is escaped."""
    assert str(markdown(text)) == html
