"""data/names.yaml holds Faker's ru_RU words as the model draws them, and the model no longer imports Faker."""

from __future__ import annotations

import subprocess
import sys

from mockserver.model.domain.data import ModelData
from mockserver.model.domain.datafile import read_data
from tests.mockserver.model.domain.faker_words import NAMES_FILE, faker_words, text


def test_the_data_file_is_fakers_words() -> None:
    """names.yaml equals the lists of the installed Faker (regenerate it with faker_words --write)."""
    assert read_data("names.yaml") == faker_words()


def test_the_data_file_is_as_generated() -> None:
    """names.yaml is byte for byte what faker_words writes, header included."""
    assert NAMES_FILE.read_text(encoding="utf-8") == text()


def test_titles_and_domains_draw_from_the_data_file(data: ModelData) -> None:
    """Names, surnames and cities of titles and company domains are the data file's, in its order."""
    names = read_data("names.yaml")
    assert data.titles.words["name"] == (*names["first_names_male"], *names["first_names_female"])
    assert data.titles.words["surname"] == tuple(names["last_names_male"])
    assert data.audience.words["surname"] == tuple(names["surnames_latin"])


def test_the_mock_runs_without_importing_faker() -> None:
    """Building the app and generating a mailing import no Faker module (its import costs start-up time)."""
    code = (
        "import sys; from mockserver.http.app import create_app; "
        "app = create_app({'SENDSTAT_RELOAD_INTERVAL': None}); "
        "app.test_client().get('/mailer/sendstatistics/2?fields=%5B%22common%22%5D'); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'faker'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.strip() == "[]"
