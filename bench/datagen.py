"""Provinces generated through the domain (dữ liệu sinh qua miền nghiệp vụ) for the benchmarks.

Every event is made by a domain aggregate's own command method (units, staff, block years with
members, pledges, reviews, officers and leading units, open ballots, monthly rating sheets with
corrections, year-end staff ratings) and saved with the province application's `save`, many
aggregates per save. So topics, payloads and ordering are the product's own, while a million
events take minutes rather than the hours one command per transaction would.

The mix per year follows the cycle in docs (domain.md): a province of `units` units in blocks of
10 with `staff_per_unit` staff each; years follow one another until `target` events are written.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import structlog
from eventsourcing.domain import Aggregate

from thidua.domain.ballots import Ballot
from thidua.domain.block_year import BlockYear
from thidua.domain.provenance import Actor, Provenance
from thidua.domain.ratings import RatingSheet
from thidua.domain.rules import national_rules_in_force
from thidua.domain.staff import StaffMember
from thidua.domain.transcodings import register_domain_transcodings
from thidua.domain.units import Unit
from thidua.services.province_app import ProvinceApplication

log = structlog.get_logger()

GENERATOR_VERSION = 1  # bump when the mix changes: cached provinces are then regenerated
# Events per save (one transaction). Larger saves are faster, but eventsourcing's pipelined
# executemany deadlocks (psycopg 3.3.9, psycopg issue #685) once one save carries about 1 MB
# over the embedded server's Unix socket: 1,000 events of 900 bytes hang, 600 do not; 200 rating
# sheets of thirty entries each hang too.
SAVE_EVENTS = 60
GROUPS = ("unit_leadership", "heads_of_department", "specialists")

Progress = Callable[[int, int], None]  # (events written, target)


@dataclass(frozen=True)
class Shape:
    units: int = 1_000
    staff_per_unit: int = 30
    block_size: int = 10
    first_year: int = 2008
    correction_share: float = 0.03


def _by(user: str, role: str, unit: str | None, on: date, ref: str) -> Provenance:
    recorded = datetime(on.year, on.month, on.day, 9, 0, tzinfo=UTC)
    return Provenance(Actor(user, role, unit), recorded, on, ref)


def _group(i: int) -> str:
    return GROUPS[0] if i < 3 else GROUPS[1] if i < 9 else GROUPS[2]


def ensure_date_transcoding(app: ProvinceApplication) -> None:
    """Adapter while services/province_app.py does not yet register the domain's transcodings:
    a no-op once it does."""
    transcoder: Any = app.mapper.transcoder
    if date not in getattr(transcoder, "types", {}):
        register_domain_transcodings(transcoder)


class Saver:
    """Collects aggregates and saves them in batches of about SAVE_EVENTS events."""

    def __init__(self, app: ProvinceApplication, target: int, progress: Progress | None) -> None:
        self.app = app
        self.target = target
        self.progress = progress
        self.pending: list[Aggregate] = []
        self.pending_events = 0
        self.written = 0

    def add(self, *aggregates: Aggregate) -> None:
        for agg in aggregates:
            self.pending.append(agg)
            self.pending_events += len(agg.pending_events)
        if self.pending_events >= SAVE_EVENTS:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        self.app.save(*self.pending)
        self.written += self.pending_events
        self.pending, self.pending_events = [], 0
        if self.progress is not None:
            self.progress(self.written, self.target)

    @property
    def done(self) -> bool:
        return self.written + self.pending_events >= self.target


def _scores(rng: random.Random, staff: list[str]) -> dict[str, int]:
    """Mostly HTTNV, a few HTXSNV among specialists, within the 20% cap of every scope."""
    scores = {key: rng.randint(70, 89) for key in staff}
    specialists = [key for i, key in enumerate(staff) if _group(i) == GROUPS[2]]
    for key in rng.sample(specialists, k=min(len(specialists) // 6, len(staff) // 8)):
        scores[key] = rng.randint(90, 98)
    return scores


def generate(app: ProvinceApplication, province: str, target: int, *, shape: Shape | None = None,
             progress: Progress | None = None, seed: int = 7) -> int:
    """Write at least `target` events (stopping at the end of a save); return the count."""
    ensure_date_transcoding(app)
    generator = _Generator(Saver(app, target, progress), province, shape or Shape(), random.Random(seed))
    return generator.run()


class _Generator:
    """One province's history, year after year, until the target is reached."""

    def __init__(self, saver: Saver, province: str, shape: Shape, rng: random.Random) -> None:
        self.saver = saver
        self.province = province
        self.shape = shape
        self.rng = rng
        self.units = [f"u{n:04d}" for n in range(shape.units)]
        self.unit_aggs: dict[str, Unit] = {}
        self.roster: dict[str, dict[str, str]] = {}
        self.staff: dict[str, StaffMember] = {}

    def run(self) -> int:
        saver, year = self.saver, self.shape.first_year
        self._register()
        while not saver.done:
            self._block_cycle(year)
            saver.flush()
            monthly: dict[str, dict[str, int]] = {key: {} for key in self.staff}
            for month in range(1, 13):
                if saver.done:
                    break
                self._month_of_ratings(year, month, monthly)
            saver.flush()
            self._year_ratings(year, monthly)
            saver.flush()
            year += 1
        log.info("bench_province_generated", province=self.province, events=saver.written,
                 years=year - self.shape.first_year)
        return saver.written

    def _register(self) -> None:
        admin = _by("board", "province_admin", None, date(self.shape.first_year - 1, 12, 1), "bench-setup")
        for unit_key in self.units:
            self.unit_aggs[unit_key] = Unit.register(self.province, unit_key, f"Đơn vị {unit_key}", admin)
            self.saver.add(self.unit_aggs[unit_key])
            self.roster[unit_key] = {}
            for i in range(self.shape.staff_per_unit):
                key = f"{unit_key}-s{i:02d}"
                member = StaffMember.register(province=self.province, key=key, name=f"Cán bộ {key}",
                                              unit=unit_key, rating_group=_group(i), by=admin)
                self.staff[key] = member
                self.roster[unit_key][key] = _group(i)
                self.saver.add(member)
        self.saver.flush()

    def _block_cycle(self, year: int) -> None:
        """Open every block's year with its members, pledges, officers, a ballot and the reviews."""
        rules = national_rules_in_force(date(year, 1, 1))
        size = self.shape.block_size
        for b in range(0, len(self.units), size):
            members = self.units[b : b + size]
            block = f"k{b // size:03d}"
            by = _by("board", "province_admin", None, date(year, 1, 5), f"{block}-{year}")
            block_year = BlockYear.open(province=self.province, block=block, kind="block", year=year,
                                        members=members, members_claimed=len(members), by=by)
            joined = [self.unit_aggs[unit_key] for unit_key in members]
            for unit in joined:
                unit.join_block(block, "block", year, by)
            block_year.choose_officers(leader=members[0], deputy=members[1], method="acclamation",
                                       ballot=None, electorate=members, chosen_in_year=year - 1,
                                       rules=rules, by=by)
            for unit_key in members:
                clerk = _by(f"clerk-{unit_key}", "unit_clerk", unit_key, date(year, 1, 20), f"pledge-{year}")
                block_year.sign_pledge(unit_key, {"chi_tieu": "Hoàn thành xuất sắc nhiệm vụ"}, None, clerk)
            ballot = Ballot.open(province=self.province, key=f"{block}/{year}/leading",
                                 purpose="leading_units", subject=None, award=None, secret=False,
                                 question="elect", electorate="block_members", voters=members,
                                 options=members[:3], rules=rules, by=by)
            for unit_key in members:
                voter = _by(f"clerk-{unit_key}", "unit_clerk", unit_key, date(year, 12, 20), f"vote-{year}")
                ballot.cast_open_vote(voter=unit_key, choice=self.rng.choice(members[:3]), by=voter)
            ballot.close(present=None, by=by)
            block_year.hold_review("mid_year", members[0], None, by)
            block_year.hold_review("year_end", members[0], None, by)
            block_year.choose_leading_units([members[0]], "vote", ballot.key, rules, by)
            self.saver.add(block_year, ballot, *joined)

    def _month_of_ratings(self, year: int, month: int, monthly: dict[str, dict[str, int]]) -> None:
        rules = national_rules_in_force(date(year, month, 1))
        on = date(year, month, 28)
        for unit_key in self.units:
            by = _by(f"clerk-{unit_key}", "unit_clerk", unit_key, on, f"rating-{year}-{month}")
            staff_keys = list(self.roster[unit_key])
            sheet = RatingSheet.submit(province=self.province, unit=unit_key, year=year, month=month,
                                       scores=_scores(self.rng, staff_keys), roster=self.roster[unit_key],
                                       rules=rules, by=by)
            for key in staff_keys:
                if self.rng.random() < self.shape.correction_share:
                    old = sheet.entry(key)["score"]
                    new = old - 1 if old >= 71 else old + 1
                    if 70 <= new <= 89:
                        sheet.correct(key, new, "Rà soát lại minh chứng", rules, by)
            for key, score in sheet.scores().items():
                monthly[key][f"{month:02d}"] = score
            self.saver.add(sheet)

    def _year_ratings(self, year: int, monthly: dict[str, dict[str, int]]) -> None:
        rules = national_rules_in_force(date(year, 12, 31))
        by = _by("board", "province_admin", None, date(year, 12, 31), f"year-rating-{year}")
        for key, member in self.staff.items():
            if self.saver.done:
                return
            if len(monthly[key]) >= rules.year_rating_min_months:
                member.derive_year_rating(year, monthly[key], rules, by)
                self.saver.add(member)


def shape_summary(shape: Shape) -> dict[str, Any]:
    return {"units": shape.units, "staff": shape.units * shape.staff_per_unit,
            "block_size": shape.block_size, "generator": GENERATOR_VERSION}
