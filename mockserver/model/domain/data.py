"""Everything the generator reads from mockserver/data and the contract, loaded once per account."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from contract.spec import Contract
from mockserver.model.domain.audience import AudienceData, parse_audience
from mockserver.model.domain.bounces import parse_kind_factors
from mockserver.model.domain.datafile import read_data
from mockserver.model.domain.errorcodes import CodeBook, parse_codebook
from mockserver.model.domain.links import LinkData, parse_links
from mockserver.model.domain.opentime import OpenCurve, parse_open_curve
from mockserver.model.domain.profiles import ProfileBook, parse_profiles
from mockserver.model.domain.schedule import SendClock, parse_send_clock
from mockserver.model.domain.titles import TitleData, parse_titles


@dataclass(frozen=True)
class ModelData:
    """The parsed data files: immutable, so one instance serves every thread."""

    profiles: ProfileBook
    audience: AudienceData
    kind_factors: Mapping[str, Mapping[str, float]]
    codes: CodeBook
    opens: OpenCurve
    sending: SendClock
    titles: TitleData
    links: LinkData


def load_model_data(contract: Contract | None = None) -> ModelData:
    """Read and check every data file; error codes and their classes come from the contract."""
    contract = contract or Contract.load(validate=False)
    delivery = read_data("delivery.yaml")
    clock = read_data("clock.yaml")
    names = read_data("names.yaml")
    titles = parse_titles(read_data("titles.yaml"), names)
    return ModelData(
        profiles=parse_profiles(read_data("profiles.yaml")),
        audience=parse_audience(read_data("audience.yaml"), names),
        kind_factors=parse_kind_factors(delivery, "data/delivery.yaml"),
        codes=parse_codebook(delivery, contract),
        opens=parse_open_curve(clock),
        sending=parse_send_clock(clock),
        titles=titles,
        links=parse_links(read_data("links.yaml"), titles.themes),
    )
