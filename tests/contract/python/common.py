"""Shared plumbing of the Python flows: clients, typed problems and a tiny step runner."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from typing import TypeVar

from ocf_client.client import AuthenticatedClient, Client
from ocf_client.models.problem import Problem
from ocf_client.types import Response

T = TypeVar("T")

BASE_URL = os.environ.get("OCF_BASE_URL", "").rstrip("/")
RUN_ID = f"{int(time.time() * 1000):x}{random.randrange(16**6):06x}"


class FlowError(AssertionError):
    pass


def check(condition: object, message: str) -> None:
    if not condition:
        raise FlowError(message)


def anonymous() -> Client:
    return Client(base_url=BASE_URL, raise_on_unexpected_status=True)


def signed_in(token: str) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=BASE_URL, token=token, raise_on_unexpected_status=True)


def expect(response: Response[T | Problem], status: int, what: str, kind: type[T]) -> T:
    """The parsed body of a success answer, checked to be of `kind`."""
    detail = response.parsed.detail if isinstance(response.parsed, Problem) else ""
    check(response.status_code == status, f"{what}: expected HTTP {status}, got {response.status_code} {detail}")
    check(isinstance(response.parsed, kind), f"{what}: body is {type(response.parsed).__name__}")
    assert isinstance(response.parsed, kind)
    return response.parsed


def expect_problem(response: Response[T | Problem], status: int, code: str, what: str) -> Problem:
    """The problem document of an error answer, with its stable `code`."""
    check(response.status_code == status, f"{what}: expected HTTP {status}, got {response.status_code}")
    content_type = response.headers.get("content-type", "")
    check(content_type.startswith("application/problem+json"), f"{what}: content-type {content_type}")
    problem = response.parsed
    check(isinstance(problem, Problem), f"{what}: body is {type(problem).__name__}")
    assert isinstance(problem, Problem)
    check(problem.code == code, f"{what}: expected code {code}, got {problem.code}")
    check(problem.status == status, f"{what}: problem.status {problem.status}")
    check(problem.type_ == f"urn:ocf:problem:{code}", f"{what}: problem.type {problem.type_}")
    check(problem.request_id, f"{what}: no request_id")
    return problem


Step = tuple[str, Callable[[], None]]


def run_steps(steps: list[Step]) -> int:
    passed = failed = 0
    for name, run in steps:
        started = time.monotonic()
        try:
            run()
        except Exception as err:  # noqa: BLE001 - any failure of a step is reported the same way
            failed += 1
            print(f"FAIL {name}: {type(err).__name__}: {err}", flush=True)
            break
        passed += 1
        print(f"ok   {name} ({round((time.monotonic() - started) * 1000)} ms)", flush=True)
    skipped = len(steps) - passed - failed
    print(f"python: {passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 0 if failed == 0 else 1
