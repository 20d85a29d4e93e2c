"""Loading scenarios: one file into a Scenario, and a library of named scenarios from directories."""

from __future__ import annotations

import difflib
import hashlib
import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from contract.spec import Contract
from mockserver.errors import ScenarioError, UnknownScenario
from mockserver.model.domain.data import ModelData, load_model_data
from mockserver.scenario.build import build
from mockserver.scenario.judge import judge
from mockserver.scenario.scenario import Scenario
from mockserver.scenario.schema import ScenarioValidator, check_document, load_schema
from mockserver.scenario.source import ScenarioSource
from mockserver.scenario.yamlfile import MAX_BYTES, read_yaml

__all__ = [
    "MAX_NAME_CHARS",
    "NAME_RULE",
    "LoadContext",
    "ScenarioLibrary",
    "default_scenario_dirs",
    "is_scenario_name",
    "load_scenario_file",
]

logger = logging.getLogger(__name__)
SUFFIXES = (".yaml", ".yml")
MAX_NAME_CHARS = 64
_NAME = re.compile(rf"^[a-z0-9][a-z0-9-]{{0,{MAX_NAME_CHARS - 1}}}$")
NAME_RULE = f"1 to {MAX_NAME_CHARS} lowercase letters, digits and '-', a letter or digit first"
# The longest scenario path accepted (Linux's PATH_MAX); a name part may hold at most 255 bytes.
MAX_PATH_BYTES = 4096


@dataclass(frozen=True)
class LoadContext:
    """What loading reads besides the file: the contract, the domain model's data, the scenario schema."""

    contract: Contract
    data: ModelData
    validator: ScenarioValidator

    @classmethod
    def create(cls, contract: Contract | None = None, data: ModelData | None = None) -> LoadContext:
        """Build a context; the shipped contract and data files by default (loaded once, then shared)."""
        contract = contract or Contract.load(validate=False)
        return cls(
            contract=contract, data=data or load_model_data(contract), validator=ScenarioValidator(load_schema())
        )


def is_scenario_name(text: str) -> bool:
    """Tell whether a text is a scenario's name (a file's stem), not a path."""
    return _NAME.match(text) is not None


def default_scenario_dirs() -> list[Path]:
    """Return the shipped scenarios: inside the installed package, else `scenarios/` at the checkout's root."""
    package = Path(__file__).resolve().parent.parent  # mockserver/
    packaged = package / "scenarios"
    if packaged.is_dir():
        return [packaged]
    return [package.parent / "scenarios"]


def load_scenario_file(path: Path, context: LoadContext | None = None) -> Scenario:
    """Read, validate and build one scenario file; raise ScenarioError naming the file, line and field."""
    context = context or LoadContext.create()
    try:
        return _loaded(path, context)
    except ScenarioError:
        raise
    except Exception as exc:  # a file must never crash the mock: whatever it holds, its error is one line
        logger.debug("scenario %s: unexpected error", path, exc_info=True)
        raise ScenarioError(f"cannot be loaded: {type(exc).__name__}: {str(exc)[:200]}", path=path) from None


def _loaded(path: Path, context: LoadContext) -> Scenario:
    """Read, validate, build and judge one file."""
    document = read_yaml(path)
    problems = check_document(document, context.validator)
    if problems:
        raise ScenarioError.first_of(problems)
    built = build(document, context.contract, context.data)
    verdict = judge(
        document,
        context.contract,
        context.data,
        spec=built.mailings,
        clock=built.clock,
        forced=built.forced,
        listed=ScenarioSource(built.mailings, context.data, None).ids(),
    )
    if verdict.errors:
        raise ScenarioError.first_of(verdict.errors)
    return Scenario(
        name=built.name,
        description=built.description,
        path=path,
        seed=built.seed,
        clock=built.clock,
        mailings=built.mailings,
        data=context.data,
        empty_index_status=built.empty_index_status,
        auth_keys=built.auth_keys,
        latency=built.latency,
        faults=built.faults,
        forced=built.forced,
        json_flags=built.json_flags,
        warnings=tuple(verdict.warnings),
    )


@dataclass(frozen=True)
class _Loaded:
    scenario: Scenario
    digest: str


