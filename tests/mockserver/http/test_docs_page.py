"""The page for people: /docs rendered from openapi.yaml, offline; / leads there; /openapi.yaml verbatim."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from contract.spec import Contract, default_document_path
from mockserver.http.docs_page import markdown
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


def test_the_contract_is_served_byte_for_byte(client: FlaskClient) -> None:
    """/openapi.yaml is the same bytes as the file."""
    response = client.get("/openapi.yaml")
    assert response.status_code == 200
    assert response.data == default_document_path().read_bytes()
    assert response.content_type.startswith("application/yaml")


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
