"""Case references: RM-<year>-<number>, numbered from 1 each year, never twice."""
from __future__ import annotations

import threading

from sqlalchemy.orm import Session, sessionmaker

from storage.references import format_reference, next_case_reference


def test_numbers_follow_each_other_and_restart_each_year(session: Session) -> None:
    assert next_case_reference(session, 2026) == "RM-2026-00001"
    assert next_case_reference(session, 2026) == "RM-2026-00002"
    assert next_case_reference(session, 2027) == "RM-2027-00001"
    session.commit()
    assert next_case_reference(session, 2026) == "RM-2026-00003"


def test_a_rolled_back_reference_is_given_again(session: Session) -> None:
    assert next_case_reference(session, 2026) == "RM-2026-00001"
    session.rollback()
    assert next_case_reference(session, 2026) == "RM-2026-00001"


def test_format_reference_pads_to_five_digits() -> None:
    assert format_reference(2026, 42) == "RM-2026-00042"
    assert format_reference(2026, 123456) == "RM-2026-123456"


def test_concurrent_sessions_get_distinct_references(
    session_factory: sessionmaker[Session],
) -> None:
    references: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def take(count: int) -> None:
        try:
            barrier.wait()
            for _ in range(count):
                with session_factory.begin() as session:
                    references.append(next_case_reference(session, 2026))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=take, args=(5,)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(references) == [format_reference(2026, n) for n in range(1, 31)]