class ScenarioLibrary:
    """Named scenarios from directories (the first directory wins a name); reloadable while serving.

    A file that turns bad keeps its last good version: reload() returns (and logs) its error instead.
    lazy: only list the files at first, and load each when it is first asked for (a server starts on one
    scenario); complete() or reload() loads them all, and with them every error.
    """

    def __init__(self, dirs: Sequence[Path], context: LoadContext | None = None, *, lazy: bool = False) -> None:
        self.dirs = [Path(d) for d in dirs]
        self.context = context or LoadContext.create()
        self._lock = threading.Lock()
        self._loaded: dict[Path, _Loaded] = {}
        self._names: dict[str, Path] = {}
        self._failed: dict[Path, ScenarioError] = {}
        self.errors: list[ScenarioError] = []
        self._complete = False
        if lazy:
            names, _, errors = self._scan()
            with self._lock:
                self._names, self.errors = names, errors
        else:
            self.reload()

    def complete(self) -> None:
        """Load every file not loaded yet (a lazy library), so that errors lists every bad file."""
        if not self._complete:
            self.reload()

    def problems(self, within: Sequence[Path] | None = None) -> list[ScenarioError]:
        """Load every listed file (those inside `within` only, when given) and return every problem found."""
        _, found, errors = self._scan()
        roots = None if within is None else [Path(d).resolve() for d in within]
        for path in found:
            if roots is not None and not any(path.is_relative_to(root) for root in roots):
                continue
            try:
                self._load(path)
            except ScenarioError as error:
                errors.append(error)
        return errors

    def stale(self, path: Path | None) -> ScenarioError | None:
        """Return the problem of a file that loaded before and no longer does (its old version is served)."""
        if path is None:
            return None
        with self._lock:
            return self._failed.get(path) if path in self._loaded else None

    def names(self) -> list[str]:
        """Return the names of the scenarios found, sorted."""
        with self._lock:
            return sorted(self._names)

    def get(self, name_or_path: str) -> Scenario:
        """Return a scenario by name, or by a path to a file inside one of the scenario directories."""
        if _NAME.match(name_or_path):
            with self._lock:
                path = self._names.get(name_or_path)
                if path is not None and path in self._loaded:
                    return self._loaded[path].scenario
                failed = self._failed.get(path) if path is not None else None
            if failed is not None:
                raise failed
            if path is not None:  # listed, not loaded yet (a lazy library)
                return self._load(path)
            close = difflib.get_close_matches(name_or_path, self.names(), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UnknownScenario(f"no scenario named {name_or_path!r}{hint}; known: {', '.join(self.names())}")
        path = self.resolve(name_or_path)
        with self._lock:
            loaded = self._loaded.get(path)
        if loaded is not None:
            return loaded.scenario
        return self._load(path)

    def resolve(self, text: str) -> Path:
        """Return the real path of a scenario file named by text, which must lie inside a scenario directory."""
        if len(text.encode("utf-8", "replace")) > MAX_PATH_BYTES:
            raise ScenarioError(
                f"a scenario path of {len(text.encode('utf-8', 'replace')):,} bytes: at most {MAX_PATH_BYTES:,}"
            )
        given = Path(text)
        if ".." in given.parts:
            raise ScenarioError(f"{_short(text)}: a scenario path may not contain '..'")
        if given.suffix not in SUFFIXES:
            raise ScenarioError(f"{_short(text)}: expected a scenario name or a path to a .yaml file")
        roots = [d.resolve() for d in self.dirs]
        candidates = [given] if given.is_absolute() else [*(root / given for root in roots), Path.cwd() / given]
        for candidate in candidates:
            try:
                is_file = candidate.is_file()
            except OSError as exc:  # a part longer than the file system allows (255 bytes), and the like
                raise ScenarioError(f"{_short(text)}: not a usable file name ({exc.strerror or exc})") from None
            if is_file:
                real = candidate.resolve()
                if any(real.is_relative_to(root) for root in roots):
                    return real
                raise ScenarioError(f"{_short(text)}: lies outside the scenario directories ({_shown(self.dirs)})")
        raise UnknownScenario(f"{_short(text)}: no scenario file there (directories: {_shown(self.dirs)})")

    def reload(self) -> list[ScenarioError]:
        """Re-read every scenario file; a bad one keeps its last good version. Return the problems found."""
        names, found, errors = self._scan()
        with self._lock:
            extra = [p for p in self._loaded if p not in found and p.is_file()]  # loaded by path: kept fresh too
        for path in [*found, *extra]:
            try:
                self._load(path)
            except ScenarioError as error:
                errors.append(error)
                logger.warning("scenario %s not (re)loaded: %s", path.name, error)
        with self._lock:
            self._names = names
            for path in list(self._loaded):
                if not path.is_file():
                    del self._loaded[path]
            self.errors = errors
            self._complete = True
        return errors

    def _scan(self) -> tuple[dict[str, Path], list[Path], list[ScenarioError]]:
        """List the scenario files by name (the first directory wins), with the problems of the listing."""
        errors: list[ScenarioError] = []
        names: dict[str, Path] = {}
        found: list[Path] = []
        for directory in self.dirs:
            if not directory.is_dir():
                errors.append(ScenarioError("not a directory: no scenarios read from it", path=directory))
                continue
            root = directory.resolve()
            for path in sorted(p for p in directory.glob("*") if p.suffix in SUFFIXES and p.is_file()):
                if not _NAME.match(path.stem) or path.stem in names:
                    continue
                if not path.resolve().is_relative_to(root):
                    errors.append(ScenarioError("a link to a file outside the scenario directory: skipped", path=path))
                    continue
                names[path.stem] = path.resolve()
                found.append(path.resolve())
        return names, found, errors

    def _load(self, path: Path) -> Scenario:
        try:
            with path.open("rb") as handle:
                digest = hashlib.sha256(handle.read(MAX_BYTES + 1)).hexdigest()
        except OSError as exc:
            raise ScenarioError(f"cannot read: {exc.strerror or exc}", path=path) from None
        with self._lock:
            loaded = self._loaded.get(path)
        if loaded is not None and loaded.digest == digest:
            return loaded.scenario
        try:
            scenario = load_scenario_file(path, self.context)
        except ScenarioError as error:
            with self._lock:
                self._failed[path] = error
            raise
        for warning in scenario.warnings:
            logger.warning("scenario %s: %s", scenario.name, warning)
        with self._lock:
            self._loaded[path] = _Loaded(scenario, digest)
            self._failed.pop(path, None)
        return scenario


def _short(text: str) -> str:
    """Render a client's name or path in a message: quoted, cut to 80 characters."""
    return repr(text) if len(text) <= 80 else repr(text[:80]) + f"... ({len(text):,} characters)"


def _shown(dirs: Sequence[Path]) -> str:
    return ", ".join(str(d) for d in dirs)
