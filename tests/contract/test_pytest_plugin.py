"""The pytest plugin: `pytest --sendstat-url URL` runs the suite as items; inert without the option."""

from __future__ import annotations

import pytest

from tests.contract.faults.serve import AUTH, Running

TEST_FILE = '''
def test_own():
    """A team's own test."""
'''


@pytest.fixture
def plugin_pytester(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester that loads only the sendstat plugin, explicitly, whether or not its entry point is installed."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makepyfile(test_own=TEST_FILE)
    return pytester


def run_plugin(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """Run pytest in-process with the plugin and the given options."""
    return pytester.runpytest_inprocess("-p", "contract.pytest_plugin", "-p", "no:cacheprovider", *args)


def test_inert_without_the_option(plugin_pytester: pytest.Pytester) -> None:
    """Without --sendstat-url the plugin adds no item: a team's suite runs as before."""
    result = run_plugin(plugin_pytester)
    result.assert_outcomes(passed=1)


@pytest.mark.slow
def test_items_pass_against_a_correct_server(plugin_pytester: pytest.Pytester, matrix: Running) -> None:
    """Against the correct reference server every check item passes beside the team's own test."""
    result = run_plugin(
        plugin_pytester,
        f"--sendstat-url={matrix.url('reference')}",
        f"--sendstat-header=X-Estis-Auth: {AUTH['X-Estis-Auth']}",
        "--sendstat-max-examples=3",
    )
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) == 0
    assert outcomes["passed"] > 10


@pytest.mark.slow
def test_failing_item_shows_the_suite_message(plugin_pytester: pytest.Pytester, matrix: Running) -> None:
    """A broken server fails the item of the broken rule with the received/documented text, key masked."""
    result = run_plugin(
        plugin_pytester,
        f"--sendstat-url={matrix.url('duplicate-ids')}",
        f"--sendstat-header=X-Estis-Auth: {AUTH['X-Estis-Auth']}",
        "--sendstat-max-examples=3",
    )
    result.stdout.fnmatch_lines(["*sendstat check: index-unique-ids*", "*Received: id 1 more than once*"])
    assert AUTH["X-Estis-Auth"] not in result.stdout.str()
    assert result.parseoutcomes()["failed"] == 1


@pytest.mark.slow
def test_warnings_appear_as_a_report_section(plugin_pytester: pytest.Pytester, matrix: Running) -> None:
    """An inferred rule broken without --sendstat-strict passes, with the warning in the item's report."""
    result = run_plugin(
        plugin_pytester,
        f"--sendstat-url={matrix.url('opened-over-delivered')}",
        f"--sendstat-header=X-Estis-Auth: {AUTH['X-Estis-Auth']}",
        "--sendstat-max-examples=3",
        "-rA",
    )
    assert result.parseoutcomes().get("failed", 0) == 0
    result.stdout.fnmatch_lines(["*sendstat warnings*", "*opened-within-delivered*"])


def test_unreachable_server_fails_with_one_line(plugin_pytester: pytest.Pytester, closed_url: str) -> None:
    """A server that cannot be reached fails the items with the suite's one-line reason, no traceback."""
    result = run_plugin(plugin_pytester, f"--sendstat-url={closed_url}")
    result.stdout.fnmatch_lines([f"*sendstat: cannot reach {closed_url}*"])
    assert "Traceback" not in result.stdout.str()


def test_a_bad_url_is_a_usage_error(plugin_pytester: pytest.Pytester) -> None:
    """A --sendstat-url that is no server's URL stops pytest with one usage line, before any test runs."""
    result = run_plugin(plugin_pytester, "--sendstat-url=http://127.0.0.1:99999")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*sendstat: --base-url 'http://127.0.0.1:99999': not a URL*"])


def test_the_run_limits_are_the_checks_own(plugin_pytester: pytest.Pytester) -> None:
    """Rate, timeout, budget, body size and latency options reach the run's settings as `sendstat check`'s do."""
    from contract.pytest_plugin import settings_from_options

    config = plugin_pytester.parseconfig(
        "-p",
        "contract.pytest_plugin",
        "--sendstat-url=http://127.0.0.1:8000",
        "--sendstat-rate-limit=5/s",
        "--sendstat-timeout=3",
        "--sendstat-budget=40",
        "--sendstat-max-body=2MiB",
        "--sendstat-max-latency=0.5",
    )
    settings = settings_from_options(config)
    assert (settings.rate_limit, settings.timeout, settings.max_time) == ("5/s", 3.0, 40.0)
    assert (settings.max_body, settings.max_latency) == (2 * 1024**2, 0.5)


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("--sendstat-budget=0", "*sendstat: --sendstat-budget: expected a number of seconds > 0*"),
        ("--sendstat-max-body=12", "*sendstat: --sendstat-max-body '12': expected at least 1KiB*"),
        ("--sendstat-rate-limit=fast", "*sendstat: --rate-limit 'fast': expected N/s*"),
    ],
)
def test_a_bad_run_limit_is_a_usage_error(plugin_pytester: pytest.Pytester, given: str, said: str) -> None:
    """A malformed limit stops pytest with one usage line naming the option, before any test runs."""
    result = run_plugin(plugin_pytester, "--sendstat-url=http://127.0.0.1:8000", given)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([said])
